/// The model's constraints on a string member: length, pattern and enum.
public struct StringRule: Sendable {
    public let min: Int?
    public let max: Int?
    public let pattern: Pattern?
    public let enumValues: [String]?
    /// Sensitive values (passwords, secrets) are left out of error messages.
    public let sensitive: Bool

    public init(min: Int? = nil, max: Int? = nil, pattern: String? = nil, enumValues: [String]? = nil, sensitive: Bool = false) {
        self.min = min
        self.max = max
        self.pattern = pattern.map(Pattern.init)
        self.enumValues = enumValues
        self.sensitive = sensitive
    }

    public static let none = StringRule()

    /// Every constraint of the rule in the order AWS lists them when it reports
    /// a list element: `[Member must have length less than or equal to 128, …, Member must not be null]`.
    var phrases: [String] {
        var out: [String] = []
        if let max { out.append("Member must have length less than or equal to \(max)") }
        if let min { out.append("Member must have length greater than or equal to \(min)") }
        if let pattern { out.append("Member must satisfy regular expression pattern: \(pattern.source)") }
        if let enumValues { out.append("Member must satisfy enum value set: [\(enumValues.joined(separator: ", "))]") }
        // Recorded against IAM in 2026: tag keys (patterned) end with "Member must
        // not be null"; OIDC client ids (length only) do not.
        if pattern != nil { out.append("Member must not be null") }
        return out
    }

    /// Whether `value` satisfies every constraint.
    func accepts(_ value: String) -> Bool {
        var none: [ConstraintViolation] = []
        check(value, at: "", into: &none)
        return none.isEmpty
    }

    func check(_ value: String, at path: String, into violations: inout [ConstraintViolation]) {
        let shown = sensitive ? nil : value
        if min != nil || max != nil {
            let length = value.count
            if let min, length < min {
                violations.append(.init(path: path, value: shown, sensitive: sensitive, constraint: "Member must have length greater than or equal to \(min)"))
            }
            if let max, length > max {
                violations.append(.init(path: path, value: shown, sensitive: sensitive, constraint: "Member must have length less than or equal to \(max)"))
            }
        }
        if let pattern, !pattern.matches(value) {
            violations.append(.init(path: path, value: shown, sensitive: sensitive, constraint: "Member must satisfy regular expression pattern: \(pattern.source)"))
        }
        if let enumValues, !enumValues.contains(value) {
            violations.append(.init(
                path: path, value: shown, sensitive: sensitive,
                constraint: "Member must satisfy enum value set: [\(enumValues.joined(separator: ", "))]", enumValues: enumValues))
        }
    }
}

/// The model's range on a numeric member.
public struct NumberRule: Sendable {
    public let min: Double?
    public let max: Double?

    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }

    public static let none = NumberRule()

    func check(_ value: Double, shown: String, at path: String, into violations: inout [ConstraintViolation]) {
        if let min, value < min {
            violations.append(.init(path: path, value: shown, constraint: "Member must have value greater than or equal to \(Self.format(min))"))
        }
        if let max, value > max {
            violations.append(.init(path: path, value: shown, constraint: "Member must have value less than or equal to \(Self.format(max))"))
        }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}

/// The model's length limits on a list, map or blob member.
public struct LengthRule: Sendable {
    public let min: Int?
    public let max: Int?

    public init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }

    public static let none = LengthRule()

    func check(count: Int, shown: @autoclosure () -> String, at path: String, into violations: inout [ConstraintViolation]) {
        if let min, count < min {
            violations.append(.init(path: path, value: shown(), constraint: "Member must have length greater than or equal to \(min)"))
        }
        if let max, count > max {
            violations.append(.init(path: path, value: shown(), constraint: "Member must have length less than or equal to \(max)"))
        }
    }
}

/// One failed model constraint, in the words AWS's validation layer uses.
public struct ConstraintViolation: Sendable, Equatable, CustomStringConvertible {
    /// The member path as AWS writes it: `roleName`, `tags.1.member.key`.
    public var path: String
    /// The offending value as text; nil for a missing value or a sensitive one.
    public var value: String?
    public var sensitive: Bool
    public var constraint: String
    /// For an enum violation, the model's values (in the model's order): services
    /// list them in their own order (ECR: `JavaHashMapOrder`).
    public var enumValues: [String]?

    public init(path: String, value: String?, sensitive: Bool = false, constraint: String, enumValues: [String]? = nil) {
        self.path = path
        self.value = value
        self.sensitive = sensitive
        self.constraint = constraint
        self.enumValues = enumValues
    }

    /// `Value 'x' at 'roleName' failed to satisfy constraint: Member must …`
    public var description: String { described(echoingValue: true) }

    /// Services differ: STS quotes the offending value (`Value 'x' at 'roleArn'`),
    /// IAM no longer does (`Value at 'tags'`, as recorded against IAM in 2026).
    public func described(echoingValue: Bool) -> String {
        let shown: String
        if sensitive || !echoingValue {
            shown = "Value"
        } else if let value {
            shown = "Value '\(value)'"
        } else {
            shown = "Value null"
        }
        return "\(shown) at '\(path)' failed to satisfy constraint: \(constraint)"
    }

    /// `N validation error(s) detected: …; …` — AWS's summary of several violations.
    public static func summary(_ violations: [ConstraintViolation], echoingValues: Bool = true) -> String {
        let count = violations.count
        let noun = count == 1 ? "error" : "errors"
        return "\(count) validation \(noun) detected: "
            + violations.map { $0.described(echoingValue: echoingValues) }.joined(separator: "; ")
    }
}

/// A JSON body whose value does not have the type its shape needs.
///
/// JSON 1.1 services answer these as `SerializationException` before any
/// constraint is checked.
public struct ShapeDecodingError: Error, Sendable, Equatable {
    public var message: String

    public init(message: String) { self.message = message }
}
