/// An ECR repository of one account in one region.
public struct RepositoryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "repository"

    public var arn: String
    public var accountId: String
    public var region: String
    public var name: String
    public var createdAt: Double
    /// `MUTABLE`, `IMMUTABLE`, `MUTABLE_WITH_EXCLUSION`, `IMMUTABLE_WITH_EXCLUSION`.
    public var imageTagMutability: String
    /// JSON array of `{"filterType":"WILDCARD","filter":"…"}`.
    public var mutabilityExclusionFilters: String
    public var scanOnPush: Bool
    public var encryptionType: String
    public var kmsKey: String?
    public var policy: String?
    public var lifecyclePolicy: String?
    public var lifecyclePolicyUpdatedAt: Double?
    /// When the lifecycle policy last ran.
    public var lifecycleEvaluatedAt: Double?

    public init(
        arn: String, accountId: String, region: String, name: String, createdAt: Double, imageTagMutability: String,
        mutabilityExclusionFilters: String, scanOnPush: Bool, encryptionType: String, kmsKey: String?, policy: String? = nil,
        lifecyclePolicy: String? = nil, lifecyclePolicyUpdatedAt: Double? = nil,
        lifecycleEvaluatedAt: Double? = nil
    ) {
        self.arn = arn
        self.accountId = accountId
        self.region = region
        self.name = name
        self.createdAt = createdAt
        self.imageTagMutability = imageTagMutability
        self.mutabilityExclusionFilters = mutabilityExclusionFilters
        self.scanOnPush = scanOnPush
        self.encryptionType = encryptionType
        self.kmsKey = kmsKey
        self.policy = policy
        self.lifecyclePolicy = lifecyclePolicy
        self.lifecyclePolicyUpdatedAt = lifecyclePolicyUpdatedAt
        self.lifecycleEvaluatedAt = lifecycleEvaluatedAt
    }
}

extension RepositoryRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        arn = row["arn"]
        accountId = row["accountId"]
        region = row["region"]
        name = row["name"]
        createdAt = row["createdAt"]
        imageTagMutability = row["imageTagMutability"]
        mutabilityExclusionFilters = row["mutabilityExclusionFilters"]
        scanOnPush = row["scanOnPush"]
        encryptionType = row["encryptionType"]
        kmsKey = row["kmsKey"]
        policy = row["policy"]
        lifecyclePolicy = row["lifecyclePolicy"]
        lifecyclePolicyUpdatedAt = row["lifecyclePolicyUpdatedAt"]
        lifecycleEvaluatedAt = row["lifecycleEvaluatedAt"]
    }
}
