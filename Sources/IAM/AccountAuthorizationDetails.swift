import AWSShapes
import GRDB
import ServiceKit
import Storage

/// GetAccountAuthorizationDetails: every user, group, role and managed
/// policy in use, with the policies each has, filtered and paged as one list.
enum AccountAuthorizationDetails {
    /// One entry of the combined list, keyed for paging in AWS's section order.
    enum Entry: Sendable {
        case user(IAMShapes.UserDetail)
        case group(IAMShapes.GroupDetail)
        case role(IAMShapes.RoleDetail)
        case policy(IAMShapes.ManagedPolicyDetail)
    }

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.GetAccountAuthorizationDetails.self, access: .check { _, _ in
            [AccessRequest(action: "iam:GetAccountAuthorizationDetails", resource: "*")]
        }) { input, context in
            try await context.store.read { db in
                let filter = Set(input.filter ?? ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"])
                var entries: [(key: String, entry: Entry)] = []
                if filter.contains("User") { entries += try users(context, db) }
                if filter.contains("Group") { entries += try groups(context, db) }
                if filter.contains("Role") { entries += try roles(context, db) }
                entries += try policies(local: filter.contains("LocalManagedPolicy"), aws: filter.contains("AWSManagedPolicy"), context, db)
                let page = try Page(entries, marker: input.marker, maxItems: input.maxItems)
                var response = IAMShapes.GetAccountAuthorizationDetailsResponse(
                    groupDetailList: [], isTruncated: page.isTruncated, marker: page.marker, policies: [], roleDetailList: [],
                    userDetailList: [])
                for item in page.items {
                    switch item.entry {
                    case .user(let detail): response.userDetailList?.append(detail)
                    case .group(let detail): response.groupDetailList?.append(detail)
                    case .role(let detail): response.roleDetailList?.append(detail)
                    case .policy(let detail): response.policies?.append(detail)
                    }
                }
                return response
            }
        }
    }

    /// Sections sort users, groups, roles, policies; names within them.
    static func key(_ section: Int, _ name: String) -> String { "\(section)/" + IAMPaging.sortKey(name) }

    static func users(_ context: OperationContext, _ db: Database) throws -> [(key: String, entry: Entry)] {
        try UserRecord.fetchAll(db, cached: "SELECT * FROM user WHERE accountId = ?", arguments: [context.accountId]).map { user in
            let groups = try String.fetchAll(db, cached: """
                SELECT g.name FROM iamGroup g JOIN groupMembership m ON m.groupId = g.id WHERE m.userId = ? ORDER BY g.name
                """, arguments: [user.id])
            let tags = try IAMTags.load(db, user.id)
            let detail = IAMShapes.UserDetail(
                arn: user.arn, attachedManagedPolicies: try attached(user.id, context, db),
                createDate: Timestamp(secondsSince1970: user.createdAt), groupList: groups, path: user.path,
                permissionsBoundary: user.permissionsBoundaryArn.map(Boundaries.shape), tags: tags.isEmpty ? nil : tags, userId: user.id,
                userName: user.name, userPolicyList: try inline(user.id, db))
            return (key(0, user.name), .user(detail))
        }
    }

    static func groups(_ context: OperationContext, _ db: Database) throws -> [(key: String, entry: Entry)] {
        try GroupRecord.fetchAll(db, cached: "SELECT * FROM iamGroup WHERE accountId = ?", arguments: [context.accountId]).map { group in
            let detail = IAMShapes.GroupDetail(
                arn: group.arn, attachedManagedPolicies: try attached(group.id, context, db),
                createDate: Timestamp(secondsSince1970: group.createdAt), groupId: group.id, groupName: group.name,
                groupPolicyList: try inline(group.id, db), path: group.path)
            return (key(1, group.name), .group(detail))
        }
    }

    static func roles(_ context: OperationContext, _ db: Database) throws -> [(key: String, entry: Entry)] {
        try RoleRecord.fetchAll(db, cached: "SELECT * FROM role WHERE accountId = ?", arguments: [context.accountId]).map { role in
            let profiles = try InstanceProfileRecord.fetchAll(db, cached: """
                SELECT p.* FROM instanceProfile p JOIN instanceProfileRole r ON r.profileId = p.id WHERE r.roleId = ?
                """, arguments: [role.id])
            let tags = try IAMTags.load(db, role.id)
            let detail = IAMShapes.RoleDetail(
                arn: role.arn, assumeRolePolicyDocument: try TrustPrincipals.document(of: role, db), attachedManagedPolicies: try attached(role.id, context, db),
                createDate: Timestamp(secondsSince1970: role.createdAt),
                instanceProfileList: try profiles.map { try InstanceProfiles.shape($0, db) }, path: role.path,
                permissionsBoundary: role.permissionsBoundaryArn.map(Boundaries.shape), roleId: role.id,
                roleLastUsed: IAMShapes.RoleLastUsed(
                    lastUsedDate: role.lastUsedAt.map { Timestamp(secondsSince1970: $0) }, region: role.lastUsedRegion),
                roleName: role.name, rolePolicyList: try inline(role.id, db), tags: tags.isEmpty ? nil : tags)
            return (key(2, role.name), .role(detail))
        }
    }

    /// Customer managed policies, and the AWS managed ones the account uses.
    static func policies(local: Bool, aws: Bool, _ context: OperationContext, _ db: Database) throws -> [(key: String, entry: Entry)] {
        var infos: [ManagedPolicies.Info] = []
        if local {
            infos += try ManagedPolicyRecord.fetchAll(db, cached: "SELECT * FROM managedPolicy WHERE accountId = ?", arguments: [context.accountId])
                .map(ManagedPolicies.info)
        }
        if aws {
            let used = try String.fetchAll(db, cached: """
                SELECT policyArn FROM policyAttachment WHERE accountId = ?1
                UNION SELECT permissionsBoundaryArn FROM user WHERE accountId = ?1 AND permissionsBoundaryArn IS NOT NULL
                UNION SELECT permissionsBoundaryArn FROM role WHERE accountId = ?1 AND permissionsBoundaryArn IS NOT NULL
                """, arguments: [context.accountId])
            infos += used.compactMap { context.environment.managedPolicies.policy(arn: $0) }.map(ManagedPolicies.info)
        }
        return try infos.map { info in
            let policy = try ManagedPolicies.shape(info, context, db)
            let detail = IAMShapes.ManagedPolicyDetail(
                arn: info.arn, attachmentCount: policy.attachmentCount, createDate: policy.createDate,
                defaultVersionId: info.defaultVersionId, description: info.description, isAttachable: true, path: info.path,
                permissionsBoundaryUsageCount: policy.permissionsBoundaryUsageCount, policyId: info.id, policyName: info.name,
                policyVersionList: try versions(info, context, db), updateDate: policy.updateDate)
            return (key(3, info.name), .policy(detail))
        }
    }

    /// Newest version first, as ListPolicyVersions orders them.
    static func versions(_ info: ManagedPolicies.Info, _ context: OperationContext, _ db: Database) throws -> [IAMShapes.PolicyVersion] {
        if info.isAWSManaged {
            guard let aws = context.environment.managedPolicies.policy(arn: info.arn) else { return [] }
            return [IAMShapes.PolicyVersion(
                createDate: aws.updateDate, document: aws.document, isDefaultVersion: true, versionId: aws.defaultVersionId)]
        }
        return try PolicyVersionRecord.fetchAll(db, cached: "SELECT * FROM policyVersion WHERE policyArn = ?", arguments: [info.arn])
            .sorted { ManagedPolicies.versionNumber($0.versionId) > ManagedPolicies.versionNumber($1.versionId) }
            .map {
                IAMShapes.PolicyVersion(
                    createDate: Timestamp(secondsSince1970: $0.createdAt), document: $0.document,
                    isDefaultVersion: $0.versionId == info.defaultVersionId, versionId: $0.versionId)
            }
    }

    static func attached(_ principalId: String, _ context: OperationContext, _ db: Database) throws -> [IAMShapes.AttachedPolicy] {
        let arns = try String.fetchAll(db, cached: "SELECT policyArn FROM policyAttachment WHERE principalId = ?", arguments: [principalId])
        return try arns.compactMap { try ManagedPolicies.find($0, context, db) }.sortedByName(\.name)
            .map { IAMShapes.AttachedPolicy(policyArn: $0.arn, policyName: $0.name) }
    }

    static func inline(_ principalId: String, _ db: Database) throws -> [IAMShapes.PolicyDetail] {
        try InlinePolicyRecord.fetchAll(db, cached: "SELECT * FROM inlinePolicy WHERE principalId = ?", arguments: [principalId])
            .sortedByName(\.name).map { IAMShapes.PolicyDetail(policyDocument: $0.document, policyName: $0.name) }
    }
}
