import AWSShapes
import ServiceKit
import Storage

/// The user, role or group an attachment or inline policy operation names,
/// loaded in its transaction: authorized on its ARN (its path, the name as
/// the request spells it; path "/" when it does not exist), acted on if it
/// exists. A role or user comes with what the authorizer knows of it (owner,
/// tags), read in the same transaction; IAM describes no group.
struct PolicyHolderTarget: OperationTarget {
    let type: PrincipalType
    let name: String
    let holder: PolicyHolder?
    /// The role, when the holder is one: service-linked roles refuse changes.
    let role: RoleRecord?
    let resource: String
    let facts: ResourceFacts

    init(_ type: PrincipalType, _ name: String, _ context: OperationContext, _ tx: Transaction) throws {
        let account = context.accountId
        self.type = type
        self.name = name
        switch type {
        case .role:
            let role = try RoleRecord.named(name, account: account, in: tx)
            let tags = try role.map { try TagRecord.all(of: $0.id, in: tx) } ?? []
            self.role = role
            holder = role.map { PolicyHolder(type: .role, id: $0.id, name: $0.name, path: $0.path) }
            resource = IAMArn.role(account, path: role?.path ?? "/", name: name)
            facts = .loaded(role.map { IAMResources.information($0, tags: tags, trustPolicy: nil) })
        case .user:
            let user = try UserRecord.named(name, account: account, in: tx)
            let tags = try user.map { try TagRecord.all(of: $0.id, in: tx) } ?? []
            role = nil
            holder = user.map { PolicyHolder(type: .user, id: $0.id, name: $0.name, path: $0.path) }
            resource = IAMArn.user(account, path: user?.path ?? "/", name: name)
            facts = .loaded(user.map {
                ResourceInformation(
                    policy: nil, ownerAccountId: $0.accountId, tags: IAMResources.dictionary(tags), dependencies: [.principal($0.id)])
            })
        case .group:
            role = nil
            holder = try PolicyHolder.named(name, type: .group, account: account, in: tx)
            resource = IAMArn.group(account, path: holder?.path ?? "/", name: name)
            facts = .loaded(nil)
        }
    }

    func existing() throws -> PolicyHolder {
        guard let holder else { throw type.noSuchEntity(name) }
        return holder
    }

    /// The holder, unless AWS keeps it from changes: a service-linked role's policies are its service's.
    func changeable() throws -> PolicyHolder {
        let holder = try existing()
        if let role { try Roles.refuseProtected(role) }
        return holder
    }

    /// A request naming a user, role or group: its target.
    static func of<Input: PolicyHolderRequest>(_ input: Input, _ context: OperationContext, _ tx: Transaction) throws -> PolicyHolderTarget {
        try PolicyHolderTarget(Input.holderType, input.holderName, context, tx)
    }
}

extension PrincipalType {
    func noSuchEntity(_ name: String) -> AWSError {
        switch self {
        case .role: IAMError.noSuchRole(name)
        case .user: IAMError.noSuchUser(name)
        case .group: IAMError.noSuchGroup(name)
        }
    }

    /// What differs between the kinds: quotas and messages.
    var identity: Identity {
        switch self {
        case .role: .role
        case .user: .user
        case .group: .group
        }
    }
}

/// A request about one user's, role's or group's policies.
protocol PolicyHolderRequest: Sendable {
    static var holderType: PrincipalType { get }
    var holderName: String { get }
}

extension IAMShapes.AttachRolePolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .role }
    var holderName: String { roleName }
}
extension IAMShapes.AttachUserPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .user }
    var holderName: String { userName }
}
extension IAMShapes.AttachGroupPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .group }
    var holderName: String { groupName }
}
extension IAMShapes.DetachRolePolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .role }
    var holderName: String { roleName }
}
extension IAMShapes.DetachUserPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .user }
    var holderName: String { userName }
}
extension IAMShapes.DetachGroupPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .group }
    var holderName: String { groupName }
}
extension IAMShapes.ListAttachedRolePoliciesRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .role }
    var holderName: String { roleName }
}
extension IAMShapes.ListAttachedUserPoliciesRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .user }
    var holderName: String { userName }
}
extension IAMShapes.ListAttachedGroupPoliciesRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .group }
    var holderName: String { groupName }
}
extension IAMShapes.PutRolePolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .role }
    var holderName: String { roleName }
}
extension IAMShapes.PutUserPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .user }
    var holderName: String { userName }
}
extension IAMShapes.PutGroupPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .group }
    var holderName: String { groupName }
}
extension IAMShapes.GetRolePolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .role }
    var holderName: String { roleName }
}
extension IAMShapes.GetUserPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .user }
    var holderName: String { userName }
}
extension IAMShapes.GetGroupPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .group }
    var holderName: String { groupName }
}
extension IAMShapes.ListRolePoliciesRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .role }
    var holderName: String { roleName }
}
extension IAMShapes.ListUserPoliciesRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .user }
    var holderName: String { userName }
}
extension IAMShapes.ListGroupPoliciesRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .group }
    var holderName: String { groupName }
}
extension IAMShapes.DeleteRolePolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .role }
    var holderName: String { roleName }
}
extension IAMShapes.DeleteUserPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .user }
    var holderName: String { userName }
}
extension IAMShapes.DeleteGroupPolicyRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .group }
    var holderName: String { groupName }
}
extension IAMShapes.ListInstanceProfilesForRoleRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .role }
    var holderName: String { roleName }
}
extension IAMShapes.DeleteServiceLinkedRoleRequest: PolicyHolderRequest {
    static var holderType: PrincipalType { .role }
    var holderName: String { roleName }
}
