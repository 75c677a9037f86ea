import AWSShapes
import JSON
import PolicyEngine
import ServiceCatalog
import ServiceKit

/// `AccessCheckPolicyType`: the custom checks take no SCP or RCP (§1.3, §4.4).
public enum AccessCheckPolicyType: String, Sendable, CaseIterable {
    case identity = "IDENTITY_POLICY"
    case resource = "RESOURCE_POLICY"

    var kind: PolicyKind { self == .identity ? .identity : .resource }
}

/// The request body of a custom check, read as ValidatePolicy reads its own:
/// a member of the wrong JSON type is `cannotParse`, a missing required
/// member or a value outside the model's enum or length limits is collected
/// as a constraint violation and reported together (§1.6).
struct CheckBody {
    let request: RestJSONRequest
    var violations: [ConstraintViolation] = []

    init(_ request: RestJSONRequest) { self.request = request }

    func string(_ member: String) throws(AWSError) -> String? {
        switch request.body[member] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw Self.cannotParse(member, "a string", other)
        }
    }

    mutating func required(_ member: String) throws(AWSError) -> String? {
        let value = try string(member)
        if value == nil { violations.append(ConstraintViolation(path: member, value: nil, constraint: "Member must not be null")) }
        return value
    }

    mutating func oneOf<T: RawRepresentable & CaseIterable>(_ member: String, _ value: String?, _ type: T.Type) -> T? where T.RawValue == String {
        guard let value else { return nil }
        if let known = T(rawValue: value) { return known }
        let values = T.allCases.map(\.rawValue)
        violations.append(ConstraintViolation(
            path: member, value: value, constraint: "Member must satisfy enum value set: [\(values.joined(separator: ", "))]",
            enumValues: values))
        return nil
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

enum CustomPolicyChecks {
    /// Authorized like ValidatePolicy: the operation's action on the account's
    /// and region's wildcard ARN (§1.5).
    static func access<Input>(_ operation: String) -> Access<Input> {
        .check { _, context in
            [AccessRequest(
                action: AccessAnalyzerService.signingName + ":" + operation,
                resource: "arn:aws:access-analyzer:\(context.region):\(context.accountId):*", facts: .loaded(nil))]
        }
    }

    /// The policy through the engine's grammar. A policy IAM's grammar refuses
    /// cannot be reasoned about; AWS's answer for one is not on record (§1.5
    /// mentions ValidationException and InvalidParameterException without
    /// texts), so this is a ValidationException carrying the grammar's message.
    static func parse(_ text: String, kind: PolicyKind, member: String) throws(AWSError) -> PolicyDocument {
        do {
            return try PolicyDocument.parse(text, kind: kind)
        } catch {
            throw AccessAnalyzerService.validationException(
                "Invalid \(member): \(error.message)", reason: "fieldValidationFailed", fields: [(member, error.message)])
        }
    }
}
