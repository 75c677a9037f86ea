import AWSShapes
import ServiceKit
import Storage

/// Roles: create, read, list, update, delete, permissions boundary, tags.
enum Roles {
    static let defaultMaxSessionDuration = 3600

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateRole.self,
            .transaction(
                .write, target: { input, context, tx in try RoleTarget(input.roleName, path: input.path, context, tx) },
                keys: { input in
                    var keys = IAMTags.requestKeys(input.tags)
                    if let boundary = input.permissionsBoundary { keys["iam:PermissionsBoundary"] = [boundary] }
                    return keys
                }, act: create))
        r.register(
            IAMOperation.GetRole.self,
            .transaction(.read, target: { input, context, tx in try RoleTarget(input.roleName, context, tx) }, act: get)
                .reportingUse { input, context in [.role(account: context.accountId, name: input.roleName.lowercased())] })
        r.register(IAMOperation.ListRoles.self, .transaction(.read, target: ListingTarget.of("role") { $0.pathPrefix }, act: list))
        r.register(IAMOperation.UpdateRole.self, .transaction(.write, target: { input, context, tx in try RoleTarget(input.roleName, context, tx) }, act: update))
        r.register(
            IAMOperation.UpdateRoleDescription.self,
            .transaction(.write, target: { input, context, tx in try RoleTarget(input.roleName, context, tx) }, act: updateDescription))
        r.register(
            IAMOperation.UpdateAssumeRolePolicy.self,
            .transaction(.write, target: { input, context, tx in try RoleTarget(input.roleName, context, tx) }, act: updateTrustPolicy))
        r.register(IAMOperation.DeleteRole.self, .transaction(.write, target: { input, context, tx in try RoleTarget(input.roleName, context, tx) }, act: delete))
        r.register(
            IAMOperation.PutRolePermissionsBoundary.self,
            .transaction(
                .write, target: { input, context, tx in try RoleTarget(input.roleName, context, tx) },
                keys: { ["iam:PermissionsBoundary": [$0.permissionsBoundary]] }, act: putBoundary))
        r.register(
            IAMOperation.DeleteRolePermissionsBoundary.self,
            .transaction(.write, target: { input, context, tx in try RoleTarget(input.roleName, context, tx) }, act: deleteBoundary))
        IAMTagging.register(IAMOperation.TagRole.self, IAMOperation.UntagRole.self, IAMOperation.ListRoleTags.self, on: RoleTarget.self, &r)
    }

    // MARK: - Operations

    static func get(_ input: IAMShapes.GetRoleRequest, _ target: RoleTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.GetRoleResponse
    {
        IAMShapes.GetRoleResponse(role: try shape(try target.existing(), .get, tx, tags: target.tags))
    }

    static func list(_ input: IAMShapes.ListRolesRequest, _ target: ListingTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.ListRolesResponse
    {
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try RoleRecord.page(account: context.accountId, pathPrefix: input.pathPrefix ?? "/", after: after, limit: limit, in: tx)
        } position: { $0.name }
        return IAMShapes.ListRolesResponse(
            isTruncated: page.isTruncated, marker: page.marker, roles: try page.items.map { try shape($0, .list, tx) })
    }

    static func update(_ input: IAMShapes.UpdateRoleRequest, _ target: RoleTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.UpdateRoleResponse
    {
        var role = try target.changeable()
        if let description = input.description { role.description = description }
        if let duration = input.maxSessionDuration { role.maxSessionDuration = duration }
        try tx.update(role)
        return IAMShapes.UpdateRoleResponse()
    }

    static func updateDescription(
        _ input: IAMShapes.UpdateRoleDescriptionRequest, _ target: RoleTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.UpdateRoleDescriptionResponse {
        var role = try target.changeable()
        role.description = input.description
        try tx.update(role)
        return IAMShapes.UpdateRoleDescriptionResponse(role: try shape(role, .updateDescription, tx, tags: target.tags))
    }

    static func updateTrustPolicy(
        _ input: IAMShapes.UpdateAssumeRolePolicyRequest, _ target: RoleTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        var role = try target.changeable()
        let ids = try PolicyValidation.trust(input.policyDocument, account: context.accountId, tx)
        role.trustPolicy = input.policyDocument
        role.trustPrincipalIds = TrustPrincipals.record(ids)
        try tx.update(role)
        return EmptyShape()
    }

    static func delete(_ input: IAMShapes.DeleteRoleRequest, _ target: RoleTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> EmptyShape
    {
        try delete(try target.changeable(), tx)
        return EmptyShape()
    }

    static func putBoundary(
        _ input: IAMShapes.PutRolePermissionsBoundaryRequest, _ target: RoleTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        var role = try target.changeable()
        try Boundaries.check(input.permissionsBoundary, context, tx)
        role.permissionsBoundaryArn = input.permissionsBoundary
        try tx.update(role)
        return EmptyShape()
    }

    static func deleteBoundary(
        _ input: IAMShapes.DeleteRolePermissionsBoundaryRequest, _ target: RoleTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        var role = try target.changeable()
        role.permissionsBoundaryArn = nil
        try tx.update(role)
        return EmptyShape()
    }

    // MARK: - Handlers

    static func create(_ input: IAMShapes.CreateRoleRequest, _ target: RoleTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.CreateRoleResponse
    {
        let id = context.ids.uniqueId(.role)
            let account = context.accountId
            if target.role != nil { throw IAMError.roleExists(input.roleName) }
            if (input.path ?? "/").hasPrefix("/aws-service-role/") {
                throw IAMError.invalidInput("Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles")
            }
            let principalIds = try PolicyValidation.trust(input.assumeRolePolicyDocument, account: account, tx)
            if let boundary = input.permissionsBoundary { try Boundaries.check(boundary, context, tx) }
            if let tags = input.tags { try IAMTags.validate(tags) }
            try AccountQuota.roles.checkRoomForOne(tx, account: account)
            let role = RoleRecord(
                id: id, accountId: account, name: input.roleName, path: input.path ?? "/",
                trustPolicy: input.assumeRolePolicyDocument, description: input.description,
                maxSessionDuration: input.maxSessionDuration ?? defaultMaxSessionDuration,
                createdAt: context.now.secondsSince1970, permissionsBoundaryArn: input.permissionsBoundary,
                trustPrincipalIds: TrustPrincipals.record(principalIds))
            try tx.insert(role)
            if let tags = input.tags { try IAMTags.apply(tx, id, tags) }
            var created = try shape(role, .create, tx)
            created.tags = IAMTags.echoed(input.tags)
            return IAMShapes.CreateRoleResponse(role: created)
    }

    /// Deletes a role after AWS's checks, in AWS's order: instance profiles,
    /// then managed policies, then inline policies.
    static func delete(_ role: RoleRecord, _ tx: Transaction) throws {
        if try RoleRecord.instanceProfileCount(role.id, in: tx) > 0 { throw IAMError.mustRemoveRolesFromProfile }
        if try PolicyAttachmentRecord.count(attachedTo: role.id, in: tx) > 0 { throw IAMError.mustDetachPolicies }
        if try InlinePolicyRecord.count(of: role.id, in: tx) > 0 { throw IAMError.mustDeletePolicies }
        try IAMTags.removeAll(tx, role.id)
        try tx.delete(role)
    }

    // MARK: - Lookup and shapes

    /// Service-linked roles belong to the AWS service that created them.
    static func refuseProtected(_ role: RoleRecord) throws {
        if role.path.hasPrefix("/aws-service-role/") { throw IAMError.protectedRole(role.name) }
    }

    /// Which operation a role is returned by: each returns a different subset
    /// of the role's attributes (docs/research/iam.md §8).
    enum View {
        case create, get, list, updateDescription, nested
    }

    /// - Parameter tags: the role's tags when the caller has them already.
    static func shape(_ role: RoleRecord, _ view: View, _ tx: Transaction, tags known: [TagRecord]? = nil) throws -> IAMShapes.Role {
        var shape = IAMShapes.Role(
            arn: role.arn, assumeRolePolicyDocument: try TrustPrincipals.document(of: role, tx),
            createDate: Timestamp(secondsSince1970: role.createdAt), path: role.path, roleId: role.id, roleName: role.name)
        switch view {
        case .nested:
            return shape
        case .create, .get, .updateDescription:
            // CreateRole's answer leaves the description out even when one was given; GetRole has it
            // (recorded against AWS 11-02-2026: LocalStack test_role_permissions_boundary_lifecycle).
            if view != .create { shape.description = role.description }
            shape.permissionsBoundary = role.permissionsBoundaryArn.map(Boundaries.shape)
            let tags = try known ?? TagRecord.all(of: role.id, in: tx)
            shape.tags = tags.isEmpty ? nil : tags.map { IAMShapes.Tag(key: $0.key, value: $0.value) }
        case .list:
            shape.description = role.description
        }
        if view == .get || view == .list {
            shape.maxSessionDuration = role.maxSessionDuration
        }
        if view == .get {
            shape.roleLastUsed = IAMShapes.RoleLastUsed(
                lastUsedDate: role.lastUsedAt.map { Timestamp(secondsSince1970: $0) }, region: role.lastUsedRegion)
        }
        return shape
    }
}

/// Permissions boundaries: a managed policy ARN that must exist.
enum Boundaries {
    static func check(_ arn: String, _ context: OperationContext, _ tx: Transaction) throws {
        guard IAMArn.isPolicyArn(arn) else { throw IAMError.invalidInput("ARN \(arn) is not valid.") }
        guard try ManagedPolicies.exists(arn, context, tx) else { throw IAMError.noSuchBoundary(arn) }
    }


    static func shape(_ arn: String) -> IAMShapes.AttachedPermissionsBoundary {
        IAMShapes.AttachedPermissionsBoundary(permissionsBoundaryArn: arn, permissionsBoundaryType: "Policy")
    }
}

/// A role named by an operation's input, loaded in its transaction with its
/// tags: authorized on its ARN (path "/" when it does not exist, as AWS names
/// a missing role), acted on if it exists.
struct RoleTarget: IAMTaggable {
    let name: String
    let role: RoleRecord?
    let tags: [TagRecord]
    private let account: String

    /// - Parameter path: for CreateRole, where the new role would be: it is
    ///   authorized on the ARN it would have, whatever role of that name exists.
    init(_ name: String, path: String? = nil, _ context: OperationContext, _ tx: Transaction) throws {
        let account = context.accountId
        let role = try RoleRecord.named(name, account: account, in: tx)
        self.name = name
        self.account = account
        self.role = role
        tags = try role.map { try TagRecord.all(of: $0.id, in: tx) } ?? []
        // Named as the request names it (IAM matches role names ignoring case), at the role's path.
        resource = IAMArn.role(account, path: path ?? role?.path ?? "/", name: name)
    }

    let resource: String
    var facts: ResourceFacts { .loaded(role.map { IAMResources.information($0, tags: tags, trustPolicy: nil) }) }

    func existing() throws -> RoleRecord {
        guard let role else { throw IAMError.noSuchRole(name) }
        return role
    }

    /// The role, unless AWS keeps it from changes: service-linked roles belong to their service.
    func changeable() throws -> RoleRecord {
        let role = try existing()
        try Roles.refuseProtected(role)
        return role
    }

    var taggedId: String { get throws { try existing().id } }
}
