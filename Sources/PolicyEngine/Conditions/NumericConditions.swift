/// The Numeric… operators: integer or decimal comparison of the request value
/// against each policy value (IAM User Guide, "Numeric condition operators").
/// Policy variables are not supported; a value that is not a number matches
/// nothing.
struct NumericCondition: Sendable, Hashable {
    enum Comparison: Sendable, Hashable {
        case equal, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual
    }

    private let comparison: Comparison
    private let values: [Double]

    init(values: [String], base: ConditionOperator.Base) {
        self.values = values.compactMap(Self.number)
        switch base.positive {
        case .numericLessThan: comparison = .lessThan
        case .numericLessThanEquals: comparison = .lessThanOrEqual
        case .numericGreaterThan: comparison = .greaterThan
        case .numericGreaterThanEquals: comparison = .greaterThanOrEqual
        default: comparison = .equal
        }
    }

    static func number(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }

    func matches(_ value: String) -> Bool {
        guard let number = Self.number(value) else { return false }
        for bound in values where Self.compare(number, comparison, bound) { return true }
        return false
    }

    @inline(__always)
    static func compare(_ lhs: Double, _ comparison: Comparison, _ rhs: Double) -> Bool {
        switch comparison {
        case .equal: lhs == rhs
        case .lessThan: lhs < rhs
        case .lessThanOrEqual: lhs <= rhs
        case .greaterThan: lhs > rhs
        case .greaterThanOrEqual: lhs >= rhs
        }
    }
}
