import PolicyEngine
import ServiceKit
import Storage

/// What the authorizer needs of IAM resources: a role's trust policy (the
/// resource-based policy of sts:AssumeRole*) and the tags of roles and users.
public struct IAMResources: ResourceProvider {
    public let arnService = "iam"

    public init() {}

    public func information(about resource: String, action: String, in tx: Transaction) throws -> ResourceInformation? {
        guard let arn = ARNParts(resource) else { return nil }
        let name = String(arn.resource.split(separator: "/").last ?? "")
        if arn.resource.hasPrefix("role/") {
            guard let role = try RoleRecord.named(name, account: arn.account, in: tx) else { return nil }
            let assume = AuthorizationRequest.isGovernedByTrustPolicy(action)
            return Self.information(
                role, tags: try TagRecord.all(of: role.id, in: tx), trustPolicy: assume ? try TrustPrincipals.document(of: role, tx) : nil)
        }
        if arn.resource.hasPrefix("user/") {
            guard let user = try UserRecord.named(name, account: arn.account, in: tx) else { return nil }
            return ResourceInformation(
                policy: nil, ownerAccountId: user.accountId, tags: Self.dictionary(try TagRecord.all(of: user.id, in: tx)),
                dependencies: [.principal(user.id)])
        }
        return nil
    }

    /// What the authorizer knows of a role: owner, tags and, for sts:AssumeRole*, its trust policy.
    static func information(_ role: RoleRecord, tags: [TagRecord], trustPolicy: String?) -> ResourceInformation {
        ResourceInformation(
            policy: trustPolicy, policyKind: .trust, ownerAccountId: role.accountId, tags: dictionary(tags),
            dependencies: [.principal(role.id)])
    }

    static func dictionary(_ tags: [TagRecord]) -> [String: String] {
        Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// IAM names its own identities by kind and name in denials: "on resource:
    /// role NAME" (aws/aws-cdk#27067), "user NAME" (hashicorp/boundary#3877).
    /// IAM's wording, from denials AWS answered (docs/research/fidelity-issue18.md §3,
    /// CLI, Terraform and CloudTrail captures): an existing user, group or role is
    /// `user NAME` / `group NAME` / `role NAME`; a managed policy is `policy ARN`,
    /// and the one CreatePolicy would make `policy NAME`; creating a user, group,
    /// role or instance profile (and every other IAM resource) keeps the full ARN.
    public func denialName(of resource: String, action: String) -> String? {
        guard let arn = ARNParts(resource) else { return nil }
        let operation = action.split(separator: ":").last.map(String.init) ?? action
        if arn.resource.hasSuffix("/") {
            // A List operation's path (`ListingTarget`): IAM writes the ARN,
            // except for policies: "policy path /" (§13).
            guard arn.resource.hasPrefix("policy/") else { return nil }
            return "policy path /" + arn.resource.dropFirst("policy/".count)
        }
        if arn.resource.hasPrefix("policy/") {
            return operation == "CreatePolicy" ? "policy \(IAMArn.name(of: resource))" : "policy \(resource)"
        }
        guard !["CreateUser", "CreateGroup", "CreateRole", "CreateInstanceProfile"].contains(operation) else { return nil }
        for kind in ["role", "user", "group"] where arn.resource.hasPrefix(kind + "/") {
            return "\(kind) \(IAMArn.name(of: resource))"
        }
        return nil
    }
}
