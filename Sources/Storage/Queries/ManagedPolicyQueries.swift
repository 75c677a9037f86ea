// The queries of customer managed policies and their versions, beside their
// records. (AWS managed policies are the seed catalog's, never rows here;
// attachments to them are ordinary rows.)

/// How a managed policy is used by the account's users, roles and groups
/// (ListPolicies' `OnlyAttached` and `PolicyUsageFilter`).
public enum PolicyUsage: Sendable {
    /// Attached to a user, role or group.
    case permissions
    /// A user's or role's permissions boundary.
    case boundary
    /// Either.
    case either
}

extension ManagedPolicyRecord {
    /// The account's policy of this name (unique without regard to case).
    public static func named(_ name: String, account: String, in tx: Transaction) throws -> ManagedPolicyRecord? {
        try ManagedPolicyRecord.fetchOne(
            tx.db, cached: "SELECT * FROM managedPolicy WHERE accountId = ? AND name = ?", arguments: [account, name])
    }

    /// What `attachmentCount` and `boundaryUsageCount` answer, for many
    /// policies at once (a ListPolicies page of 1,000 AWS managed policies
    /// asked SQLite 2,000 times). A long list counts everything the account
    /// uses in three statements, walking the account's attachments and the
    /// bounded roles and users; a short one looks its policies up. A policy
    /// the answer leaves out is used by nothing.
    public static func usageCounts(
        of arns: [String], account: String, in tx: Transaction
    ) throws -> [String: (attachments: Int, boundaries: Int)] {
        var counts: [String: (attachments: Int, boundaries: Int)] = [:]
        guard arns.count >= 50 else {
            for arn in arns {
                let used = (try attachmentCount(of: arn, account: account, in: tx), try boundaryUsageCount(of: arn, account: account, in: tx))
                if used != (0, 0) { counts[arn] = used }
            }
            return counts
        }
        for row in try Row.fetchAll(tx.db, cached: """
            SELECT policyArn, count(*) FROM policyAttachment WHERE accountId = ? GROUP BY policyArn
            """, arguments: [account])
        {
            counts[row[0], default: (0, 0)].attachments = row[1]
        }
        for table in ["role", "user"] {
            for row in try Row.fetchAll(tx.db, cached: """
                SELECT permissionsBoundaryArn, count(*) FROM \(table)
                WHERE permissionsBoundaryArn IS NOT NULL AND accountId = ? GROUP BY permissionsBoundaryArn
                """, arguments: [account])
            {
                counts[row[0], default: (0, 0)].boundaries += row[1] as Int
            }
        }
        return counts
    }

    /// How many of the account's users, roles and groups have the policy (customer or AWS managed) attached.
    public static func attachmentCount(of arn: String, account: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(
            tx.db, cached: "SELECT count(*) FROM policyAttachment WHERE accountId = ? AND policyArn = ?", arguments: [account, arn]
        ) ?? 0
    }

