import Storage

/// What the authorizer needs to know about a resource: its resource-based
/// policy (an ECR repository policy, a role's trust policy for sts:AssumeRole)
/// and its tags (`aws:ResourceTag/*`).
public struct ResourceInformation: Sendable, Equatable {
    public var policy: String?
    public var policyKind: ResourcePolicyKind
    /// The account that owns the resource.
    public var ownerAccountId: String
    public var tags: [String: String]
    /// What a write must touch for this information to go stale (caches keep it until then).
    public var dependencies: [Dependency]
    /// How a denial names the resource when the request named it in a way
    /// its service's rule does not cover; nil for that rule.
    public var denialName: String?

    public enum ResourcePolicyKind: Sendable {
        case trust
        case resource
    }

    public init(
        policy: String?, policyKind: ResourcePolicyKind = .resource, ownerAccountId: String, tags: [String: String] = [:],
        dependencies: [Dependency], denialName: String? = nil
    ) {
        self.denialName = denialName
        self.policy = policy
        self.policyKind = policyKind
        self.ownerAccountId = ownerAccountId
        self.tags = tags
        self.dependencies = dependencies
    }
}

/// A service's answer to "what governs this resource?", registered with the
/// authorizer for the ARNs of that service (`iam`, `ecr`).
public protocol ResourceProvider: Sendable {
    /// The ARN service this provider answers for.
    var arnService: String { get }
    /// Information about `resource` for `action`, or nil when the resource does not exist.
    func information(about resource: String, action: String, in transaction: Transaction) throws -> ResourceInformation?

    /// How access-denied messages name the resource for `action`, when the
    /// service does not use its ARN (IAM writes `role NAME`); nil for the ARN.
    func denialName(of resource: String, action: String) -> String?
}

extension ResourceProvider {
    public func denialName(of resource: String, action: String) -> String? { nil }
}
