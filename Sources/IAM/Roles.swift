import AWSShapes
import GRDB
import ServiceKit
import Storage

/// Roles: create, read, list, update, delete, permissions boundary, tags.
enum Roles {
    static let defaultMaxSessionDuration = 3600

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateRole.self, access: .check { input, context in
            var keys = IAMTags.requestKeys(input.tags)
            if let boundary = input.permissionsBoundary { keys["iam:PermissionsBoundary"] = [boundary] }
            return [AccessRequest(
                action: "iam:CreateRole", resource: IAMArn.role(context.accountId, path: input.path ?? "/", name: input.roleName),
                keys: keys)]
        }, handler: create)

        r.register(IAMOperation.GetRole.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetRole", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            try await context.store.read { db in
                let role = try find(input.roleName, context.accountId, db)
                return IAMShapes.GetRoleResponse(role: try shape(role, .get, db))
            }
        }

        r.register(IAMOperation.ListRoles.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListRoles", resource: "*")]
        }) { input, context in
            try await context.store.read { db in
                let prefix = input.pathPrefix ?? "/"
                let roles = try RoleRecord.fetchAll(
                    db, cached: "SELECT * FROM role WHERE accountId = ? AND substr(path, 1, length(?)) = ?",
                    arguments: [context.accountId, prefix, prefix]
                ).sortedByName(\.name)
                let page = try Page(roles, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListRolesResponse(
                    isTruncated: page.isTruncated, marker: page.marker, roles: try page.items.map { try shape($0, .list, db) })
            }
        }

        r.register(IAMOperation.UpdateRole.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateRole", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            try await context.store.write { db in
                var role = try find(input.roleName, context.accountId, db)
                try refuseProtected(role)
                if let description = input.description { role.description = description }
                if let duration = input.maxSessionDuration { role.maxSessionDuration = duration }
                try role.update(db)
                return IAMShapes.UpdateRoleResponse()
            }
        }

        r.register(IAMOperation.UpdateRoleDescription.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateRoleDescription", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            try await context.store.write { db in
                var role = try find(input.roleName, context.accountId, db)
                try refuseProtected(role)
                role.description = input.description
                try role.update(db)
                return IAMShapes.UpdateRoleDescriptionResponse(role: try shape(role, .updateDescription, db))
            }
        }

        r.register(IAMOperation.UpdateAssumeRolePolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateAssumeRolePolicy", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            try await context.store.write { db in
                var role = try find(input.roleName, context.accountId, db)
                try refuseProtected(role)
                let ids = try PolicyValidation.trust(input.policyDocument, account: context.accountId, db)
                role.trustPolicy = input.policyDocument
                role.trustPrincipalIds = TrustPrincipals.record(ids)
                try role.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteRole.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteRole", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            try await context.store.write { db in
                let role = try find(input.roleName, context.accountId, db)
                try refuseProtected(role)
                try delete(role, db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.PutRolePermissionsBoundary.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:PutRolePermissionsBoundary", resource: try Resource.role(input.roleName, context),
                keys: ["iam:PermissionsBoundary": [input.permissionsBoundary]])]
        }) { input, context in
            try await context.store.write { db in
                var role = try find(input.roleName, context.accountId, db)
                try refuseProtected(role)
                try Boundaries.check(input.permissionsBoundary, context, db)
                role.permissionsBoundaryArn = input.permissionsBoundary
                try role.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteRolePermissionsBoundary.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteRolePermissionsBoundary", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            try await context.store.write { db in
                var role = try find(input.roleName, context.accountId, db)
                try refuseProtected(role)
                role.permissionsBoundaryArn = nil
                try role.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.TagRole.self, access: .check { input, context in
            [AccessRequest(action: "iam:TagRole", resource: try Resource.role(input.roleName, context), keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            try await context.store.write { db in
                let role = try find(input.roleName, context.accountId, db)
                try IAMTags.apply(db, role.id, input.tags)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.UntagRole.self, access: .check { input, context in
            [AccessRequest(action: "iam:UntagRole", resource: try Resource.role(input.roleName, context), keys: ["aws:TagKeys": input.tagKeys])]
        }) { input, context in
            try await context.store.write { db in
                let role = try find(input.roleName, context.accountId, db)
                try IAMTags.remove(db, role.id, keys: input.tagKeys)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListRoleTags.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListRoleTags", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            try await context.store.read { db in
                let role = try find(input.roleName, context.accountId, db)
                let page = try IAMTags.page(try IAMTags.load(db, role.id), marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListRoleTagsResponse(isTruncated: page.isTruncated, marker: page.marker, tags: page.items)
            }
        }
    }

    // MARK: - Handlers

    @Sendable
    static func create(_ input: IAMShapes.CreateRoleRequest, _ context: OperationContext) async throws -> IAMShapes.CreateRoleResponse {
        let id = context.ids.uniqueId(.role)
        return try await context.store.write { db in
            let account = context.accountId
            if try RoleRecord.fetchOne(db, cached: "SELECT * FROM role WHERE accountId = ? AND name = ?", arguments: [account, input.roleName]) != nil {
                throw IAMError.roleExists(input.roleName)
            }
            if (input.path ?? "/").hasPrefix("/aws-service-role/") {
                throw IAMError.invalidInput("Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles")
            }
            let principalIds = try PolicyValidation.trust(input.assumeRolePolicyDocument, account: account, db)
            if let boundary = input.permissionsBoundary { try Boundaries.check(boundary, context, db) }
            if let tags = input.tags { try IAMTags.validate(tags) }
            try AccountQuota.roles.checkRoomForOne(db, account: account)
            let role = RoleRecord(
                id: id, accountId: account, name: input.roleName, path: input.path ?? "/",
                trustPolicy: input.assumeRolePolicyDocument, description: input.description,
                maxSessionDuration: input.maxSessionDuration ?? defaultMaxSessionDuration,
                createdAt: context.now.secondsSince1970, permissionsBoundaryArn: input.permissionsBoundary,
                trustPrincipalIds: TrustPrincipals.record(principalIds))
            try role.insert(db)
            if let tags = input.tags { try IAMTags.apply(db, id, tags) }
            return IAMShapes.CreateRoleResponse(role: try shape(role, .create, db))
        }
    }

    /// Deletes a role after AWS's checks, in AWS's order: instance profiles,
    /// then managed policies, then inline policies.
    static func delete(_ role: RoleRecord, _ db: Database) throws {
        if try Int.fetchOne(db, cached: "SELECT count(*) FROM instanceProfileRole WHERE roleId = ?", arguments: [role.id]) ?? 0 > 0 {
            throw IAMError.mustRemoveRolesFromProfile
        }
        if try Int.fetchOne(db, cached: "SELECT count(*) FROM policyAttachment WHERE principalId = ?", arguments: [role.id]) ?? 0 > 0 {
            throw IAMError.mustDetachPolicies
        }
        if try Int.fetchOne(db, cached: "SELECT count(*) FROM inlinePolicy WHERE principalId = ?", arguments: [role.id]) ?? 0 > 0 {
            throw IAMError.mustDeletePolicies
        }
        try IAMTags.removeAll(db, role.id)
        _ = try role.delete(db)
    }

    // MARK: - Lookup and shapes

    static func find(_ name: String, _ account: String, _ db: Database) throws -> RoleRecord {
        guard let role = try RoleRecord.fetchOne(
            db, cached: "SELECT * FROM role WHERE accountId = ? AND name = ?", arguments: [account, name])
        else { throw IAMError.noSuchRole(name) }
        return role
    }

    /// Service-linked roles belong to the AWS service that created them.
    static func refuseProtected(_ role: RoleRecord) throws {
        if role.path.hasPrefix("/aws-service-role/") { throw IAMError.protectedRole(role.name) }
    }

    /// Which operation a role is returned by: each returns a different subset
    /// of the role's attributes (docs/research/iam.md §8).
    enum View {
        case create, get, list, updateDescription, nested
    }

    static func shape(_ role: RoleRecord, _ view: View, _ db: Database) throws -> IAMShapes.Role {
        var shape = IAMShapes.Role(
            arn: role.arn, assumeRolePolicyDocument: try TrustPrincipals.document(of: role, db),
            createDate: Timestamp(secondsSince1970: role.createdAt), path: role.path, roleId: role.id, roleName: role.name)
        switch view {
        case .nested:
            return shape
        case .create, .get, .updateDescription:
            shape.description = role.description
            shape.permissionsBoundary = role.permissionsBoundaryArn.map(Boundaries.shape)
            let tags = try IAMTags.load(db, role.id)
            shape.tags = tags.isEmpty ? nil : tags
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
    static func check(_ arn: String, _ context: OperationContext, _ db: Database) throws {
        guard IAMArn.isPolicyArn(arn) else { throw IAMError.invalidInput("ARN \(arn) is not valid.") }
        guard try ManagedPolicies.exists(arn, context, db) else { throw IAMError.noSuchBoundary(arn) }
    }

    static func shape(_ arn: String) -> IAMShapes.AttachedPermissionsBoundary {
        IAMShapes.AttachedPermissionsBoundary(permissionsBoundaryArn: arn, permissionsBoundaryType: "Policy")
    }
}