    /// How many of the account's users and roles have the policy as their permissions boundary.
    public static func boundaryUsageCount(of arn: String, account: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: """
            SELECT (SELECT count(*) FROM role WHERE accountId = ?1 AND permissionsBoundaryArn = ?2)
                 + (SELECT count(*) FROM user WHERE accountId = ?1 AND permissionsBoundaryArn = ?2)
            """, arguments: [account, arn]) ?? 0
    }

    /// Whether the account uses the policy (customer or AWS managed) as `usage` says.
    public static func isUsed(_ arn: String, as usage: PolicyUsage, account: String, in tx: Transaction) throws -> Bool {
        switch usage {
        case .permissions:
            return try Bool.fetchOne(tx.db, cached: "SELECT \(attachedClause("?2", "?1"))", arguments: [account, arn]) ?? false
        case .boundary:
            return try Bool.fetchOne(tx.db, cached: "SELECT \(boundaryClause("?2", "?1"))", arguments: [account, arn]) ?? false
        case .either:
            return try Bool.fetchOne(
                tx.db, cached: "SELECT \(attachedClause("?2", "?1")) OR \(boundaryClause("?2", "?1"))", arguments: [account, arn]) ?? false
        }
    }

    /// One page of the account's policies under a path prefix, used as
    /// `usage` says (nil: all), in IAM's listing order (name ignoring case,
    /// then exactly, then ARN: the order ListPolicies merges customer and AWS
    /// managed policies in), starting after the position `after`. Keyset
    /// paging on `managedPolicyByListingName`. Returns at most `limit` + 1
    /// policies: the extra one says whether there is more.
    ///
    /// A usage filter is checked row by row along the index (an indexed
    /// look-up each), so a filtered page costs the policies it passes over.
    public static func page(
        account: String, pathPrefix: String, usage: PolicyUsage?, after: (name: String, arn: String)?, limit: Int,
        in tx: Transaction
    ) throws -> [ManagedPolicyRecord] {
        let sql = pageQuery(usage: usage, after: after != nil)
        var arguments: StatementArguments = [account, pathPrefix, limit + 1]
        if let after { arguments += [after.name, after.arn] }
        return try ManagedPolicyRecord.fetchAll(tx.db, cached: sql, arguments: arguments)
    }

    /// The query text of `page`: one of a fixed set (usage × first page or not).
    static func pageQuery(usage: PolicyUsage?, after: Bool) -> String {
        var sql = """
            SELECT * FROM managedPolicy INDEXED BY managedPolicyByListingName
            WHERE accountId = ?1 AND substr(path, 1, length(?2)) = ?2
            """
        if after {
            // Names are unique per account without regard to case, but the
            // position may be an AWS managed policy whose name differs from
            // one here only in case: past it means lower(name) beyond it, or
            // equal and (exact name, ARN) beyond it.
            sql += """

                AND lower(name) >= lower(?4)
                AND NOT (lower(name) = lower(?4) AND (name COLLATE BINARY < ?4 OR (name COLLATE BINARY = ?4 AND arn <= ?5)))
                """
        }
        switch usage {
        case nil: break
        case .permissions: sql += "\nAND " + attachedClause("managedPolicy.arn", "managedPolicy.accountId")
        case .boundary: sql += "\nAND " + boundaryClause("managedPolicy.arn", "managedPolicy.accountId")
        case .either:
            sql += "\nAND (" + attachedClause("managedPolicy.arn", "managedPolicy.accountId") + " OR "
                + boundaryClause("managedPolicy.arn", "managedPolicy.accountId") + ")"
        }
        return sql + "\nORDER BY lower(name), name LIMIT ?3"
    }

    private static func attachedClause(_ arn: String, _ account: String) -> String {
        "EXISTS (SELECT 1 FROM policyAttachment a WHERE a.policyArn = \(arn) AND a.accountId = \(account))"
    }

    private static func boundaryClause(_ arn: String, _ account: String) -> String {
        """
        (EXISTS (SELECT 1 FROM role r WHERE r.permissionsBoundaryArn = \(arn) AND r.accountId = \(account)) \
        OR EXISTS (SELECT 1 FROM user u WHERE u.permissionsBoundaryArn = \(arn) AND u.accountId = \(account)))
        """
    }
}

extension PolicyVersionRecord {
    public static func find(policyArn: String, versionId: String, in tx: Transaction) throws -> PolicyVersionRecord? {
        try PolicyVersionRecord.fetchOne(tx.db, key: ["policyArn": policyArn, "versionId": versionId])
    }

    /// A policy's versions (at most five), in no particular order.
    public static func all(of policyArn: String, in tx: Transaction) throws -> [PolicyVersionRecord] {
        try PolicyVersionRecord.fetchAll(tx.db, cached: "SELECT * FROM policyVersion WHERE policyArn = ?", arguments: [policyArn])
    }

    public static func count(of policyArn: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: "SELECT count(*) FROM policyVersion WHERE policyArn = ?", arguments: [policyArn]) ?? 0
    }
}
