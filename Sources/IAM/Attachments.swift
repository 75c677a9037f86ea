import AWSShapes
import GRDB
import ServiceKit
import Storage

/// Attaching managed policies to roles, users and groups, and listing them.
enum Attachments {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.AttachRolePolicy.self, access: .check { input, context in
            [try request(.role, "Attach", input.roleName, input.policyArn, context)]
        }) { input, context in try await attach(.role, input.roleName, input.policyArn, context) }
        r.register(IAMOperation.AttachUserPolicy.self, access: .check { input, context in
            [try request(.user, "Attach", input.userName, input.policyArn, context)]
        }) { input, context in try await attach(.user, input.userName, input.policyArn, context) }
        r.register(IAMOperation.AttachGroupPolicy.self, access: .check { input, context in
            [try request(.group, "Attach", input.groupName, input.policyArn, context)]
        }) { input, context in try await attach(.group, input.groupName, input.policyArn, context) }

        r.register(IAMOperation.DetachRolePolicy.self, access: .check { input, context in
            [try request(.role, "Detach", input.roleName, input.policyArn, context)]
        }) { input, context in try await detach(.role, input.roleName, input.policyArn, context) }
        r.register(IAMOperation.DetachUserPolicy.self, access: .check { input, context in
            [try request(.user, "Detach", input.userName, input.policyArn, context)]
        }) { input, context in try await detach(.user, input.userName, input.policyArn, context) }
        r.register(IAMOperation.DetachGroupPolicy.self, access: .check { input, context in
            [try request(.group, "Detach", input.groupName, input.policyArn, context)]
        }) { input, context in try await detach(.group, input.groupName, input.policyArn, context) }

        r.register(IAMOperation.ListAttachedRolePolicies.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListAttachedRolePolicies", resource: try Resource.role(input.roleName, context))]
        }) { input, context in
            let page = try await list(.role, input.roleName, input.pathPrefix, input.marker, input.maxItems, context)
            return IAMShapes.ListAttachedRolePoliciesResponse(attachedPolicies: page.items, isTruncated: page.isTruncated, marker: page.marker)
        }
        r.register(IAMOperation.ListAttachedUserPolicies.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListAttachedUserPolicies", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            let page = try await list(.user, input.userName, input.pathPrefix, input.marker, input.maxItems, context)
            return IAMShapes.ListAttachedUserPoliciesResponse(attachedPolicies: page.items, isTruncated: page.isTruncated, marker: page.marker)
        }
        r.register(IAMOperation.ListAttachedGroupPolicies.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListAttachedGroupPolicies", resource: try Resource.group(input.groupName, context))]
        }) { input, context in
            let page = try await list(.group, input.groupName, input.pathPrefix, input.marker, input.maxItems, context)
            return IAMShapes.ListAttachedGroupPoliciesResponse(attachedPolicies: page.items, isTruncated: page.isTruncated, marker: page.marker)
        }
    }

    /// `iam:AttachRolePolicy` on the role, with `iam:PolicyARN`.
    static func request(_ identity: Identity, _ verb: String, _ name: String, _ policyArn: String, _ context: OperationContext) throws -> AccessRequest {
        AccessRequest(
            action: "iam:\(verb)\(identity.actionNoun)Policy", resource: try identity.arn(name, context),
            keys: ["iam:PolicyARN": [policyArn]])
    }

    static func attach(_ identity: Identity, _ name: String, _ policyArn: String, _ context: OperationContext) async throws -> EmptyShape {
        try await context.store.write { db in
            let entity = try identity.find(name, context.accountId, db)
            guard policyArn.hasPrefix("arn:") else { throw IAMError.invalidARN(policyArn) }
            guard IAMArn.isPolicyArn(policyArn), let policy = try ManagedPolicies.find(policyArn, context, db) else {
                throw IAMError.policyNotAttachable(policyArn)
            }
            if policy.isAWSManaged, policy.path.hasPrefix("/aws-service-role/"), identity.type == .role {
                throw IAMShapes.Errors.policyNotAttachable("Cannot attach a Service Role Policy to a Customer Role.")
            }
            let attached = try String.fetchAll(
                db, cached: "SELECT policyArn FROM policyAttachment WHERE principalId = ?", arguments: [entity.id])
            if attached.contains(policyArn) { return EmptyShape() }
            if attached.count >= Identity.attachedLimit { throw IAMError.quota(identity.attachedQuotaName, Identity.attachedLimit) }
            try PolicyAttachmentRecord(
                principalId: entity.id, principalType: identity.type, accountId: context.accountId, policyArn: policyArn,
                attachedAt: context.now.secondsSince1970
            ).insert(db)
            return EmptyShape()
        }
    }

    static func detach(_ identity: Identity, _ name: String, _ policyArn: String, _ context: OperationContext) async throws -> EmptyShape {
        try await context.store.write { db in
            let entity = try identity.find(name, context.accountId, db)
            guard policyArn.hasPrefix("arn:") else { throw IAMError.invalidARN(policyArn) }
            try db.execute(
                cached: "DELETE FROM policyAttachment WHERE principalId = ? AND policyArn = ?", arguments: [entity.id, policyArn])
            if db.changesCount == 0 { throw IAMError.policyNotFound(policyArn) }
            return EmptyShape()
        }
    }

    static func list(
        _ identity: Identity, _ name: String, _ pathPrefix: String?, _ marker: String?, _ maxItems: Int?, _ context: OperationContext
    ) async throws -> Page<IAMShapes.AttachedPolicy> {
        try await context.store.read { db in
            let entity = try identity.find(name, context.accountId, db)
            let arns = try String.fetchAll(db, cached: "SELECT policyArn FROM policyAttachment WHERE principalId = ?", arguments: [entity.id])
            let prefix = pathPrefix ?? "/"
            let policies = try arns.compactMap { try ManagedPolicies.find($0, context, db) }.filter { $0.path.hasPrefix(prefix) }
            let shapes = policies.sortedByName(\.name).map { IAMShapes.AttachedPolicy(policyArn: $0.arn, policyName: $0.name) }
            return try Page(shapes, marker: marker, maxItems: maxItems)
        }
    }
}
