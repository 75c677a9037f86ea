/// A principal whose pulls do not update images' last recorded pull time.
public struct PullTimeUpdateExclusionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pullTimeUpdateExclusion"

    public var accountId: String
    public var region: String
    public var principalArn: String
    public var createdAt: Double

    public init(accountId: String, region: String, principalArn: String, createdAt: Double) {
        self.accountId = accountId
        self.region = region
        self.principalArn = principalArn
        self.createdAt = createdAt
    }
}
