/// `Bool`: the request value compared with "true" or "false" (IAM User Guide,
/// "Boolean condition operators"). Case is ignored so that a JSON `true` and
/// the string "True" agree; policy variables are allowed.
struct BoolCondition: Sendable, Hashable {
    private let patterns: PatternList

    init(values: [String], variables: Bool) {
        patterns = PatternList(values, wildcards: false, variables: variables, foldsCase: true)
    }

    var variables: [PolicyVariable] { patterns.variables }

    func matches(_ value: UnsafeBufferPointer<UInt8>, in context: RequestContext) -> Bool {
        patterns.matchesAny(value, in: context)
    }

    static func == (lhs: BoolCondition, rhs: BoolCondition) -> Bool { lhs.patterns === rhs.patterns }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(patterns)) }
}
