import AWSShapes
import ServiceKit
import Storage

/// The three kinds of IAM identity that policies attach to and embed in, with
/// what differs between them: lookup, quotas and messages.
struct Identity: Sendable {
    let type: PrincipalType
    let owner: InlineOwner
    /// Managed policies per identity (IAM quotas: 10 by default).
    let attachedQuotaName: String
    /// Aggregate inline policy size (whitespace not counted).
    let inlineSizeLimit: Int

    static let role = Identity(type: .role, owner: .role, attachedQuotaName: "PoliciesPerRole", inlineSizeLimit: 10_240)
    static let user = Identity(type: .user, owner: .user, attachedQuotaName: "PoliciesPerUser", inlineSizeLimit: 2_048)
    static let group = Identity(type: .group, owner: .group, attachedQuotaName: "PoliciesPerGroup", inlineSizeLimit: 5_120)

    static let attachedLimit = 10

    func notFound(_ name: String) -> AWSError {
        switch type {
        case .role: IAMError.noSuchRole(name)
        case .user: IAMError.noSuchUser(name)
        case .group: IAMError.noSuchGroup(name)
        }
    }

    /// The identity's id and exact name.
    func find(_ name: String, _ account: String, _ tx: Transaction) throws -> (id: String, name: String) {
        let found: (id: String, name: String)?
        switch type {
        case .role: found = try RoleRecord.named(name, account: account, in: tx).map { ($0.id, $0.name) }
        case .user: found = try UserRecord.named(name, account: account, in: tx).map { ($0.id, $0.name) }
        case .group: found = try GroupRecord.named(name, account: account, in: tx).map { ($0.id, $0.name) }
        }
        guard let found else { throw notFound(name) }
        return found
    }

    /// The ARN authorization is asked about, read in a transaction of its own
    /// (for operations not on the pipeline yet).
    func arn(_ name: String, _ context: OperationContext) throws -> String {
        try context.store.transaction(.read) { tx in try arn(name, context, tx) }
    }

    /// The ARN authorization is asked about: `Resource`'s, in the operation's transaction.
    func arn(_ name: String, _ context: OperationContext, _ tx: Transaction) throws -> String {
        switch type {
        case .role: IAMArn.role(context.accountId, path: try RoleRecord.named(name, account: context.accountId, in: tx)?.path ?? "/", name: name)
        case .user: try Resource.user(name, context, tx)
        case .group: try Resource.group(name, context, tx)
        }
    }

    /// A role, user or group name in an action (`iam:AttachRolePolicy`).
    var actionNoun: String {
        switch type {
        case .role: "Role"
        case .user: "User"
        case .group: "Group"
        }
    }
}
