import AWSShapes
import ServiceKit
import Storage

/// Instance profiles: the container that hands a role to EC2 instances.
enum InstanceProfiles {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateInstanceProfile.self,
            .transaction(.write, target: newProfile, keys: { IAMTags.requestKeys($0.tags) }, act: create))
        r.register(
            IAMOperation.GetInstanceProfile.self,
            .transaction(.read, target: { input, context, tx in try InstanceProfileTarget(input.instanceProfileName, context, tx) }, act: get))
        r.register(
            IAMOperation.ListInstanceProfiles.self,
            .transaction(.read, target: ListingTarget.of("instance-profile") { $0.pathPrefix }, act: list))
        r.register(IAMOperation.ListInstanceProfilesForRole.self, .transaction(.read, target: PolicyHolderTarget.of, act: listForRole))
        r.register(
            IAMOperation.DeleteInstanceProfile.self,
            .transaction(.write, target: { input, context, tx in try InstanceProfileTarget(input.instanceProfileName, context, tx) }, act: delete))
        r.register(
            IAMOperation.AddRoleToInstanceProfile.self,
            .transaction(.write, target: { input, context, tx in try InstanceProfileTarget(input.instanceProfileName, context, tx) }, act: addRole))
        r.register(
            IAMOperation.RemoveRoleFromInstanceProfile.self,
            .transaction(
                .write, target: { input, context, tx in try InstanceProfileTarget(input.instanceProfileName, context, tx) }, act: removeRole))
        IAMTagging.register(
            IAMOperation.TagInstanceProfile.self, IAMOperation.UntagInstanceProfile.self, IAMOperation.ListInstanceProfileTags.self,
            on: InstanceProfileTarget.self, &r)
    }

    /// The profile a CreateInstanceProfile request names, at its path.
    static func newProfile(_ input: IAMShapes.CreateInstanceProfileRequest, _ context: OperationContext, _ tx: Transaction) -> ResourceARN {
        ResourceARN(IAMArn.instanceProfile(context.accountId, path: input.path ?? "/", name: input.instanceProfileName))
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateInstanceProfileRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateInstanceProfileResponse {
        let id = context.ids.uniqueId(.instanceProfile)
        if try InstanceProfileRecord.named(input.instanceProfileName, account: context.accountId, in: tx) != nil {
            throw IAMError.instanceProfileExists(input.instanceProfileName)
        }
        if let tags = input.tags { try IAMTags.validate(tags) }
        let profile = InstanceProfileRecord(
            id: id, accountId: context.accountId, name: input.instanceProfileName, path: input.path ?? "/",
            createdAt: context.now.secondsSince1970)
        try tx.insert(profile)
        if let tags = input.tags { try IAMTags.apply(tx, id, tags) }
        var shape = try shape(profile, tx)
        shape.tags = IAMTags.echoed(input.tags)
        return IAMShapes.CreateInstanceProfileResponse(instanceProfile: shape)
    }

    static func get(
        _ input: IAMShapes.GetInstanceProfileRequest, _ target: InstanceProfileTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetInstanceProfileResponse {
        let profile = try target.existing()
        var shape = try shape(profile, tx)
        shape.tags = try IAMTags.load(tx, profile.id)
        return IAMShapes.GetInstanceProfileResponse(instanceProfile: shape)
    }

    static func list(
        _ input: IAMShapes.ListInstanceProfilesRequest, _ target: ListingTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListInstanceProfilesResponse {
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try InstanceProfileRecord.page(account: context.accountId, pathPrefix: input.pathPrefix ?? "/", after: after, limit: limit, in: tx)
        } position: { $0.name }
        return IAMShapes.ListInstanceProfilesResponse(
            instanceProfiles: try page.items.map { try shape($0, tx) }, isTruncated: page.isTruncated, marker: page.marker)
    }

    static func listForRole(
        _ input: IAMShapes.ListInstanceProfilesForRoleRequest, _ target: PolicyHolderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListInstanceProfilesForRoleResponse {
        let role = try target.existing()
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try InstanceProfileRecord.page(holding: role.id, account: context.accountId, after: after, limit: limit, in: tx)
        } position: { $0.name }
        return IAMShapes.ListInstanceProfilesForRoleResponse(
            instanceProfiles: try page.items.map { try shape($0, tx) }, isTruncated: page.isTruncated, marker: page.marker)
    }

    static func delete(
        _ input: IAMShapes.DeleteInstanceProfileRequest, _ target: InstanceProfileTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let profile = try target.existing()
        if try InstanceProfileRecord.roleCount(of: profile.id, in: tx) > 0 { throw IAMError.mustRemoveRolesFromProfile }
        try IAMTags.removeAll(tx, profile.id)
        try tx.delete(profile)
        return EmptyShape()
    }

    static func addRole(
        _ input: IAMShapes.AddRoleToInstanceProfileRequest, _ target: InstanceProfileTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let profile = try target.existing()
        let role = try role(input.roleName, context, tx)
        // One role per instance profile, and adding it again is over the quota too.
        if try InstanceProfileRecord.roleCount(of: profile.id, in: tx) > 0 {
            throw IAMError.quota("InstanceSessionsPerInstanceProfile", 1)
        }
        try tx.insert(InstanceProfileRoleRecord(profileId: profile.id, roleId: role.id))
        return EmptyShape()
    }

    static func removeRole(
        _ input: IAMShapes.RemoveRoleFromInstanceProfileRequest, _ target: InstanceProfileTarget, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> EmptyShape {
        let profile = try target.existing()
        let role = try role(input.roleName, context, tx)
        guard let membership = try InstanceProfileRoleRecord.find(profileId: profile.id, roleId: role.id, in: tx) else {
            throw IAMError.roleNotInInstanceProfile(role.name, profile.name)
        }
        try tx.delete(membership)
        return EmptyShape()
    }

    /// The role an Add/RemoveRole request names; it is not authorized on, only the profile is.
    static func role(_ name: String, _ context: OperationContext, _ tx: Transaction) throws -> RoleRecord {
        guard let role = try RoleRecord.named(name, account: context.accountId, in: tx) else { throw IAMError.noSuchRole(name) }
        return role
    }

    // MARK: - Shapes

    static func shape(_ profile: InstanceProfileRecord, _ tx: Transaction) throws -> IAMShapes.InstanceProfile {
        IAMShapes.InstanceProfile(
            arn: profile.arn, createDate: Timestamp(secondsSince1970: profile.createdAt), instanceProfileId: profile.id,
            instanceProfileName: profile.name, path: profile.path,
            roles: try InstanceProfileRecord.roles(of: profile.id, in: tx).map { try Roles.shape($0, .nested, tx) })
    }
}

/// An instance profile named by an operation's input, loaded in its
/// transaction: authorized on its ARN (path "/" when it does not exist),
/// acted on if it exists.
struct InstanceProfileTarget: IAMTaggable {
    let name: String
    let profile: InstanceProfileRecord?
    let resource: String

    init(_ name: String, _ context: OperationContext, _ tx: Transaction) throws {
        self.name = name
        profile = try InstanceProfileRecord.named(name, account: context.accountId, in: tx)
        resource = IAMArn.instanceProfile(context.accountId, path: profile?.path ?? "/", name: name)
    }

    var facts: ResourceFacts { .loaded(nil) }

    func existing() throws -> InstanceProfileRecord {
        guard let profile else { throw IAMError.noSuchInstanceProfile(name) }
        return profile
    }

    var taggedId: String { get throws { try existing().id } }
}

extension IAMShapes.TagInstanceProfileRequest: TagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> InstanceProfileTarget {
        try InstanceProfileTarget(instanceProfileName, context, tx)
    }
}
extension IAMShapes.UntagInstanceProfileRequest: UntagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> InstanceProfileTarget {
        try InstanceProfileTarget(instanceProfileName, context, tx)
    }
}
extension IAMShapes.ListInstanceProfileTagsRequest: ListTagsRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> InstanceProfileTarget {
        try InstanceProfileTarget(instanceProfileName, context, tx)
    }
}
extension IAMShapes.ListInstanceProfileTagsResponse: ListTagsResponse {}
