/// A long-term access key: the account root's (`userId` nil) or an IAM user's.
public struct AccessKeyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "accessKey"

    public var id: String
    public var secret: String
    public var accountId: String
    public var userId: String?
    /// `Active` or `Inactive`, as IAM spells them.
    public var status: String
    public var createdAt: Double
    public var lastUsedAt: Double?
    public var lastUsedService: String?
    public var lastUsedRegion: String?

    public init(
        id: String, secret: String, accountId: String, userId: String?, status: String, createdAt: Double,
        lastUsedAt: Double? = nil, lastUsedService: String? = nil, lastUsedRegion: String? = nil
    ) {
        self.id = id
        self.secret = secret
        self.accountId = accountId
        self.userId = userId
        self.status = status
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.lastUsedService = lastUsedService
        self.lastUsedRegion = lastUsedRegion
    }
}

extension AccessKeyRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        id = row["id"]
        secret = row["secret"]
        accountId = row["accountId"]
        userId = row["userId"]
        status = row["status"]
        createdAt = row["createdAt"]
        lastUsedAt = row["lastUsedAt"]
        lastUsedService = row["lastUsedService"]
        lastUsedRegion = row["lastUsedRegion"]
    }
}
