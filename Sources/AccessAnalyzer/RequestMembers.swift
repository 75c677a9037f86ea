import AWSShapes
import JSON
import ServiceKit

/// An Access Analyzer request's members, read the one way every operation
/// reads them: a member of the wrong JSON type is `cannotParse`, a missing
/// required member or a value outside the model's enum or length limits is
/// collected as a constraint violation, and `finish` reports them together,
/// in AWS's constraint wording (§1.6; Access Analyzer's own is not on record).
struct RequestMembers {
    let request: RestJSONRequest
    var violations: [ConstraintViolation] = []

    init(_ request: RestJSONRequest) { self.request = request }

    func string(_ member: String) throws(AWSError) -> String? {
        try Self.string(request.body[member], member)
    }

    /// A nested member's string (`member` is its path, for the error).
    static func string(_ value: JSONValue?, _ member: String) throws(AWSError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw Self.cannotParse(member, "a string", other)
        }
    }

    /// The `maxResults` query parameter: a page size of 1 or more (AWS's
    /// wording for a model's `min: 1`), else a violation.
    mutating func maxResults() -> Int? {
        guard let text = request.query["maxResults"] else { return nil }
        if let number = Int(text), number >= 1 { return number }
        violation("maxResults", text, "Member must have value greater than or equal to 1")
        return nil
    }

    /// A nested member's list of strings (`member` is its path, for the error); none when absent.
    static func strings(_ value: JSONValue?, _ member: String) throws(AWSError) -> [String] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?:
            var out: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw Self.cannotParse(member, "a list of strings", item) }
                out.append(text)
            }
            return out
        case let other?: throw Self.cannotParse(member, "a list of strings", other)
        }
    }

    /// A Boolean query parameter (`true` or `false`, as the SDKs send it).
    mutating func boolean(query member: String) -> Bool? {
        guard let text = request.query[member] else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            violations.append(ConstraintViolation(path: member, value: text, constraint: "Member must be true or false"))
            return nil
        }
    }

    mutating func required(_ member: String) throws(AWSError) -> String? {
        let value = try string(member)
        if value == nil { violations.append(ConstraintViolation(path: member, value: nil, constraint: "Member must not be null")) }
        return value
    }

    mutating func oneOf<T: RawRepresentable & CaseIterable>(_ member: String, _ value: String?, _ type: T.Type) -> T? where T.RawValue == String {
        oneOf(member, value, T.allCases.map(\.rawValue)).flatMap(T.init(rawValue:))
    }

    /// `value` when it is one of `values` (the model's enum), else a violation.
    mutating func oneOf(_ member: String, _ value: String?, _ values: [String]) -> String? {
        guard let value else { return nil }
        if values.contains(value) { return value }
        violations.append(ConstraintViolation(
            path: member, value: value, constraint: "Member must satisfy enum value set: [\(values.joined(separator: ", "))]",
            enumValues: values))
        return nil
    }

    /// A violation found by the operation itself (a limit the model states elsewhere).
    mutating func violation(_ member: String, _ value: String?, _ constraint: String) {
        violations.append(ConstraintViolation(path: member, value: value, constraint: constraint))
    }

    mutating func maxLength(_ path: String, _ count: Int, _ limit: Int) {
        if count > limit {
            violations.append(ConstraintViolation(
                path: path, value: nil, constraint: "Member must have length less than or equal to \(limit)"))
        }
    }

    func finish() throws(AWSError) {
        guard violations.isEmpty else {
            throw AccessAnalyzerService.validationException(
                ConstraintViolation.summary(violations), reason: "fieldValidationFailed",
                fields: violations.map { ($0.path, $0.constraint) })
        }
    }

    static func cannotParse(_ member: String, _ expected: String, _ value: JSONValue) -> AWSError {
        AccessAnalyzerService.validationException(
            "Unable to parse the request body: \(member) must be \(expected), not \(value.kindName).", reason: "cannotParse")
    }
}
