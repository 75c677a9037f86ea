import GRDB
import ServiceKit
import Storage

/// What the authorizer needs of IAM resources: a role's trust policy (the
/// resource-based policy of sts:AssumeRole*) and the tags of roles and users.
public struct IAMResources: ResourceProvider {
    public let arnService = "iam"

    public init() {}

    /// The actions a role's trust policy governs: assuming it, and what may
    /// come with the session (tags, source identity, context).
    static let trustActions = ["sts:assumerole", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext"]

    public func information(about resource: String, action: String, store: Store) throws -> ResourceInformation? {
        guard let arn = ARNParts(resource) else { return nil }
        let name = String(arn.resource.split(separator: "/").last ?? "")
        return try store.read { db -> ResourceInformation? in
            if arn.resource.hasPrefix("role/") {
                guard let role = try RoleRecord.fetchOne(
                    db, cached: "SELECT * FROM role WHERE accountId = ? AND name = ?", arguments: [arn.account, name])
                else { return nil }
                let assume = Self.trustActions.contains { action.lowercased().hasPrefix($0) }
                return ResourceInformation(
                    policy: assume ? try TrustPrincipals.document(of: role, db) : nil, policyKind: .trust, ownerAccountId: role.accountId,
                    tags: try tags(role.id, db))
            }
            if arn.resource.hasPrefix("user/") {
                guard let user = try UserRecord.fetchOne(
                    db, cached: "SELECT * FROM user WHERE accountId = ? AND name = ?", arguments: [arn.account, name])
                else { return nil }
                return ResourceInformation(policy: nil, ownerAccountId: user.accountId, tags: try tags(user.id, db))
            }
            return nil
        }
    }

    /// IAM names its own identities by kind and name in denials: "on resource:
    /// role NAME" (aws/aws-cdk#27067), "user NAME" (hashicorp/boundary#3877).
    public func denialName(of resource: String) -> String? {
        guard let arn = ARNParts(resource) else { return nil }
        for kind in ["role", "user", "group"] where arn.resource.hasPrefix(kind + "/") {
            return "\(kind) \(IAMArn.name(of: resource))"
        }
        return nil
    }

    private func tags(_ id: String, _ db: Database) throws -> [String: String] {
        Dictionary(try TagRecord.all(db, of: id).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}
