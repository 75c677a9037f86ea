/// Where a compiled statement came from, shared by all statements of a policy.
final class PolicyOrigin: Sendable {
    let id: String
    let source: AttachedPolicy.Source
    let type: PolicyType
    let policyARN: String?

    init(_ policy: AttachedPolicy, type: PolicyType) {
        id = policy.id
        source = policy.source
        self.type = type
        policyARN = policy.policyARN
    }
}
