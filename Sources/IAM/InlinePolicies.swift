import AWSShapes
import GRDB
import PolicyEngine
import ServiceKit
import Storage

/// Inline policies embedded in roles, users and groups.
enum InlinePolicies {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.PutRolePolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:PutRolePolicy", resource: try Resource.role(input.roleName, context))]
        }) { input, context in try await put(.role, input.roleName, input.policyName, input.policyDocument, context) }
        r.register(IAMOperation.PutUserPolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:PutUserPolicy", resource: try Resource.user(input.userName, context))]
        }) { input, context in try await put(.user, input.userName, input.policyName, input.policyDocument, context) }
        r.register(IAMOperation.PutGroupPolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:PutGroupPolicy", resource: try Resource.group(input.groupName, context))]
        }) { input, context in try await put(.group, input.groupName, input.policyName, input.policyDocument, context) }

        r.register(IAMOperation.GetRolePolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetRolePolicy", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            let (entity, document) = try await get(.role, input.roleName, input.policyName, context)
            return IAMShapes.GetRolePolicyResponse(policyDocument: document, policyName: input.policyName, roleName: entity)
        }
        r.register(IAMOperation.GetUserPolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetUserPolicy", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            let (entity, document) = try await get(.user, input.userName, input.policyName, context)
            return IAMShapes.GetUserPolicyResponse(policyDocument: document, policyName: input.policyName, userName: entity)
        }
        r.register(IAMOperation.GetGroupPolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetGroupPolicy", resource: try Resource.group(input.groupName, context))]
        }) { input, context in
            let (entity, document) = try await get(.group, input.groupName, input.policyName, context)
            return IAMShapes.GetGroupPolicyResponse(groupName: entity, policyDocument: document, policyName: input.policyName)
        }

        r.register(IAMOperation.ListRolePolicies.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListRolePolicies", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            let page = try await list(.role, input.roleName, input.marker, input.maxItems, context)
            return IAMShapes.ListRolePoliciesResponse(isTruncated: page.isTruncated, marker: page.marker, policyNames: page.items)
        }
        r.register(IAMOperation.ListUserPolicies.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListUserPolicies", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            let page = try await list(.user, input.userName, input.marker, input.maxItems, context)
            return IAMShapes.ListUserPoliciesResponse(isTruncated: page.isTruncated, marker: page.marker, policyNames: page.items)
        }
        r.register(IAMOperation.ListGroupPolicies.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListGroupPolicies", resource: try Resource.group(input.groupName, context))]
        }) { input, context in
            let page = try await list(.group, input.groupName, input.marker, input.maxItems, context)
            return IAMShapes.ListGroupPoliciesResponse(isTruncated: page.isTruncated, marker: page.marker, policyNames: page.items)
        }

        r.register(IAMOperation.DeleteRolePolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteRolePolicy", resource: try Resource.role(input.roleName, context))]
        }) { input, context in try await delete(.role, input.roleName, input.policyName, context) }
        r.register(IAMOperation.DeleteUserPolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteUserPolicy", resource: try Resource.user(input.userName, context))]
        }) { input, context in try await delete(.user, input.userName, input.policyName, context) }
        r.register(IAMOperation.DeleteGroupPolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteGroupPolicy", resource: try Resource.group(input.groupName, context))]
        }) { input, context in try await delete(.group, input.groupName, input.policyName, context) }
    }

    /// Adds or replaces an inline policy; the identity's inline policies
    /// together must stay within its size quota.
    static func put(_ identity: Identity, _ name: String, _ policyName: String, _ document: String, _ context: OperationContext) async throws -> EmptyShape {
        try await context.store.write { db in
            let entity = try identity.find(name, context.accountId, db)
            if identity.type == .role, let role = try RoleRecord.fetchOne(db, key: entity.id) { try Roles.refuseProtected(role) }
            try PolicyValidation.inline(document)
            let others = try String.fetchAll(
                db, cached: "SELECT document FROM inlinePolicy WHERE principalId = ? AND name != ?", arguments: [entity.id, policyName])
            let total = others.reduce(PolicyDocument.size(of: document)) { $0 + PolicyDocument.size(of: $1) }
            if total > identity.inlineSizeLimit {
                throw IAMError.inlinePolicySize(identity.owner, entity.name, limit: identity.inlineSizeLimit)
            }
            try InlinePolicyRecord(
                principalId: entity.id, principalType: identity.type, accountId: context.accountId, name: policyName, document: document
            ).save(db)
            return EmptyShape()
        }
    }

    static func get(_ identity: Identity, _ name: String, _ policyName: String, _ context: OperationContext) async throws -> (String, String) {
        try await context.store.read { db in
            let entity = try identity.find(name, context.accountId, db)
            guard let document = try String.fetchOne(
                db, cached: "SELECT document FROM inlinePolicy WHERE principalId = ? AND name = ?", arguments: [entity.id, policyName])
            else { throw IAMError.noSuchInlinePolicy(identity.owner, policyName) }
            return (entity.name, document)
        }
    }

    static func list(_ identity: Identity, _ name: String, _ marker: String?, _ maxItems: Int?, _ context: OperationContext) async throws -> Page<String> {
        try await context.store.read { db in
            let entity = try identity.find(name, context.accountId, db)
            let names = try String.fetchAll(db, cached: "SELECT name FROM inlinePolicy WHERE principalId = ?", arguments: [entity.id])
            return try Page(names.sortedByName { $0 }, marker: marker, maxItems: maxItems)
        }
    }

    static func delete(_ identity: Identity, _ name: String, _ policyName: String, _ context: OperationContext) async throws -> EmptyShape {
        try await context.store.write { db in
            let entity = try identity.find(name, context.accountId, db)
            if identity.type == .role, let role = try RoleRecord.fetchOne(db, key: entity.id) { try Roles.refuseProtected(role) }
            try db.execute(cached: "DELETE FROM inlinePolicy WHERE principalId = ? AND name = ?", arguments: [entity.id, policyName])
            if db.changesCount == 0 { throw IAMError.noSuchInlinePolicy(identity.owner, policyName) }
            return EmptyShape()
        }
    }
}
