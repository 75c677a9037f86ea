// The queries of an ECR registry's own configuration — settings documents,
// pull-through cache rules, repository creation templates, pull-time update
// exclusions — beside their records. Only the settings are consulted by the
// authorizer (the registry policy and its scope), so only their writes touch
// something.

extension RegistrySettingRecord: TrackedRecord {
    public var dependencies: [Dependency] { [Self.registryDependency(accountId: accountId, region: region)] }

    /// What the authorizer's view of a registry's repositories depends on: its settings.
    public static func registryDependency(accountId: String, region: String) -> Dependency {
        .resource("arn:aws:ecr:\(region):\(accountId):registry")
    }

    public static func find(accountId: String, region: String, key: String, in tx: Transaction) throws -> RegistrySettingRecord? {
        try RegistrySettingRecord.fetchOne(
            tx.db, cached: "SELECT * FROM registrySetting WHERE accountId = ? AND region = ? AND key = ?",
            arguments: [accountId, region, key])
    }

    public static func delete(accountId: String, region: String, key: String, in tx: Transaction) throws {
        try tx.db.execute(
            cached: "DELETE FROM registrySetting WHERE accountId = ? AND region = ? AND key = ?", arguments: [accountId, region, key])
        tx.touch(registryDependency(accountId: accountId, region: region))
    }
}

extension PullThroughCacheRuleRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    public static func find(accountId: String, region: String, prefix: String, in tx: Transaction) throws -> PullThroughCacheRuleRecord? {
        try PullThroughCacheRuleRecord.fetchOne(
            tx.db, cached: "SELECT * FROM pullThroughCacheRule WHERE accountId = ? AND region = ? AND ecrRepositoryPrefix = ?",
            arguments: [accountId, region, prefix])
    }

    /// One page of a registry's rules by prefix, starting after `prefix`:
    /// keyset paging on the primary key. Returns at most `limit` + 1.
    public static func page(accountId: String, region: String, after prefix: String?, limit: Int, in tx: Transaction) throws
        -> [PullThroughCacheRuleRecord]
    {
        // Prefixes are never empty, so "" is before the first.
        try PullThroughCacheRuleRecord.fetchAll(tx.db, cached: """
            SELECT * FROM pullThroughCacheRule WHERE accountId = ? AND region = ? AND ecrRepositoryPrefix > ?
            ORDER BY ecrRepositoryPrefix LIMIT ?
            """, arguments: [accountId, region, prefix ?? "", limit + 1])
    }
}

extension RepositoryCreationTemplateRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    public static func find(accountId: String, region: String, prefix: String, in tx: Transaction) throws
        -> RepositoryCreationTemplateRecord?
    {
        try RepositoryCreationTemplateRecord.fetchOne(
            tx.db, cached: "SELECT * FROM repositoryCreationTemplate WHERE accountId = ? AND region = ? AND prefix = ?",
            arguments: [accountId, region, prefix])
    }

    /// One page of a registry's templates by prefix, starting after `prefix`:
    /// keyset paging on the primary key. Returns at most `limit` + 1.
    public static func page(accountId: String, region: String, after prefix: String?, limit: Int, in tx: Transaction) throws
        -> [RepositoryCreationTemplateRecord]
    {
        // Prefixes are never empty, so "" is before the first.
        try RepositoryCreationTemplateRecord.fetchAll(tx.db, cached: """
            SELECT * FROM repositoryCreationTemplate WHERE accountId = ? AND region = ? AND prefix > ?
            ORDER BY prefix LIMIT ?
            """, arguments: [accountId, region, prefix ?? "", limit + 1])
    }
}

extension PullTimeUpdateExclusionRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    public static func find(accountId: String, region: String, principalArn: String, in tx: Transaction) throws
        -> PullTimeUpdateExclusionRecord?
    {
        try PullTimeUpdateExclusionRecord.fetchOne(
            tx.db, cached: "SELECT * FROM pullTimeUpdateExclusion WHERE accountId = ? AND region = ? AND principalArn = ?",
            arguments: [accountId, region, principalArn])
    }

    /// One page of a registry's excluded principals by ARN, starting after
    /// `arn`: keyset paging on the primary key. Returns at most `limit` + 1.
    public static func page(accountId: String, region: String, after arn: String?, limit: Int, in tx: Transaction) throws -> [String] {
        // ARNs are never empty, so "" is before the first.
        try String.fetchAll(tx.db, cached: """
            SELECT principalArn FROM pullTimeUpdateExclusion WHERE accountId = ? AND region = ? AND principalArn > ?
            ORDER BY principalArn LIMIT ?
            """, arguments: [accountId, region, arn ?? "", limit + 1])
    }
}
