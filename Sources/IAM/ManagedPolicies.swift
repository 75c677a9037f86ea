import AWSShapes
import GRDB
import ServiceKit
import Storage

/// Managed policies — the account's own and AWS's — and their versions.
///
/// AWS managed policies come from the seed catalog: every account can read and
/// attach them, none can change them (they belong to account `aws`, so a
/// change is a cross-account request no resource policy allows).
enum ManagedPolicies {
    static let versionLimit = 5

    /// One view over both kinds.
    struct Info: Sendable {
        var arn: String
        var id: String
        var name: String
        var path: String
        var description: String?
        var defaultVersionId: String
        var createdAt: Double
        var updatedAt: Double
        var isAWSManaged: Bool
    }

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreatePolicy.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:CreatePolicy", resource: IAMArn.policy(context.accountId, path: input.path ?? "/", name: input.policyName),
                keys: IAMTags.requestKeys(input.tags))]
        }, handler: create)

        r.register(IAMOperation.GetPolicy.self, access: .check { input, context in
            [read("iam:GetPolicy", input.policyArn, context)]
        }) { input, context in
            try await context.store.read { db in
                guard let info = try find(input.policyArn, context, db) else { throw IAMError.policyNotFound(input.policyArn) }
                var policy = try shape(info, context, db)
                policy.description = info.description
                policy.tags = info.isAWSManaged ? [] : try IAMTags.load(db, info.id)
                return IAMShapes.GetPolicyResponse(policy: policy)
            }
        }

        r.register(IAMOperation.ListPolicies.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListPolicies", resource: "*")]
        }, handler: list)

        r.register(IAMOperation.DeletePolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeletePolicy", resource: input.policyArn)]
        }) { input, context in
            try await context.store.write { db in
                guard let info = try find(input.policyArn, context, db), !info.isAWSManaged else {
                    throw IAMError.policyNotFound(input.policyArn)
                }
                if try attachmentCount(info.arn, context, db) > 0 || boundaryUsageCount(info.arn, context, db) > 0 {
                    throw IAMError.policyAttached
                }
                let versions = try Int.fetchOne(db, cached: "SELECT count(*) FROM policyVersion WHERE policyArn = ?", arguments: [info.arn]) ?? 0
                if versions > 1 { throw IAMError.policyHasVersions }
                try IAMTags.removeAll(db, info.id)
                try db.execute(cached: "DELETE FROM managedPolicy WHERE arn = ?", arguments: [info.arn])
                return EmptyShape()
            }
        }

        r.register(IAMOperation.CreatePolicyVersion.self, access: .check { input, context in
            [AccessRequest(action: "iam:CreatePolicyVersion", resource: input.policyArn)]
        }) { input, context in
            try await context.store.write { db in
                var policy = try customer(input.policyArn, context, db, missing: IAMError.policyNotFound(input.policyArn))
                try PolicyValidation.managed(input.policyDocument)
                let count = try Int.fetchOne(db, cached: "SELECT count(*) FROM policyVersion WHERE policyArn = ?", arguments: [policy.arn]) ?? 0
                if count >= versionLimit { throw IAMError.tooManyVersions }
                let versionId = "v\(policy.nextVersionNumber)"
                let now = context.now.secondsSince1970
                try PolicyVersionRecord(policyArn: policy.arn, versionId: versionId, document: input.policyDocument, createdAt: now).insert(db)
                policy.nextVersionNumber += 1
                let makeDefault = input.setAsDefault ?? false
                if makeDefault {
                    policy.defaultVersionId = versionId
                    policy.updatedAt = now
                }
                try policy.update(db)
                return IAMShapes.CreatePolicyVersionResponse(policyVersion: IAMShapes.PolicyVersion(
                    createDate: Timestamp(secondsSince1970: now), isDefaultVersion: makeDefault, versionId: versionId))
            }
        }

        r.register(IAMOperation.GetPolicyVersion.self, access: .check { input, context in
            [read("iam:GetPolicyVersion", input.policyArn, context)]
        }) { input, context in
            try await context.store.read { db in
                let missing = IAMError.noSuchPolicyVersion(input.policyArn, input.versionId)
                guard let info = try find(input.policyArn, context, db) else { throw missing }
                if info.isAWSManaged {
                    guard let aws = context.environment.managedPolicies.policy(arn: info.arn), input.versionId == aws.defaultVersionId
                    else { throw missing }
                    return IAMShapes.GetPolicyVersionResponse(policyVersion: IAMShapes.PolicyVersion(
                        createDate: aws.updateDate, document: aws.document, isDefaultVersion: true, versionId: aws.defaultVersionId))
                }
                guard let version = try PolicyVersionRecord.fetchOne(db, key: ["policyArn": info.arn, "versionId": input.versionId])
                else { throw missing }
                return IAMShapes.GetPolicyVersionResponse(policyVersion: IAMShapes.PolicyVersion(
                    createDate: Timestamp(secondsSince1970: version.createdAt), document: version.document,
                    isDefaultVersion: version.versionId == info.defaultVersionId, versionId: version.versionId))
            }
        }

        r.register(IAMOperation.ListPolicyVersions.self, access: .check { input, context in
            [read("iam:ListPolicyVersions", input.policyArn, context)]
        }) { input, context in
            try await context.store.read { db in
                guard let info = try find(input.policyArn, context, db) else { throw IAMError.policyNotFound(input.policyArn) }
                var versions: [IAMShapes.PolicyVersion]
                if info.isAWSManaged {
                    versions = [IAMShapes.PolicyVersion(
                        createDate: Timestamp(secondsSince1970: info.updatedAt), isDefaultVersion: true, versionId: info.defaultVersionId)]
                } else {
                    versions = try PolicyVersionRecord.fetchAll(
                        db, cached: "SELECT * FROM policyVersion WHERE policyArn = ?", arguments: [info.arn]
                    ).map {
                        IAMShapes.PolicyVersion(
                            createDate: Timestamp(secondsSince1970: $0.createdAt), isDefaultVersion: $0.versionId == info.defaultVersionId,
                            versionId: $0.versionId)
                    }
                }
                // Newest first, as IAM lists them.
                versions.sort { versionNumber($0.versionId) > versionNumber($1.versionId) }
                let page = try Page(versions, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListPolicyVersionsResponse(isTruncated: page.isTruncated, marker: page.marker, versions: page.items)
            }
        }

        r.register(IAMOperation.DeletePolicyVersion.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeletePolicyVersion", resource: input.policyArn)]
        }) { input, context in
            try await context.store.write { db in
                let missing = IAMError.noSuchPolicyVersion(input.policyArn, input.versionId)
                let policy = try customer(input.policyArn, context, db, missing: missing)
                guard try PolicyVersionRecord.fetchOne(db, key: ["policyArn": policy.arn, "versionId": input.versionId]) != nil
                else { throw missing }
                if input.versionId == policy.defaultVersionId { throw IAMError.defaultVersion }
                try db.execute(
                    cached: "DELETE FROM policyVersion WHERE policyArn = ? AND versionId = ?", arguments: [policy.arn, input.versionId])
                return EmptyShape()
            }
        }

        r.register(IAMOperation.SetDefaultPolicyVersion.self, access: .check { input, context in
            [AccessRequest(action: "iam:SetDefaultPolicyVersion", resource: input.policyArn)]
        }) { input, context in
            try await context.store.write { db in
                let missing = IAMError.noSuchPolicyVersion(input.policyArn, input.versionId)
                var policy = try customer(input.policyArn, context, db, missing: missing)
                guard try PolicyVersionRecord.fetchOne(db, key: ["policyArn": policy.arn, "versionId": input.versionId]) != nil
                else { throw missing }
                policy.defaultVersionId = input.versionId
                policy.updatedAt = context.now.secondsSince1970
                try policy.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListEntitiesForPolicy.self, access: .check { input, context in
            [read("iam:ListEntitiesForPolicy", input.policyArn, context)]
        }, handler: listEntities)

        r.register(IAMOperation.TagPolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:TagPolicy", resource: input.policyArn, keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            try await context.store.write { db in
                let policy = try customer(input.policyArn, context, db, missing: IAMError.policyNotFound(input.policyArn))
                try IAMTags.apply(db, policy.id, input.tags, caseSensitive: true)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.UntagPolicy.self, access: .check { input, context in
            [AccessRequest(action: "iam:UntagPolicy", resource: input.policyArn, keys: ["aws:TagKeys": input.tagKeys])]
        }) { input, context in
            try await context.store.write { db in
                let policy = try customer(input.policyArn, context, db, missing: IAMError.policyNotFound(input.policyArn))
                try IAMTags.remove(db, policy.id, keys: input.tagKeys, caseSensitive: true)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListPolicyTags.self, access: .check { input, context in
            [read("iam:ListPolicyTags", input.policyArn, context)]
        }) { input, context in
            try await context.store.read { db in
                guard let info = try find(input.policyArn, context, db) else { throw IAMError.policyNotFound(input.policyArn) }
                let tags = info.isAWSManaged ? [] : try IAMTags.load(db, info.id)
                let page = try IAMTags.page(tags, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListPolicyTagsResponse(isTruncated: page.isTruncated, marker: page.marker, tags: page.items)
            }
        }
    }

    /// Reading a policy: AWS managed policies are readable from every account.
    static func read(_ action: String, _ arn: String, _ context: OperationContext) -> AccessRequest {
        AccessRequest(
            action: action, resource: arn,
            resourceAccount: ManagedPolicyCatalog.isAWSManaged(arn) ? context.accountId : nil)
    }

    // MARK: - Handlers

    @Sendable
    static func create(_ input: IAMShapes.CreatePolicyRequest, _ context: OperationContext) async throws -> IAMShapes.CreatePolicyResponse {
        let id = context.ids.uniqueId(.managedPolicy)
        return try await context.store.write { db in
            let account = context.accountId
            let path = input.path ?? "/"
            if try ManagedPolicyRecord.fetchOne(
                db, cached: "SELECT * FROM managedPolicy WHERE accountId = ? AND name = ?", arguments: [account, input.policyName]) != nil
            {
                throw IAMError.policyExists(input.policyName)
            }
            try PolicyValidation.managed(input.policyDocument)
            if let tags = input.tags { try IAMTags.validate(tags, caseSensitive: true) }
            try AccountQuota.policies.checkRoomForOne(db, account: account)
            let now = context.now.secondsSince1970
            let record = ManagedPolicyRecord(
                arn: IAMArn.policy(account, path: path, name: input.policyName), id: id, accountId: account, name: input.policyName,
                path: path, description: input.description, defaultVersionId: "v1", nextVersionNumber: 2, createdAt: now,
                updatedAt: now)
            try record.insert(db)
            try PolicyVersionRecord(policyArn: record.arn, versionId: "v1", document: input.policyDocument, createdAt: now).insert(db)
            if let tags = input.tags { try IAMTags.apply(db, id, tags, caseSensitive: true) }
            var policy = try shape(info(record), context, db)
            if let tags = input.tags, !tags.isEmpty { policy.tags = try IAMTags.load(db, id) }
            return IAMShapes.CreatePolicyResponse(policy: policy)
        }
    }

    @Sendable
    static func list(_ input: IAMShapes.ListPoliciesRequest, _ context: OperationContext) async throws -> IAMShapes.ListPoliciesResponse {
        try await context.store.read { db in
            let scope = input.scope ?? "All"
            let prefix = input.pathPrefix ?? "/"
            var all: [Info] = []
            if scope != "AWS" {
                all += try ManagedPolicyRecord.fetchAll(
                    db, cached: "SELECT * FROM managedPolicy WHERE accountId = ?", arguments: [context.accountId]
                ).map(info)
            }
            if scope != "Local" {
                all += context.environment.managedPolicies.all.map(info)
            }
            all = all.filter { $0.path.hasPrefix(prefix) }
            let attachments = try counts(
                db, sql: "SELECT policyArn, count(*) FROM policyAttachment WHERE accountId = ? GROUP BY policyArn", context.accountId)
            let boundaries = try counts(db, sql: """
                SELECT permissionsBoundaryArn, count(*) FROM (
                    SELECT permissionsBoundaryArn FROM role WHERE accountId = ?1 AND permissionsBoundaryArn IS NOT NULL
                    UNION ALL SELECT permissionsBoundaryArn FROM user WHERE accountId = ?1 AND permissionsBoundaryArn IS NOT NULL
                ) GROUP BY permissionsBoundaryArn
                """, context.accountId)
            let usage = input.policyUsageFilter
            if input.onlyAttached ?? false {
                all = all.filter { policy in
                    switch usage {
                    case "PermissionsPolicy": (attachments[policy.arn] ?? 0) > 0
                    case "PermissionsBoundary": (boundaries[policy.arn] ?? 0) > 0
                    default: (attachments[policy.arn] ?? 0) > 0 || (boundaries[policy.arn] ?? 0) > 0
                    }
                }
            } else if usage == "PermissionsBoundary" {
                all = all.filter { (boundaries[$0.arn] ?? 0) > 0 }
            }
            let page = try Page(all.sortedByName(\.name), marker: input.marker, maxItems: input.maxItems)
            let policies = page.items.map { policy in
                IAMShapes.Policy(
                    arn: policy.arn, attachmentCount: attachments[policy.arn] ?? 0,
                    createDate: Timestamp(secondsSince1970: policy.createdAt), defaultVersionId: policy.defaultVersionId,
                    isAttachable: true, path: policy.path, permissionsBoundaryUsageCount: boundaries[policy.arn] ?? 0,
                    policyId: policy.id, policyName: policy.name, updateDate: Timestamp(secondsSince1970: policy.updatedAt))
            }
            return IAMShapes.ListPoliciesResponse(isTruncated: page.isTruncated, marker: page.marker, policies: policies)
        }
    }

    @Sendable
    static func listEntities(
        _ input: IAMShapes.ListEntitiesForPolicyRequest, _ context: OperationContext
    ) async throws -> IAMShapes.ListEntitiesForPolicyResponse {
        try await context.store.read { db in
            guard let info = try find(input.policyArn, context, db) else { throw IAMError.policyNotFound(input.policyArn) }
            let filter = input.entityFilter
            if filter == "LocalManagedPolicy" && info.isAWSManaged || filter == "AWSManagedPolicy" && !info.isAWSManaged {
                return IAMShapes.ListEntitiesForPolicyResponse(isTruncated: false, policyGroups: [], policyRoles: [], policyUsers: [])
            }
            let prefix = input.pathPrefix ?? "/"
            let asPolicy = input.policyUsageFilter != "PermissionsBoundary"
            let asBoundary = input.policyUsageFilter != "PermissionsPolicy"
            // (type, name, id) of every entity using the policy.
            var entities: [(type: String, name: String, id: String)] = []
            for (type, table) in [("Group", "iamGroup"), ("Role", "role"), ("User", "user")] {
                if let filter, ["User", "Role", "Group"].contains(filter), filter != type { continue }
                var sql = """
                    SELECT name, id FROM \(table) WHERE accountId = ?1 AND substr(path, 1, length(?3)) = ?3 AND (
                    """
                var clauses: [String] = []
                if asPolicy { clauses.append("id IN (SELECT principalId FROM policyAttachment WHERE policyArn = ?2)") }
                if asBoundary && table != "iamGroup" { clauses.append("permissionsBoundaryArn = ?2") }
                guard !clauses.isEmpty else { continue }
                sql += clauses.joined(separator: " OR ") + ")"
                for row in try Row.fetchAll(db, cached: sql, arguments: [context.accountId, info.arn, prefix]) {
                    entities.append((type, row["name"], row["id"]))
                }
            }
            let sorted = entities.sorted { ($0.type, IAMPaging.sortKey($0.name)) < ($1.type, IAMPaging.sortKey($1.name)) }
            let page = try Page(sorted, marker: input.marker, maxItems: input.maxItems)
            return IAMShapes.ListEntitiesForPolicyResponse(
                isTruncated: page.isTruncated, marker: page.marker,
                policyGroups: page.items.filter { $0.type == "Group" }.map { IAMShapes.PolicyGroup(groupId: $0.id, groupName: $0.name) },
                policyRoles: page.items.filter { $0.type == "Role" }.map { IAMShapes.PolicyRole(roleId: $0.id, roleName: $0.name) },
                policyUsers: page.items.filter { $0.type == "User" }.map { IAMShapes.PolicyUser(userId: $0.id, userName: $0.name) })
        }
    }

    // MARK: - Lookup

    static func find(_ arn: String, _ context: OperationContext, _ db: Database) throws -> Info? {
        if let aws = context.environment.managedPolicies.policy(arn: arn) { return info(aws) }
        return try ManagedPolicyRecord.fetchOne(db, key: arn).flatMap { $0.accountId == context.accountId ? info($0) : nil }
    }

    static func exists(_ arn: String, _ context: OperationContext, _ tx: Transaction) throws -> Bool {
        if context.environment.managedPolicies.policy(arn: arn) != nil { return true }
        return try tx.fetch(ManagedPolicyRecord.self, key: arn)?.accountId == context.accountId
    }

    static func exists(_ arn: String, _ context: OperationContext, _ db: Database) throws -> Bool {
        try find(arn, context, db) != nil
    }

    /// A customer managed policy of the caller's account; AWS managed
    /// policies cannot be changed (a cross-account write no policy allows).
    static func customer(_ arn: String, _ context: OperationContext, _ db: Database, missing: AWSError) throws -> ManagedPolicyRecord {
        guard let record = try ManagedPolicyRecord.fetchOne(db, key: arn), record.accountId == context.accountId else {
            throw missing
        }
        return record
    }

    static func info(_ record: ManagedPolicyRecord) -> Info {
        Info(
            arn: record.arn, id: record.id, name: record.name, path: record.path, description: record.description,
            defaultVersionId: record.defaultVersionId, createdAt: record.createdAt, updatedAt: record.updatedAt, isAWSManaged: false)
    }

    static func info(_ policy: ManagedPolicyCatalog.Policy) -> Info {
        Info(
            arn: policy.arn, id: policy.id, name: policy.name, path: policy.path, description: nil,
            defaultVersionId: policy.defaultVersionId, createdAt: policy.createDate.secondsSince1970,
            updatedAt: policy.updateDate.secondsSince1970, isAWSManaged: true)
    }

    static func shape(_ info: Info, _ context: OperationContext, _ db: Database) throws -> IAMShapes.Policy {
        IAMShapes.Policy(
            arn: info.arn, attachmentCount: try attachmentCount(info.arn, context, db),
            createDate: Timestamp(secondsSince1970: info.createdAt), defaultVersionId: info.defaultVersionId, isAttachable: true,
            path: info.path, permissionsBoundaryUsageCount: try boundaryUsageCount(info.arn, context, db), policyId: info.id,
            policyName: info.name, updateDate: Timestamp(secondsSince1970: info.updatedAt))
    }

    static func attachmentCount(_ arn: String, _ context: OperationContext, _ db: Database) throws -> Int {
        try Int.fetchOne(
            db, cached: "SELECT count(*) FROM policyAttachment WHERE accountId = ? AND policyArn = ?", arguments: [context.accountId, arn]
        ) ?? 0
    }

    static func boundaryUsageCount(_ arn: String, _ context: OperationContext, _ db: Database) throws -> Int {
        try Int.fetchOne(db, cached: """
            SELECT (SELECT count(*) FROM role WHERE accountId = ?1 AND permissionsBoundaryArn = ?2)
                 + (SELECT count(*) FROM user WHERE accountId = ?1 AND permissionsBoundaryArn = ?2)
            """, arguments: [context.accountId, arn]) ?? 0
    }

    private static func counts(_ db: Database, sql: String, _ account: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, cached: sql, arguments: [account]) {
            result[row[0]] = row[1]
        }
        return result
    }

    static func versionNumber(_ versionId: String?) -> Int {
        Int(versionId?.dropFirst().prefix { $0.isNumber } ?? "") ?? 0
    }
}
