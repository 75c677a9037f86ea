/// Everything the server has loaded for one authorization decision.
public struct PolicySet: Sendable {
    public let identity: IdentityPolicies
    public let resourcePolicy: ResourcePolicy?

    /// Combines prepared parts; cheap, so it can be done per request.
    public init(identity: IdentityPolicies, resourcePolicy: ResourcePolicy? = nil) {
        self.identity = identity
        self.resourcePolicy = resourcePolicy
    }

    /// Prepares everything at once; convenient for tests and simulations.
    public init(
        identityPolicies: [AttachedPolicy] = [],
        resourcePolicy: AttachedPolicy? = nil,
        resourceOwnerAccountID: String? = nil,
        permissionsBoundary: AttachedPolicy? = nil,
        sessionPolicies: [AttachedPolicy] = []
    ) {
        identity = IdentityPolicies(
            identityPolicies: identityPolicies, permissionsBoundary: permissionsBoundary,
            sessionPolicies: sessionPolicies)
        self.resourcePolicy = resourcePolicy.map {
            ResourcePolicy(policy: $0, ownerAccountID: resourceOwnerAccountID ?? "")
        }
    }
}
