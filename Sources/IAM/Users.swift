import AWSShapes
import GRDB
import ServiceKit
import Storage

/// IAM users: create, read, list, update (rename, move), delete, boundary, tags.
enum Users {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateUser.self, access: .check { input, context in
            var keys = IAMTags.requestKeys(input.tags)
            if let boundary = input.permissionsBoundary { keys["iam:PermissionsBoundary"] = [boundary] }
            return [AccessRequest(
                action: "iam:CreateUser", resource: IAMArn.user(context.accountId, path: input.path ?? "/", name: input.userName),
                keys: keys)]
        }) { input, context in
            let id = context.ids.uniqueId(.user)
            return try await context.store.write { db in
                if try UserRecord.fetchOne(
                    db, cached: "SELECT * FROM user WHERE accountId = ? AND name = ?", arguments: [context.accountId, input.userName]) != nil
                {
                    throw IAMError.userExists(input.userName)
                }
                if let boundary = input.permissionsBoundary { try Boundaries.check(boundary, context, db) }
                if let tags = input.tags { try IAMTags.validate(tags) }
                try AccountQuota.users.checkRoomForOne(db, account: context.accountId)
                let user = UserRecord(
                    id: id, accountId: context.accountId, name: input.userName, path: input.path ?? "/",
                    createdAt: context.now.secondsSince1970, permissionsBoundaryArn: input.permissionsBoundary)
                try user.insert(db)
                if let tags = input.tags { try IAMTags.apply(db, id, tags) }
                return IAMShapes.CreateUserResponse(user: try shape(user, db, full: true))
            }
        }

        r.register(IAMOperation.GetUser.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetUser", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                guard let name = input.userName ?? callerUserName(context) else {
                    // The root user: its account, with no user name or path of its own.
                    let account = try AccountRecord.fetchOne(db, key: context.accountId)
                    return IAMShapes.GetUserResponse(user: IAMShapes.User(
                        arn: "arn:aws:iam::\(context.accountId):root",
                        createDate: Timestamp(secondsSince1970: account?.createdAt ?? 0), userId: context.accountId))
                }
                return IAMShapes.GetUserResponse(user: try shape(find(name, context.accountId, db), db, full: true))
            }
        }

        r.register(IAMOperation.ListUsers.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListUsers", resource: "*")]
        }) { input, context in
            try await context.store.read { db in
                let prefix = input.pathPrefix ?? "/"
                let users = try UserRecord.fetchAll(
                    db, cached: "SELECT * FROM user WHERE accountId = ? AND substr(path, 1, length(?)) = ?",
                    arguments: [context.accountId, prefix, prefix]
                ).sortedByName(\.name)
                let page = try Page(users, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListUsersResponse(
                    isTruncated: page.isTruncated, marker: page.marker, users: try page.items.map { try shape($0, db, full: false) })
            }
        }

        r.register(IAMOperation.UpdateUser.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateUser", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                var user = try find(input.userName, context.accountId, db)
                if let newName = input.newUserName, newName.lowercased() != user.name.lowercased() {
                    if try UserRecord.fetchOne(
                        db, cached: "SELECT * FROM user WHERE accountId = ? AND name = ?", arguments: [context.accountId, newName]) != nil
                    {
                        throw IAMError.userExists(newName)
                    }
                }
                if let newName = input.newUserName { user.name = newName }
                if let newPath = input.newPath { user.path = newPath }
                try user.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteUser.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteUser", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                let user = try find(input.userName, context.accountId, db)
                try delete(user, db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.PutUserPermissionsBoundary.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:PutUserPermissionsBoundary", resource: try Resource.user(input.userName, context),
                keys: ["iam:PermissionsBoundary": [input.permissionsBoundary]])]
        }) { input, context in
            try await context.store.write { db in
                var user = try find(input.userName, context.accountId, db)
                try Boundaries.check(input.permissionsBoundary, context, db)
                user.permissionsBoundaryArn = input.permissionsBoundary
                try user.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteUserPermissionsBoundary.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteUserPermissionsBoundary", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                var user = try find(input.userName, context.accountId, db)
                user.permissionsBoundaryArn = nil
                try user.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.TagUser.self, access: .check { input, context in
            [AccessRequest(action: "iam:TagUser", resource: try Resource.user(input.userName, context), keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.apply(db, try find(input.userName, context.accountId, db).id, input.tags)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.UntagUser.self, access: .check { input, context in
            [AccessRequest(action: "iam:UntagUser", resource: try Resource.user(input.userName, context), keys: ["aws:TagKeys": input.tagKeys])]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.remove(db, try find(input.userName, context.accountId, db).id, keys: input.tagKeys)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListUserTags.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListUserTags", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let user = try find(input.userName, context.accountId, db)
                let page = try IAMTags.page(try IAMTags.load(db, user.id), marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListUserTagsResponse(isTruncated: page.isTruncated, marker: page.marker, tags: page.items)
            }
        }
    }

    /// The calling IAM user's name, when the caller is one.
    static func callerUserName(_ context: OperationContext) -> String? {
        context.principal.kind == .user ? context.principal.entityName : nil
    }

    static func find(_ name: String, _ account: String, _ db: Database) throws -> UserRecord {
        guard let user = try UserRecord.fetchOne(
            db, cached: "SELECT * FROM user WHERE accountId = ? AND name = ?", arguments: [account, name])
        else { throw IAMError.noSuchUser(name) }
        return user
    }

    /// Deletes a user after AWS's checks, in the order its DeleteUser
    /// documentation lists the prerequisites.
    static func delete(_ user: UserRecord, _ db: Database) throws {
        func has(_ sql: String) throws -> Bool { try Int.fetchOne(db, cached: sql, arguments: [user.id]) ?? 0 > 0 }
        if try has("SELECT count(*) FROM loginProfile WHERE userId = ?") { throw IAMError.mustDeleteLoginProfile }
        if try has("SELECT count(*) FROM accessKey WHERE userId = ?") { throw IAMError.mustDeleteAccessKeys }
        if try has("SELECT count(*) FROM signingCertificate WHERE userId = ?") { throw IAMError.mustDeleteCertificates }
        if try has("SELECT count(*) FROM sshPublicKey WHERE userId = ?") { throw IAMError.mustRemoveReferencedObjects }
        if try has("SELECT count(*) FROM serviceSpecificCredential WHERE userId = ?") { throw IAMError.mustRemoveReferencedObjects }
        if try has("SELECT count(*) FROM mfaDevice WHERE userId = ?") { throw IAMError.mustDeleteMFADevice }
        if try has("SELECT count(*) FROM inlinePolicy WHERE principalId = ?") { throw IAMError.mustDeletePolicies }
        if try has("SELECT count(*) FROM policyAttachment WHERE principalId = ?") { throw IAMError.mustDetachPolicies }
        if try has("SELECT count(*) FROM groupMembership WHERE userId = ?") { throw IAMError.mustRemoveUsersFromGroup }
        try IAMTags.removeAll(db, user.id)
        _ = try user.delete(db)
    }

    /// `full`: Create/Get add the boundary and tags; lists leave them out.
    static func shape(_ user: UserRecord, _ db: Database, full: Bool) throws -> IAMShapes.User {
        var shape = IAMShapes.User(
            arn: user.arn, createDate: Timestamp(secondsSince1970: user.createdAt),
            passwordLastUsed: user.passwordLastUsedAt.map { Timestamp(secondsSince1970: $0) }, path: user.path,
            userId: user.id, userName: user.name)
        if full {
            shape.permissionsBoundary = user.permissionsBoundaryArn.map(Boundaries.shape)
            let tags = try IAMTags.load(db, user.id)
            shape.tags = tags.isEmpty ? nil : tags
        }
        return shape
    }
}
