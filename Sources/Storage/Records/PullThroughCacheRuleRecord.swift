/// A pull-through cache rule: repositories under `ecrRepositoryPrefix` mirror an upstream registry.
public struct PullThroughCacheRuleRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pullThroughCacheRule"

    public var accountId: String
    public var region: String
    public var ecrRepositoryPrefix: String
    public var upstreamRegistryUrl: String
    public var upstreamRegistry: String?
    public var upstreamRepositoryPrefix: String?
    public var credentialArn: String?
    public var customRoleArn: String?
    public var createdAt: Double
    public var updatedAt: Double

    public init(
        accountId: String, region: String, ecrRepositoryPrefix: String, upstreamRegistryUrl: String, upstreamRegistry: String?,
        upstreamRepositoryPrefix: String?, credentialArn: String?, customRoleArn: String?, createdAt: Double, updatedAt: Double
    ) {
        self.accountId = accountId
        self.region = region
        self.ecrRepositoryPrefix = ecrRepositoryPrefix
        self.upstreamRegistryUrl = upstreamRegistryUrl
        self.upstreamRegistry = upstreamRegistry
        self.upstreamRepositoryPrefix = upstreamRepositoryPrefix
        self.credentialArn = credentialArn
        self.customRoleArn = customRoleArn
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
