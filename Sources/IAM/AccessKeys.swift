import AWSShapes
import GRDB
import ServiceKit
import Storage

/// Long-term access keys of IAM users and of the root user.
enum AccessKeys {
    static let perUser = 2

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateAccessKey.self, access: .check { input, context in
            [AccessRequest(action: "iam:CreateAccessKey", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            let id = context.ids.accessKeyId(.accessKey)
            let secret = context.ids.secretAccessKey()
            return try await context.store.write { db in
                let owner = try target(input.userName, context, db)
                let count = try Int.fetchOne(db, cached: owner.userId == nil
                    ? "SELECT count(*) FROM accessKey WHERE accountId = ? AND userId IS NULL"
                    : "SELECT count(*) FROM accessKey WHERE userId = ?",
                    arguments: [owner.userId ?? context.accountId]) ?? 0
                if count >= perUser { throw IAMError.quota("AccessKeysPerUser", perUser) }
                let key = AccessKeyRecord(
                    id: id, secret: secret, accountId: context.accountId, userId: owner.userId, status: "Active",
                    createdAt: context.now.secondsSince1970)
                try key.insert(db)
                return IAMShapes.CreateAccessKeyResponse(accessKey: IAMShapes.AccessKey(
                    accessKeyId: id, createDate: Timestamp(secondsSince1970: key.createdAt), secretAccessKey: secret,
                    status: key.status, userName: owner.name))
            }
        }

        r.register(IAMOperation.ListAccessKeys.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListAccessKeys", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let owner = try target(input.userName, context, db)
                let keys = try AccessKeyRecord.fetchAll(db, cached: owner.userId == nil
                    ? "SELECT * FROM accessKey WHERE accountId = ? AND userId IS NULL ORDER BY createdAt"
                    : "SELECT * FROM accessKey WHERE userId = ? ORDER BY createdAt",
                    arguments: [owner.userId ?? context.accountId])
                let page = try Page(keys, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListAccessKeysResponse(
                    accessKeyMetadata: page.items.map {
                        IAMShapes.AccessKeyMetadata(
                            accessKeyId: $0.id, createDate: Timestamp(secondsSince1970: $0.createdAt), status: $0.status,
                            userName: owner.name)
                    }, isTruncated: page.isTruncated, marker: page.marker)
            }
        }

        r.register(IAMOperation.UpdateAccessKey.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateAccessKey", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                var key = try find(input.accessKeyId, input.userName, context, db)
                key.status = input.status
                try key.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteAccessKey.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteAccessKey", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                let key = try find(input.accessKeyId, input.userName, context, db)
                _ = try key.delete(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.GetAccessKeyLastUsed.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetAccessKeyLastUsed", resource: try keyOwnerArn(input.accessKeyId, context))]
        }) { input, context in
            try await context.store.read { db in
                guard let key = try AccessKeyRecord.fetchOne(db, key: input.accessKeyId), key.accountId == context.accountId else {
                    // AWS answers a key it cannot find as a denial, without a colon after "perform".
                    throw AWSError(
                        code: "AccessDenied",
                        message: "User: \(context.principal.arn) is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key \(input.accessKeyId)",
                        status: 403)
                }
                let userName = try key.userId.flatMap { try UserRecord.fetchOne(db, key: $0)?.name }
                return IAMShapes.GetAccessKeyLastUsedResponse(
                    accessKeyLastUsed: IAMShapes.AccessKeyLastUsed(
                        lastUsedDate: key.lastUsedAt.map { Timestamp(secondsSince1970: $0) }, region: key.lastUsedRegion ?? "N/A",
                        serviceName: key.lastUsedService ?? "N/A"),
                    userName: userName)
            }
        }
    }

    /// The user whose keys an operation manages: the named user, the calling
    /// user, or the root user when root calls without a name.
    static func target(_ userName: String?, _ context: OperationContext, _ db: Database) throws -> (userId: String?, name: String) {
        if let userName {
            let user = try Users.find(userName, context.accountId, db)
            return (user.id, user.name)
        }
        switch context.principal.kind {
        case .user:
            guard let id = context.principal.entityId, let name = context.principal.entityName else { throw IAMError.userNameRequired }
            return (id, name)
        case .root:
            return (nil, "")
        default:
            throw IAMError.userNameRequired
        }
    }

    static func find(_ accessKeyId: String, _ userName: String?, _ context: OperationContext, _ db: Database) throws -> AccessKeyRecord {
        let owner = try target(userName, context, db)
        guard let key = try AccessKeyRecord.fetchOne(db, key: accessKeyId), key.accountId == context.accountId,
            key.userId == owner.userId
        else { throw IAMError.noSuchAccessKey(accessKeyId) }
        return key
    }

    static func keyOwnerArn(_ accessKeyId: String, _ context: OperationContext) throws -> String {
        let owner = try context.store.read { db -> String? in
            guard let key = try AccessKeyRecord.fetchOne(db, key: accessKeyId), let userId = key.userId else { return nil }
            return try UserRecord.fetchOne(db, key: userId)?.arn
        }
        return owner ?? "arn:aws:iam::\(context.accountId):user/"
    }
}
