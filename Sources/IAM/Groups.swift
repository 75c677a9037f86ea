import AWSShapes
import GRDB
import ServiceKit
import Storage

/// Groups and their members.
enum Groups {
    /// Groups a user can belong to (IAM quotas).
    static let groupsPerUser = 10

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateGroup.self, access: .check { input, context in
            [AccessRequest(action: "iam:CreateGroup", resource: IAMArn.group(context.accountId, path: input.path ?? "/", name: input.groupName))]
        }) { input, context in
            let id = context.ids.uniqueId(.group)
            return try await context.store.write { db in
                if try GroupRecord.fetchOne(
                    db, cached: "SELECT * FROM iamGroup WHERE accountId = ? AND name = ?", arguments: [context.accountId, input.groupName]) != nil
                {
                    throw IAMError.groupExists(input.groupName)
                }
                try AccountQuota.groups.checkRoomForOne(db, account: context.accountId)
                let group = GroupRecord(
                    id: id, accountId: context.accountId, name: input.groupName, path: input.path ?? "/",
                    createdAt: context.now.secondsSince1970)
                try group.insert(db)
                return IAMShapes.CreateGroupResponse(group: shape(group))
            }
        }

        r.register(IAMOperation.GetGroup.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetGroup", resource: try Resource.group(input.groupName, context))]
        }) { input, context in
            try await context.store.read { db in
                let group = try find(input.groupName, context.accountId, db)
                let members = try UserRecord.fetchAll(db, cached: """
                    SELECT user.* FROM user JOIN groupMembership m ON m.userId = user.id WHERE m.groupId = ?
                    """, arguments: [group.id]).sortedByName(\.name)
                let page = try Page(members, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.GetGroupResponse(
                    group: shape(group), isTruncated: page.isTruncated, marker: page.marker,
                    users: try page.items.map { try Users.shape($0, db, full: false) })
            }
        }

        r.register(IAMOperation.ListGroups.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListGroups", resource: "*")]
        }) { input, context in
            try await context.store.read { db in
                let prefix = input.pathPrefix ?? "/"
                let groups = try GroupRecord.fetchAll(
                    db, cached: "SELECT * FROM iamGroup WHERE accountId = ? AND substr(path, 1, length(?)) = ?",
                    arguments: [context.accountId, prefix, prefix]
                ).sortedByName(\.name)
                let page = try Page(groups, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListGroupsResponse(groups: page.items.map(shape), isTruncated: page.isTruncated, marker: page.marker)
            }
        }

        r.register(IAMOperation.ListGroupsForUser.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListGroupsForUser", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let user = try Users.find(input.userName, context.accountId, db)
                let groups = try GroupRecord.fetchAll(db, cached: """
                    SELECT iamGroup.* FROM iamGroup JOIN groupMembership m ON m.groupId = iamGroup.id WHERE m.userId = ?
                    """, arguments: [user.id]).sortedByName(\.name)
                let page = try Page(groups, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListGroupsForUserResponse(groups: page.items.map(shape), isTruncated: page.isTruncated, marker: page.marker)
            }
        }

        r.register(IAMOperation.UpdateGroup.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateGroup", resource: try Resource.group(input.groupName, context))]
        }) { input, context in
            try await context.store.write { db in
                var group = try find(input.groupName, context.accountId, db)
                if let newName = input.newGroupName, newName.lowercased() != group.name.lowercased() {
                    if try GroupRecord.fetchOne(
                        db, cached: "SELECT * FROM iamGroup WHERE accountId = ? AND name = ?", arguments: [context.accountId, newName]) != nil
                    {
                        throw IAMError.groupExists(newName)
                    }
                }
                if let newName = input.newGroupName { group.name = newName }
                if let newPath = input.newPath { group.path = newPath }
                try group.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteGroup.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteGroup", resource: try Resource.group(input.groupName, context))]
        }) { input, context in
            try await context.store.write { db in
                let group = try find(input.groupName, context.accountId, db)
                func has(_ sql: String) throws -> Bool { try Int.fetchOne(db, cached: sql, arguments: [group.id]) ?? 0 > 0 }
                if try has("SELECT count(*) FROM groupMembership WHERE groupId = ?") { throw IAMError.mustRemoveUsersFromGroup }
                if try has("SELECT count(*) FROM policyAttachment WHERE principalId = ?") { throw IAMError.mustDetachPolicies }
                if try has("SELECT count(*) FROM inlinePolicy WHERE principalId = ?") { throw IAMError.mustDeletePolicies }
                _ = try group.delete(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.AddUserToGroup.self, access: .check { input, context in
            [AccessRequest(action: "iam:AddUserToGroup", resource: try Resource.group(input.groupName, context))]
        }) { input, context in
            try await context.store.write { db in
                let user = try Users.find(input.userName, context.accountId, db)
                let group = try find(input.groupName, context.accountId, db)
                if try GroupMembershipRecord.fetchOne(db, key: ["groupId": group.id, "userId": user.id]) != nil {
                    return EmptyShape()
                }
                let count = try Int.fetchOne(db, cached: "SELECT count(*) FROM groupMembership WHERE userId = ?", arguments: [user.id]) ?? 0
                if count >= groupsPerUser { throw IAMError.quota("GroupsPerUser", groupsPerUser) }
                try GroupMembershipRecord(groupId: group.id, userId: user.id, addedAt: context.now.secondsSince1970).insert(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.RemoveUserFromGroup.self, access: .check { input, context in
            [AccessRequest(action: "iam:RemoveUserFromGroup", resource: try Resource.group(input.groupName, context))]
        }) { input, context in
            try await context.store.write { db in
                // AWS checks the user first, and removing a non-member succeeds.
                let user = try Users.find(input.userName, context.accountId, db)
                let group = try find(input.groupName, context.accountId, db)
                try db.execute(cached: "DELETE FROM groupMembership WHERE groupId = ? AND userId = ?", arguments: [group.id, user.id])
                return EmptyShape()
            }
        }
    }

    static func find(_ name: String, _ account: String, _ db: Database) throws -> GroupRecord {
        guard let group = try GroupRecord.fetchOne(
            db, cached: "SELECT * FROM iamGroup WHERE accountId = ? AND name = ?", arguments: [account, name])
        else { throw IAMError.noSuchGroup(name) }
        return group
    }

    static func shape(_ group: GroupRecord) -> IAMShapes.Group {
        IAMShapes.Group(
            arn: group.arn, createDate: Timestamp(secondsSince1970: group.createdAt), groupId: group.id, groupName: group.name,
            path: group.path)
    }
}
