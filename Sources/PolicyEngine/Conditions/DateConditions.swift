/// The Date… operators: the request value (for example `aws:CurrentTime` or
/// `aws:EpochTime`) compared with each policy value as points in time (IAM
/// User Guide, "Date condition operators"). No wildcards, no variables.
struct DateCondition: Sendable, Hashable {
    private let comparison: NumericCondition.Comparison
    private let values: [Double]

    init(values: [String], base: ConditionOperator.Base) {
        self.values = values.compactMap(PolicyDate.epochSeconds)
        switch base.positive {
        case .dateLessThan: comparison = .lessThan
        case .dateLessThanEquals: comparison = .lessThanOrEqual
        case .dateGreaterThan: comparison = .greaterThan
        case .dateGreaterThanEquals: comparison = .greaterThanOrEqual
        default: comparison = .equal
        }
    }

    func matches(_ value: String) -> Bool {
        guard let time = PolicyDate.epochSeconds(value) else { return false }
        for bound in values where NumericCondition.compare(time, comparison, bound) { return true }
        return false
    }
}
