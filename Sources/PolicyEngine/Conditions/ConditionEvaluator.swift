/// The compiled form of a `ConditionClause`, behind one reference so that
/// statements walk their conditions without copying clauses. The rules it
/// applies are described on `ConditionClause`.
final class ConditionEvaluator: Sendable {
    let foldedKey: String
    private let qualifier: ConditionOperator.SetQualifier?
    private let ifExists: Bool
    private let negated: Bool
    private let matcher: Matcher

    private enum Matcher: Sendable, Hashable {
        case string(StringCondition)
        case numeric(NumericCondition)
        case date(DateCondition)
        case bool(BoolCondition)
        case binary(BinaryCondition)
        case ipAddress(IPAddressCondition)
        case arn(ArnCondition)
        case null(NullCondition)
    }

    /// - Parameter variables: whether the document's version substitutes `${…}`.
    init(operator op: ConditionOperator, key: String, values: [String], variables: Bool) {
        foldedKey = key.asciiLowercased()
        qualifier = op.qualifier
        ifExists = op.ifExists
        negated = op.base.isNegated
        let substitutes = variables && op.base.acceptsVariables
        switch op.base.positive {
        case .stringEquals, .stringEqualsIgnoreCase, .stringLike:
            matcher = .string(StringCondition(values: values, base: op.base.positive, variables: substitutes))
        case .numericEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            matcher = .numeric(NumericCondition(values: values, base: op.base))
        case .dateEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            matcher = .date(DateCondition(values: values, base: op.base))
        case .bool:
            matcher = .bool(BoolCondition(values: values, variables: substitutes))
        case .binaryEquals:
            matcher = .binary(BinaryCondition(values: values))
        case .ipAddress:
            matcher = .ipAddress(IPAddressCondition(values: values))
        case .arnEquals, .arnLike:
            matcher = .arn(ArnCondition(values: values, variables: substitutes))
        default:
            matcher = .null(NullCondition(values: values))
        }
    }

    /// Context keys named by policy variables inside the values.
    var variables: [PolicyVariable] {
        switch matcher {
        case .string(let condition): condition.variables
        case .bool(let condition): condition.variables
        case .arn(let condition): condition.variables
        default: []
        }
    }

    func evaluate(in context: RequestContext) -> Bool {
        let requestValues = context.values(forFoldedKey: foldedKey)
        if case .null(let null) = matcher {
            return null.evaluate(isPresent: !(requestValues?.isEmpty ?? true))
        }
        guard let requestValues, !requestValues.isEmpty else {
            switch qualifier {
            case .forAllValues: return true
            case .forAnyValue: return ifExists
            case nil: return ifExists || negated
            }
        }
        switch qualifier {
        case .forAllValues:
            for value in requestValues where matchesPolicyValue(value, in: context) == negated { return false }
            return true
        case .forAnyValue:
            for value in requestValues where matchesPolicyValue(value, in: context) != negated { return true }
            return false
        case nil:
            // A single-valued operator over several request values: any match
            // counts, and a negated operator needs none to match.
            for value in requestValues where matchesPolicyValue(value, in: context) { return !negated }
            return negated
        }
    }

    /// Whether one request value matches any policy value under the positive
    /// form of the operator.
    @inline(__always)
    private func matchesPolicyValue(_ value: String, in context: RequestContext) -> Bool {
        switch matcher {
        case .string(let condition): value.withUTF8Bytes { condition.matches($0, in: context) }
        case .numeric(let condition): condition.matches(value)
        case .date(let condition): condition.matches(value)
        case .bool(let condition): value.withUTF8Bytes { condition.matches($0, in: context) }
        case .binary(let condition): condition.matches(value)
        case .ipAddress(let condition): condition.matches(value)
        case .arn(let condition): condition.matches(value, in: context)
        case .null: false
        }
    }
}
