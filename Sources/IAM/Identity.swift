import AWSShapes
import GRDB
import ServiceKit
import Storage

/// The three kinds of IAM identity that policies attach to and embed in, with
/// what differs between them: table, quotas and messages.
struct Identity: Sendable {
    let type: PrincipalType
    let table: String
    let owner: InlineOwner
    /// Managed policies per identity (IAM quotas: 10 by default).
    let attachedQuotaName: String
    /// Aggregate inline policy size (whitespace not counted).
    let inlineSizeLimit: Int

    static let role = Identity(type: .role, table: "role", owner: .role, attachedQuotaName: "PoliciesPerRole", inlineSizeLimit: 10_240)
    static let user = Identity(type: .user, table: "user", owner: .user, attachedQuotaName: "PoliciesPerUser", inlineSizeLimit: 2_048)
    static let group = Identity(type: .group, table: "iamGroup", owner: .group, attachedQuotaName: "PoliciesPerGroup", inlineSizeLimit: 5_120)

    static let attachedLimit = 10

    func notFound(_ name: String) -> AWSError {
        switch type {
        case .role: IAMError.noSuchRole(name)
        case .user: IAMError.noSuchUser(name)
        case .group: IAMError.noSuchGroup(name)
        }
    }

    /// The identity's id and exact name.
    func find(_ name: String, _ account: String, _ db: Database) throws -> (id: String, name: String) {
        guard let row = try Row.fetchOne(
            db, cached: "SELECT id, name FROM \(table) WHERE accountId = ? AND name = ?", arguments: [account, name])
        else { throw notFound(name) }
        return (row["id"], row["name"])
    }

    /// The ARN authorization is asked about.
    func arn(_ name: String, _ context: OperationContext) throws -> String {
        switch type {
        case .role: try Resource.role(name, context)
        case .user: try Resource.user(name, context)
        case .group: try Resource.group(name, context)
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
