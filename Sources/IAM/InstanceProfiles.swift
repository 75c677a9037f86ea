import AWSShapes
import GRDB
import ServiceKit
import Storage

/// Instance profiles: the container that hands a role to EC2 instances.
enum InstanceProfiles {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateInstanceProfile.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:CreateInstanceProfile",
                resource: IAMArn.instanceProfile(context.accountId, path: input.path ?? "/", name: input.instanceProfileName),
                keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            let id = context.ids.uniqueId(.instanceProfile)
            return try await context.store.write { db in
                if try InstanceProfileRecord.fetchOne(
                    db, cached: "SELECT * FROM instanceProfile WHERE accountId = ? AND name = ?",
                    arguments: [context.accountId, input.instanceProfileName]) != nil
                {
                    throw IAMError.instanceProfileExists(input.instanceProfileName)
                }
                if let tags = input.tags { try IAMTags.validate(tags) }
                let profile = InstanceProfileRecord(
                    id: id, accountId: context.accountId, name: input.instanceProfileName, path: input.path ?? "/",
                    createdAt: context.now.secondsSince1970)
                try profile.insert(db)
                if let tags = input.tags { try IAMTags.apply(db, id, tags) }
                var shape = try shape(profile, db)
                if let tags = input.tags, !tags.isEmpty { shape.tags = try IAMTags.load(db, id) }
                return IAMShapes.CreateInstanceProfileResponse(instanceProfile: shape)
            }
        }

        r.register(IAMOperation.GetInstanceProfile.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetInstanceProfile", resource: try Resource.instanceProfile(input.instanceProfileName, context))]
        }) { input, context in
            try await context.store.read { db in
                let profile = try find(input.instanceProfileName, context.accountId, db)
                var shape = try shape(profile, db)
                shape.tags = try IAMTags.load(db, profile.id)
                return IAMShapes.GetInstanceProfileResponse(instanceProfile: shape)
            }
        }

        r.register(IAMOperation.ListInstanceProfiles.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListInstanceProfiles", resource: "*")]
        }) { input, context in
            try await context.store.read { db in
                let prefix = input.pathPrefix ?? "/"
                let profiles = try InstanceProfileRecord.fetchAll(
                    db, cached: "SELECT * FROM instanceProfile WHERE accountId = ? AND substr(path, 1, length(?)) = ?",
                    arguments: [context.accountId, prefix, prefix]
                ).sortedByName(\.name)
                let page = try Page(profiles, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListInstanceProfilesResponse(
                    instanceProfiles: try page.items.map { try shape($0, db) }, isTruncated: page.isTruncated, marker: page.marker)
            }
        }

        r.register(IAMOperation.ListInstanceProfilesForRole.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListInstanceProfilesForRole", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            try await context.store.read { db in
                let role = try Roles.find(input.roleName, context.accountId, db)
                let profiles = try InstanceProfileRecord.fetchAll(db, cached: """
                    SELECT p.* FROM instanceProfile p JOIN instanceProfileRole r ON r.profileId = p.id WHERE r.roleId = ?
                    """, arguments: [role.id]).sortedByName(\.name)
                let page = try Page(profiles, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListInstanceProfilesForRoleResponse(
                    instanceProfiles: try page.items.map { try shape($0, db) }, isTruncated: page.isTruncated, marker: page.marker)
            }
        }

        r.register(IAMOperation.DeleteInstanceProfile.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteInstanceProfile", resource: try Resource.instanceProfile(input.instanceProfileName, context))]
        }) { input, context in
            try await context.store.write { db in
                let profile = try find(input.instanceProfileName, context.accountId, db)
                if try Int.fetchOne(db, cached: "SELECT count(*) FROM instanceProfileRole WHERE profileId = ?", arguments: [profile.id]) ?? 0 > 0 {
                    throw IAMError.mustRemoveRolesFromProfile
                }
                try IAMTags.removeAll(db, profile.id)
                _ = try profile.delete(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.AddRoleToInstanceProfile.self, access: .check { input, context in
            [AccessRequest(action: "iam:AddRoleToInstanceProfile", resource: try Resource.instanceProfile(input.instanceProfileName, context))]
        }) { input, context in
            try await context.store.write { db in
                let profile = try find(input.instanceProfileName, context.accountId, db)
                let role = try Roles.find(input.roleName, context.accountId, db)
                // One role per instance profile, and adding it again is over the quota too.
                if try Int.fetchOne(db, cached: "SELECT count(*) FROM instanceProfileRole WHERE profileId = ?", arguments: [profile.id]) ?? 0 > 0 {
                    throw IAMError.quota("InstanceSessionsPerInstanceProfile", 1)
                }
                try InstanceProfileRoleRecord(profileId: profile.id, roleId: role.id).insert(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.RemoveRoleFromInstanceProfile.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:RemoveRoleFromInstanceProfile", resource: try Resource.instanceProfile(input.instanceProfileName, context))]
        }) { input, context in
            try await context.store.write { db in
                let profile = try find(input.instanceProfileName, context.accountId, db)
                let role = try Roles.find(input.roleName, context.accountId, db)
                try db.execute(
                    cached: "DELETE FROM instanceProfileRole WHERE profileId = ? AND roleId = ?", arguments: [profile.id, role.id])
                if db.changesCount == 0 { throw IAMError.roleNotInInstanceProfile(role.name, profile.name) }
                return EmptyShape()
            }
        }

        r.register(IAMOperation.TagInstanceProfile.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:TagInstanceProfile", resource: try Resource.instanceProfile(input.instanceProfileName, context),
                keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.apply(db, try find(input.instanceProfileName, context.accountId, db).id, input.tags)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.UntagInstanceProfile.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:UntagInstanceProfile", resource: try Resource.instanceProfile(input.instanceProfileName, context),
                keys: ["aws:TagKeys": input.tagKeys])]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.remove(db, try find(input.instanceProfileName, context.accountId, db).id, keys: input.tagKeys)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListInstanceProfileTags.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListInstanceProfileTags", resource: try Resource.instanceProfile(input.instanceProfileName, context))]
        }) { input, context in
            try await context.store.read { db in
                let profile = try find(input.instanceProfileName, context.accountId, db)
                let page = try IAMTags.page(try IAMTags.load(db, profile.id), marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListInstanceProfileTagsResponse(isTruncated: page.isTruncated, marker: page.marker, tags: page.items)
            }
        }
    }

    static func find(_ name: String, _ account: String, _ db: Database) throws -> InstanceProfileRecord {
        guard let profile = try InstanceProfileRecord.fetchOne(
            db, cached: "SELECT * FROM instanceProfile WHERE accountId = ? AND name = ?", arguments: [account, name])
        else { throw IAMError.noSuchInstanceProfile(name) }
        return profile
    }

    static func shape(_ profile: InstanceProfileRecord, _ db: Database) throws -> IAMShapes.InstanceProfile {
        let roles = try RoleRecord.fetchAll(db, cached: """
            SELECT role.* FROM role JOIN instanceProfileRole r ON r.roleId = role.id WHERE r.profileId = ?
            """, arguments: [profile.id])
        return IAMShapes.InstanceProfile(
            arn: profile.arn, createDate: Timestamp(secondsSince1970: profile.createdAt), instanceProfileId: profile.id,
            instanceProfileName: profile.name, path: profile.path, roles: try roles.map { try Roles.shape($0, .nested, db) })
    }
}
