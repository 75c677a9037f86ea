import AWSShapes
import ServiceKit
import Storage

/// IAM users: create, read, list, update (rename, move), delete, boundary, tags.
enum Users {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateUser.self,
            .transaction(
                .write,
                target: { input, context, _ in
                    ResourceARN(IAMArn.user(context.accountId, path: input.path ?? "/", name: input.userName))
                },
                keys: { input in
                    var keys = IAMTags.requestKeys(input.tags)
                    if let boundary = input.permissionsBoundary { keys["iam:PermissionsBoundary"] = [boundary] }
                    return keys
                }, act: create))
        r.register(IAMOperation.GetUser.self, .transaction(.read, target: UserTarget.orCaller { $0.userName }, act: get))
        r.register(IAMOperation.ListUsers.self, .transaction(.read, target: ListingTarget.of("user") { $0.pathPrefix }, act: list))
        r.register(IAMOperation.UpdateUser.self, .transaction(.write, target: UserTarget.named { $0.userName }, act: update))
        r.register(IAMOperation.DeleteUser.self, .transaction(.write, target: UserTarget.named { $0.userName }, act: delete))
        r.register(
            IAMOperation.PutUserPermissionsBoundary.self,
            .transaction(
                .write, target: UserTarget.named { $0.userName }, keys: { ["iam:PermissionsBoundary": [$0.permissionsBoundary]] },
                act: putBoundary))
        r.register(
            IAMOperation.DeleteUserPermissionsBoundary.self,
            .transaction(.write, target: UserTarget.named { $0.userName }, act: deleteBoundary))
        IAMTagging.register(IAMOperation.TagUser.self, IAMOperation.UntagUser.self, IAMOperation.ListUserTags.self, on: UserTarget.self, &r)
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateUserRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateUserResponse {
        let id = context.ids.uniqueId(.user)
        if try UserRecord.named(input.userName, account: context.accountId, in: tx) != nil { throw IAMError.userExists(input.userName) }
        if let boundary = input.permissionsBoundary { try Boundaries.check(boundary, context, tx) }
        if let tags = input.tags { try IAMTags.validate(tags) }
        try AccountQuota.users.checkRoomForOne(tx, account: context.accountId)
        let user = UserRecord(
            id: id, accountId: context.accountId, name: input.userName, path: input.path ?? "/",
            createdAt: context.now.secondsSince1970, permissionsBoundaryArn: input.permissionsBoundary)
        try tx.insert(user)
        if let tags = input.tags { try IAMTags.apply(tx, id, tags) }
        var created = shape(user, tags: [])
        created.tags = IAMTags.echoed(input.tags)
        return IAMShapes.CreateUserResponse(user: created)
    }

    static func get(_ input: IAMShapes.GetUserRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.GetUserResponse
    {
        if input.userName == nil && context.principal.kind != .user && context.principal.kind != .root {
            // A role session or federated user has no IAM user to describe. AWS's text, as the AWS CLI
            // prints it for SSO and assumed-role credentials ("An error occurred (ValidationError) when
            // calling the GetUser operation: Must specify userName when calling with non-User credentials"),
            // quoted by terraform-provider-aws (aws_iam_access_key import) and answered by moto.
            throw IAMError.validation("Must specify userName when calling with non-User credentials")
        }
        guard input.userName != nil || callerUserName(context) != nil else {
            // The root user: its account, with no user name or path of its own.
            let account = try tx.fetch(AccountRecord.self, key: context.accountId)
            return IAMShapes.GetUserResponse(user: IAMShapes.User(
                arn: "arn:aws:iam::\(context.accountId):root",
                createDate: Timestamp(secondsSince1970: account?.createdAt ?? 0), userId: context.accountId))
        }
        return IAMShapes.GetUserResponse(user: shape(try target.existing(), tags: target.tags))
    }

    static func list(_ input: IAMShapes.ListUsersRequest, _ target: ListingTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.ListUsersResponse
    {
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try UserRecord.page(account: context.accountId, pathPrefix: input.pathPrefix ?? "/", after: after, limit: limit, in: tx)
        } position: { $0.name }
        return IAMShapes.ListUsersResponse(isTruncated: page.isTruncated, marker: page.marker, users: page.items.map(listed))
    }

    static func update(_ input: IAMShapes.UpdateUserRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> EmptyShape
    {
        var user = try target.existing()
        if let newName = input.newUserName, newName.lowercased() != user.name.lowercased(),
            try UserRecord.named(newName, account: context.accountId, in: tx) != nil
        {
            throw IAMError.userExists(newName)
        }
        if let newName = input.newUserName { user.name = newName }
        if let newPath = input.newPath { user.path = newPath }
        try tx.update(user)
        return EmptyShape()
    }

    static func delete(_ input: IAMShapes.DeleteUserRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> EmptyShape
    {
        try delete(try target.existing(), tx)
        return EmptyShape()
    }

    static func putBoundary(
        _ input: IAMShapes.PutUserPermissionsBoundaryRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        var user = try target.existing()
        try Boundaries.check(input.permissionsBoundary, context, tx)
        user.permissionsBoundaryArn = input.permissionsBoundary
        try tx.update(user)
        return EmptyShape()
    }

    static func deleteBoundary(
        _ input: IAMShapes.DeleteUserPermissionsBoundaryRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        var user = try target.existing()
        user.permissionsBoundaryArn = nil
        try tx.update(user)
        return EmptyShape()
    }

    // MARK: - Lookup and shapes

    /// The calling IAM user's name, when the caller is one.
    static func callerUserName(_ context: OperationContext) -> String? {
        context.principal.kind == .user ? context.principal.entityName : nil
    }

    static func find(_ name: String, _ context: OperationContext, _ tx: Transaction) throws -> UserRecord {
        guard let user = try UserRecord.named(name, account: context.accountId, in: tx) else { throw IAMError.noSuchUser(name) }
        return user
    }

    /// What DeleteUser refuses to delete with the user, in the order its
    /// documentation lists the prerequisites, and how it says so.
    static let prerequisites: [(UserBelonging, AWSError)] = [
        (.loginProfile, IAMError.mustDeleteLoginProfile),
        (.accessKey, IAMError.mustDeleteAccessKeys),
        (.signingCertificate, IAMError.mustDeleteCertificates),
        (.sshPublicKey, IAMError.mustRemoveReferencedObjects),
        (.serviceSpecificCredential, IAMError.mustRemoveReferencedObjects),
        (.mfaDevice, IAMError.mustDeleteMFADevice),
        (.inlinePolicy, IAMError.mustDeletePolicies),
        (.attachedPolicy, IAMError.mustDetachPolicies),
        (.groupMembership, IAMError.mustRemoveUsersFromGroup),
    ]

    /// Deletes a user after AWS's checks.
    static func delete(_ user: UserRecord, _ tx: Transaction) throws {
        for (belonging, conflict) in prerequisites where try UserRecord.holds(belonging, userId: user.id, in: tx) {
            throw conflict
        }
        try IAMTags.removeAll(tx, user.id)
        try tx.delete(user)
    }

    /// What CreateUser and GetUser return: the listed fields, the boundary, and tags when there are some.
    static func shape(_ user: UserRecord, tags: [TagRecord]) -> IAMShapes.User {
        var shape = listed(user)
        shape.permissionsBoundary = user.permissionsBoundaryArn.map(Boundaries.shape)
        shape.tags = tags.isEmpty ? nil : tags.map { IAMShapes.Tag(key: $0.key, value: $0.value) }
        return shape
    }

    /// What lists return (ListUsers, GetGroup, ListVirtualMFADevices): no boundary or tags.
    static func listed(_ user: UserRecord) -> IAMShapes.User {
        IAMShapes.User(
            arn: user.arn, createDate: Timestamp(secondsSince1970: user.createdAt),
            passwordLastUsed: user.passwordLastUsedAt.map { Timestamp(secondsSince1970: $0) }, path: user.path,
            userId: user.id, userName: user.name)
    }
}

/// A user named by an operation's input (or, where UserName is optional, the
/// calling IAM user), loaded in its transaction with its tags: authorized on
/// the ARN `Resource.user` names, acted on if it exists.
struct UserTarget: IAMTaggable {
    /// The user asked about: the name given, or the calling IAM user's; nil when the caller is not an IAM user.
    let name: String?
    let user: UserRecord?
    let tags: [TagRecord]
    let resource: String
    /// The caller, asked about without a UserName.
    private let implicit: Bool

    private init(name: String?, user: UserRecord?, resource: String, implicit: Bool = false, _ tx: Transaction) throws {
        self.name = name
        self.user = user
        self.resource = resource
        self.implicit = implicit
        tags = try user.map { try TagRecord.all(of: $0.id, in: tx) } ?? []
    }

    init(_ name: String, _ context: OperationContext, _ tx: Transaction) throws {
        let user = try UserRecord.named(name, account: context.accountId, in: tx)
        try self.init(name: name, user: user, resource: Resource.user(name, path: user?.path, context), tx)
    }

    /// The named user, or without a name the caller: an IAM user is its own
    /// ARN; anyone else is authorized on `user/` and must name a user.
    init(orCaller name: String?, _ context: OperationContext, _ tx: Transaction) throws {
        if let name {
            try self.init(name, context, tx)
        } else if context.principal.kind == .user {
            let caller = context.principal.entityName
            let user = try caller.flatMap { try UserRecord.named($0, account: context.accountId, in: tx) }
            try self.init(name: caller, user: user, resource: context.principal.arn, implicit: true, tx)
        } else {
            try self.init(name: nil, user: nil, resource: Resource.noUser(context), tx)
        }
    }

    /// An operation's target: the user its input names.
    static func named<Input>(_ name: @escaping @Sendable (Input) -> String)
        -> @Sendable (Input, OperationContext, Transaction) throws -> UserTarget
    {
        { input, context, tx in try UserTarget(name(input), context, tx) }
    }

    /// An operation's target: the user its input names, or the caller.
    static func orCaller<Input>(_ name: @escaping @Sendable (Input) -> String?)
        -> @Sendable (Input, OperationContext, Transaction) throws -> UserTarget
    {
        { input, context, tx in try UserTarget(orCaller: name(input), context, tx) }
    }

    /// Without a name the ARN (`user/`) names no user: the authorizer looks it up itself, as it always has.
    var facts: ResourceFacts {
        guard name != nil else { return .lookUp }
        let facts = Self.facts(user, tags: tags)
        // Without a UserName, IAM's denial reads "on resource: user nullNAME" (a CloudTrail
        // record of 2018 for CreateAccessKey, DeleteAccessKey and ListAccessKeys; CLI outputs
        // for ListAccessKeys; docs/research/fidelity-issue18.md §19), while the caller's ARN is
        // what policies are matched against.
        guard implicit, let name, case .loaded(var information?) = facts else { return facts }
        information.denialName = "user null\(name)"
        return .loaded(information)
    }

    /// What the authorizer knows of a user, as `IAMResources` describes users: owner and tags.
    static func facts(_ user: UserRecord?, tags: [TagRecord]) -> ResourceFacts {
        .loaded(user.map {
            ResourceInformation(
                policy: nil, ownerAccountId: $0.accountId, tags: IAMResources.dictionary(tags), dependencies: [.principal($0.id)])
        })
    }

    /// The user; without a name, `UserName` was required (the caller is not an IAM user).
    func existing() throws -> UserRecord {
        guard let name else { throw IAMError.userNameRequired }
        guard let user else { throw IAMError.noSuchUser(name) }
        return user
    }

    var taggedId: String { get throws { try existing().id } }
}

extension IAMShapes.TagUserRequest: TagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> UserTarget { try UserTarget(userName, context, tx) }
}
extension IAMShapes.UntagUserRequest: UntagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> UserTarget { try UserTarget(userName, context, tx) }
}
extension IAMShapes.ListUserTagsRequest: ListTagsRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> UserTarget { try UserTarget(userName, context, tx) }
}
extension IAMShapes.ListUserTagsResponse: ListTagsResponse {}
