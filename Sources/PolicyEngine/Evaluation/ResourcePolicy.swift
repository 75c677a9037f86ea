/// A resource-based policy — an ECR repository policy, or a role's trust
/// policy when the request is `sts:AssumeRole…` on the role — with the
/// account that owns the resource.
public struct ResourcePolicy: Sendable {
    public let policy: AttachedPolicy
    public let ownerAccountID: String
    let index: StatementIndex

    public init(policy: AttachedPolicy, ownerAccountID: String) {
        self.policy = policy
        self.ownerAccountID = ownerAccountID
        index = StatementIndex([([policy], .resourceBased)])
    }
}
