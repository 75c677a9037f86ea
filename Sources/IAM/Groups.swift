import AWSShapes
import ServiceKit
import Storage

/// Groups and their members.
enum Groups {
    /// Groups a user can belong to (IAM quotas).
    static let groupsPerUser = 10

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateGroup.self,
            .transaction(
                .write,
                target: { input, context, _ in
                    ResourceARN(IAMArn.group(context.accountId, path: input.path ?? "/", name: input.groupName))
                }, act: create))
        r.register(IAMOperation.GetGroup.self, .transaction(.read, target: GroupTarget.named { $0.groupName }, act: get))
        r.register(IAMOperation.ListGroups.self, .transaction(.read, target: ListingTarget.of("group") { $0.pathPrefix }, act: list))
        r.register(
            IAMOperation.ListGroupsForUser.self, .transaction(.read, target: UserTarget.named { $0.userName }, act: listForUser))
        r.register(IAMOperation.UpdateGroup.self, .transaction(.write, target: GroupTarget.named { $0.groupName }, act: update))
        r.register(IAMOperation.DeleteGroup.self, .transaction(.write, target: GroupTarget.named { $0.groupName }, act: delete))
        r.register(IAMOperation.AddUserToGroup.self, .transaction(.write, target: GroupTarget.named { $0.groupName }, act: addUser))
        r.register(
            IAMOperation.RemoveUserFromGroup.self, .transaction(.write, target: GroupTarget.named { $0.groupName }, act: removeUser))
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateGroupRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateGroupResponse {
        let id = context.ids.uniqueId(.group)
        if try GroupRecord.named(input.groupName, account: context.accountId, in: tx) != nil { throw IAMError.groupExists(input.groupName) }
        try AccountQuota.groups.checkRoomForOne(tx, account: context.accountId)
        let group = GroupRecord(
            id: id, accountId: context.accountId, name: input.groupName, path: input.path ?? "/", createdAt: context.now.secondsSince1970)
        try tx.insert(group)
        return IAMShapes.CreateGroupResponse(group: shape(group))
    }

    /// The group and a page of its members.
    static func get(_ input: IAMShapes.GetGroupRequest, _ target: GroupTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.GetGroupResponse
    {
        let group = try target.existing()
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try UserRecord.page(memberOf: group.id, after: after, limit: limit, in: tx)
        } position: { $0.name }
        return IAMShapes.GetGroupResponse(
            group: shape(group), isTruncated: page.isTruncated, marker: page.marker, users: page.items.map(Users.listed))
    }

    static func list(_ input: IAMShapes.ListGroupsRequest, _ target: ListingTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.ListGroupsResponse
    {
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try GroupRecord.page(account: context.accountId, pathPrefix: input.pathPrefix ?? "/", after: after, limit: limit, in: tx)
        } position: { $0.name }
        return IAMShapes.ListGroupsResponse(groups: page.items.map(shape), isTruncated: page.isTruncated, marker: page.marker)
    }

    static func listForUser(
        _ input: IAMShapes.ListGroupsForUserRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListGroupsForUserResponse {
        let user = try target.existing()
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try GroupRecord.page(ofUser: user.id, after: after, limit: limit, in: tx)
        } position: { $0.name }
        return IAMShapes.ListGroupsForUserResponse(groups: page.items.map(shape), isTruncated: page.isTruncated, marker: page.marker)
    }

    static func update(_ input: IAMShapes.UpdateGroupRequest, _ target: GroupTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> EmptyShape
    {
        var group = try target.existing()
        if let newName = input.newGroupName, newName.lowercased() != group.name.lowercased(),
            try GroupRecord.named(newName, account: context.accountId, in: tx) != nil
        {
            throw IAMError.groupExists(newName)
        }
        if let newName = input.newGroupName { group.name = newName }
        if let newPath = input.newPath { group.path = newPath }
        try tx.update(group)
        return EmptyShape()
    }

    /// What DeleteGroup refuses to delete with the group, in the order it checks, and how it says so.
    static let prerequisites: [(GroupBelonging, AWSError)] = [
        (.member, IAMError.mustRemoveUsersFromGroup),
        (.attachedPolicy, IAMError.mustDetachPolicies),
        (.inlinePolicy, IAMError.mustDeletePolicies),
    ]

    static func delete(_ input: IAMShapes.DeleteGroupRequest, _ target: GroupTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> EmptyShape
    {
        let group = try target.existing()
        for (belonging, conflict) in prerequisites where try GroupRecord.holds(belonging, groupId: group.id, in: tx) {
            throw conflict
        }
        try tx.delete(group)
        return EmptyShape()
    }

    /// Adding a member twice succeeds and lists the user once.
    static func addUser(
        _ input: IAMShapes.AddUserToGroupRequest, _ target: GroupTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let user = try Users.find(input.userName, context, tx)
        let group = try target.existing()
        if try GroupMembershipRecord.exists(groupId: group.id, userId: user.id, in: tx) { return EmptyShape() }
        if try GroupMembershipRecord.count(ofUser: user.id, in: tx) >= groupsPerUser { throw IAMError.quota("GroupsPerUser", groupsPerUser) }
        try tx.insert(GroupMembershipRecord(groupId: group.id, userId: user.id, addedAt: context.now.secondsSince1970))
        return EmptyShape()
    }

    static func removeUser(
        _ input: IAMShapes.RemoveUserFromGroupRequest, _ target: GroupTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        // AWS checks the user first, and removing a non-member succeeds.
        let user = try Users.find(input.userName, context, tx)
        let group = try target.existing()
        try GroupMembershipRecord.remove(groupId: group.id, userId: user.id, in: tx)
        return EmptyShape()
    }

    static func shape(_ group: GroupRecord) -> IAMShapes.Group {
        IAMShapes.Group(
            arn: group.arn, createDate: Timestamp(secondsSince1970: group.createdAt), groupId: group.id, groupName: group.name,
            path: group.path)
    }
}

/// A group named by an operation's input, loaded in its transaction:
/// authorized on the ARN `Resource.group` names, acted on if it exists. The
/// authorizer knows nothing more of groups (they carry no tags).
struct GroupTarget: OperationTarget {
    let name: String
    let group: GroupRecord?
    let resource: String

    init(_ name: String, _ context: OperationContext, _ tx: Transaction) throws {
        self.name = name
        group = try GroupRecord.named(name, account: context.accountId, in: tx)
        resource = Resource.group(name, path: group?.path, context)
    }

    /// An operation's target: the group its input names.
    static func named<Input>(_ name: @escaping @Sendable (Input) -> String)
        -> @Sendable (Input, OperationContext, Transaction) throws -> GroupTarget
    {
        { input, context, tx in try GroupTarget(name(input), context, tx) }
    }

    var facts: ResourceFacts { .loaded(nil) }

    func existing() throws -> GroupRecord {
        guard let group else { throw IAMError.noSuchGroup(name) }
        return group
    }
}
