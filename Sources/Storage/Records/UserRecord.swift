public struct UserRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "user"

    public var id: String
    public var accountId: String
    public var name: String
    public var path: String
    public var createdAt: Double
    public var permissionsBoundaryArn: String?
    public var passwordLastUsedAt: Double?

    public init(
        id: String, accountId: String, name: String, path: String, createdAt: Double,
        permissionsBoundaryArn: String? = nil, passwordLastUsedAt: Double? = nil
    ) {
        self.id = id
        self.accountId = accountId
        self.name = name
        self.path = path
        self.createdAt = createdAt
        self.permissionsBoundaryArn = permissionsBoundaryArn
        self.passwordLastUsedAt = passwordLastUsedAt
    }

    public var arn: String { "arn:aws:iam::\(accountId):user\(path)\(name)" }
}

extension UserRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        id = row["id"]
        accountId = row["accountId"]
        name = row["name"]
        path = row["path"]
        createdAt = row["createdAt"]
        permissionsBoundaryArn = row["permissionsBoundaryArn"]
        passwordLastUsedAt = row["passwordLastUsedAt"]
    }
}
