// The queries of ECR repositories, beside their records. `RepositoryRecord`
// is tracked in IdentityQueries.swift: a write to a repository's row touches
// `.resource(arn)`, which the authorizer's facts about it depend on (its
// policy, owner and, through `TagRecord`, its tags).

extension RepositoryRecord {
    /// One page of a registry's repositories (one account's, in one region) in
    /// ECR's listing order — by exact name — starting after the repository
    /// named `name`. Keyset paging on the unique index of (accountId, region,
    /// name): a page costs what it holds, however many repositories the
    /// registry has. Returns at most `limit` + 1: the extra one says whether
    /// there is more.
    public static func page(account: String, region: String, after name: String?, limit: Int, in tx: Transaction) throws
        -> [RepositoryRecord]
    {
        // Names are never empty, so "" is before the first.
        try RepositoryRecord.fetchAll(tx.db, cached: """
            SELECT * FROM repository WHERE accountId = ? AND region = ? AND name > ? ORDER BY name LIMIT ?
            """, arguments: [account, region, name ?? "", limit + 1])
    }

    /// Whether the repository holds any image (DeleteRepository without force).
    public static func holdsImages(_ arn: String, in tx: Transaction) throws -> Bool {
        try Bool.fetchOne(tx.db, cached: "SELECT EXISTS (SELECT 1 FROM image WHERE repositoryArn = ?)", arguments: [arn]) ?? false
    }

    /// The repositories that have a lifecycle policy, by ARN (the background sweep).
    public static func withLifecyclePolicy(in tx: Transaction) throws -> [RepositoryRecord] {
        try RepositoryRecord.fetchAll(tx.db, cached: "SELECT * FROM repository WHERE lifecyclePolicy IS NOT NULL ORDER BY arn")
    }

    /// Every repository's ARN, in ARN order (the blob collector).
    public static func allArns(in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: "SELECT arn FROM repository ORDER BY arn")
    }
}
