/// The policies that speak for a principal: its identity-based policies
/// (managed, inline, and those of its groups), its permissions boundary, and
/// for a session the session policies passed when it was created.
///
/// Build one per principal or session and keep it: construction compiles the
/// statement index that evaluation relies on.
public struct IdentityPolicies: Sendable {
    public let identityPolicies: [AttachedPolicy]
    public let permissionsBoundary: AttachedPolicy?
    /// Inline and managed session policies; empty when none were passed.
    public let sessionPolicies: [AttachedPolicy]
    let index: StatementIndex

    public init(
        identityPolicies: [AttachedPolicy] = [],
        permissionsBoundary: AttachedPolicy? = nil,
        sessionPolicies: [AttachedPolicy] = []
    ) {
        self.identityPolicies = identityPolicies
        self.permissionsBoundary = permissionsBoundary
        self.sessionPolicies = sessionPolicies
        index = StatementIndex([
            (identityPolicies, .identityBased),
            (permissionsBoundary.map { [$0] } ?? [], .permissionsBoundary),
            (sessionPolicies, .sessionPolicy),
        ])
    }
}
