import AWSShapes
import ServiceKit
import Storage

/// Long-term access keys of IAM users and of the root user.
enum AccessKeys {
    static let perUser = 2

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateAccessKey.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: create))
        r.register(IAMOperation.ListAccessKeys.self, .transaction(.read, target: UserTarget.orCaller { $0.userName }, act: list))
        r.register(IAMOperation.UpdateAccessKey.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: update))
        r.register(IAMOperation.DeleteAccessKey.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: delete))
        r.register(
            IAMOperation.GetAccessKeyLastUsed.self,
            .transaction(.read, target: { input, context, tx in try AccessKeyTarget(input.accessKeyId, context, tx) }, act: lastUsed)
                .reportingUse { input, _ in [.accessKey(input.accessKeyId)] })
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateAccessKeyRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateAccessKeyResponse {
        let id = context.ids.accessKeyId(.accessKey)
        let secret = context.ids.secretAccessKey()
        let owner = try owner(input.userName, target, context)
        if try AccessKeyRecord.count(owner: owner.userId, account: context.accountId, in: tx) >= perUser {
            throw IAMError.quota("AccessKeysPerUser", perUser)
        }
        let key = AccessKeyRecord(
            id: id, secret: secret, accountId: context.accountId, userId: owner.userId, status: "Active",
            createdAt: context.now.secondsSince1970)
        try key.insert(in: tx)
        return IAMShapes.CreateAccessKeyResponse(accessKey: IAMShapes.AccessKey(
            accessKeyId: id, createDate: Timestamp(secondsSince1970: key.createdAt), secretAccessKey: secret, status: key.status,
            userName: owner.name))
    }

    /// The owner's keys, oldest first.
    static func list(_ input: IAMShapes.ListAccessKeysRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> IAMShapes.ListAccessKeysResponse
    {
        let owner = try owner(input.userName, target, context)
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try AccessKeyRecord.page(
                owner: owner.userId, account: context.accountId, after: try after.map(AgePosition.init)?.key, limit: limit, in: tx)
        } position: { AgePosition($0.createdAt, $0.id).text }
        return IAMShapes.ListAccessKeysResponse(
            accessKeyMetadata: page.items.map {
                IAMShapes.AccessKeyMetadata(
                    accessKeyId: $0.id, createDate: Timestamp(secondsSince1970: $0.createdAt), status: $0.status, userName: owner.name)
            }, isTruncated: page.isTruncated, marker: page.marker)
    }

    static func update(_ input: IAMShapes.UpdateAccessKeyRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> EmptyShape
    {
        var key = try find(input.accessKeyId, input.userName, target, context, tx)
        key.status = input.status
        try key.update(in: tx)
        return EmptyShape()
    }

    static func delete(_ input: IAMShapes.DeleteAccessKeyRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> EmptyShape
    {
        try find(input.accessKeyId, input.userName, target, context, tx).delete(in: tx)
        return EmptyShape()
    }

    static func lastUsed(
        _ input: IAMShapes.GetAccessKeyLastUsedRequest, _ target: AccessKeyTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetAccessKeyLastUsedResponse {
        guard let key = target.key, key.accountId == context.accountId else {
            // AWS answers a key it cannot find as a denial, without a colon after "perform".
            throw AWSError(
                code: "AccessDenied",
                message: "User: \(context.principal.arn) is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key \(input.accessKeyId)",
                status: 403)
        }
        return IAMShapes.GetAccessKeyLastUsedResponse(
            accessKeyLastUsed: IAMShapes.AccessKeyLastUsed(
                lastUsedDate: key.lastUsedAt.map { Timestamp(secondsSince1970: $0) }, region: key.lastUsedRegion ?? "N/A",
                serviceName: key.lastUsedService ?? "N/A"),
            userName: target.owner?.name)
    }

    // MARK: - Lookup

    /// The user whose keys an operation manages: the named user, the calling
    /// user, or the root user (`userId` nil) when root calls without a name.
    static func owner(_ userName: String?, _ target: UserTarget, _ context: OperationContext) throws -> (userId: String?, name: String) {
        if userName != nil {
            let user = try target.existing()
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

    static func find(
        _ accessKeyId: String, _ userName: String?, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> AccessKeyRecord {
        let owner = try owner(userName, target, context)
        guard let key = try tx.fetch(AccessKeyRecord.self, key: accessKeyId), key.accountId == context.accountId,
            key.userId == owner.userId
        else { throw IAMError.noSuchAccessKey(accessKeyId) }
        return key
    }
}

/// An access key named by id, with the user it belongs to: authorized on that
/// user's ARN (`user/` for a root key or a key that does not exist).
struct AccessKeyTarget: OperationTarget {
    let key: AccessKeyRecord?
    let owner: UserRecord?
    private let ownerTags: [TagRecord]
    let resource: String

    init(_ accessKeyId: String, _ context: OperationContext, _ tx: Transaction) throws {
        key = try tx.fetch(AccessKeyRecord.self, key: accessKeyId)
        owner = try key?.userId.flatMap { try tx.fetch(UserRecord.self, key: $0) }
        ownerTags = try owner.map { try TagRecord.all(of: $0.id, in: tx) } ?? []
        resource = owner?.arn ?? Resource.noUser(context)
    }

    /// Without an owner the ARN (`user/`) names no user: the authorizer looks it up itself, as it always has.
    var facts: ResourceFacts { owner == nil ? .lookUp : UserTarget.facts(owner, tags: ownerTags) }
}
