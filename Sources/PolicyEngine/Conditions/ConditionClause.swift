/// One key under one operator of a `Condition` block, such as
/// `"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}`.
///
/// Evaluation follows "Creating a condition with multiple keys or values" and
/// "Condition operators" in the IAM User Guide: the values of one key are
/// ORed, except that a negated operator is true only when no value matches
/// (NOR); a missing key makes a condition false, except that a negated
/// operator or an `…IfExists` operator is then true; `ForAllValues` is true
/// when every request value matches some policy value and also when the key is
/// missing or empty; `ForAnyValue` needs one request value to match and is
/// false for a missing key.
public struct ConditionClause: Sendable, Hashable {
    public let `operator`: ConditionOperator
    /// The key as written in the policy.
    public let key: String
    /// The policy values as text (JSON numbers and booleans as written).
    public let values: [String]
    let evaluator: ConditionEvaluator

    /// - Parameter variables: whether the document's version substitutes `${…}`.
    init(operator op: ConditionOperator, key: String, values: [String], variables: Bool) {
        self.operator = op
        self.key = key
        self.values = values
        evaluator = ConditionEvaluator(operator: op, key: key, values: values, variables: variables)
    }

    var foldedKey: String { evaluator.foldedKey }

    /// Context keys named by policy variables inside the values.
    var variables: [PolicyVariable] { evaluator.variables }

    public func evaluate(in context: RequestContext) -> Bool {
        evaluator.evaluate(in: context)
    }

    public static func == (lhs: ConditionClause, rhs: ConditionClause) -> Bool {
        lhs.operator == rhs.operator && lhs.key == rhs.key && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.operator)
        hasher.combine(key)
        hasher.combine(values)
    }
}
