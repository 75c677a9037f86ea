/// StringEquals, StringEqualsIgnoreCase and StringLike (and, through
/// `ConditionClause`, their negations).
///
/// StringEquals is exact and case-sensitive, StringEqualsIgnoreCase ignores
/// case, and StringLike treats `*` and `?` as wildcards (IAM User Guide,
/// "String condition operators"). All three accept policy variables.
struct StringCondition: Sendable, Hashable {
    private let patterns: PatternList

    init(values: [String], base: ConditionOperator.Base, variables: Bool) {
        patterns = PatternList(
            values, wildcards: base == .stringLike, variables: variables, foldsCase: base == .stringEqualsIgnoreCase)
    }

    var variables: [PolicyVariable] { patterns.variables }

    /// Whether `value` matches any policy value.
    @inline(__always)
    func matches(_ value: UnsafeBufferPointer<UInt8>, in context: RequestContext) -> Bool {
        patterns.matchesAny(value, in: context)
    }

    static func == (lhs: StringCondition, rhs: StringCondition) -> Bool { lhs.patterns === rhs.patterns }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(patterns)) }
}
