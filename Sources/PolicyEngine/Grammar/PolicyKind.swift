/// Which grammar a document follows; IAM checks each differently.
public enum PolicyKind: String, Sendable, Hashable, CaseIterable {
    /// Managed, inline, permissions-boundary and session policies: no
    /// `Principal`/`NotPrincipal`, and `Resource` or `NotResource` required.
    case identity
    /// A role trust policy: `Principal` (or `NotPrincipal`) required, no
    /// `Resource`/`NotResource`, STS actions only.
    case trust
    /// A resource-based policy such as an ECR repository policy: `Principal`
    /// required, `Resource` optional (it defaults to the resource attached to).
    case resource
}
