public struct RoleRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "role"

    public var id: String
    public var accountId: String
    public var name: String
    public var path: String
    public var trustPolicy: String
    public var description: String?
    public var maxSessionDuration: Int
    public var createdAt: Double
    public var permissionsBoundaryArn: String?
    public var lastUsedAt: Double?
    public var lastUsedRegion: String?
    /// The users and roles the trust policy names, by the unique ids they had
    /// when it was written (JSON object ARN → id); nil when it names none.
    public var trustPrincipalIds: String?

    public init(
        id: String, accountId: String, name: String, path: String, trustPolicy: String, description: String?,
        maxSessionDuration: Int, createdAt: Double, permissionsBoundaryArn: String? = nil,
        lastUsedAt: Double? = nil, lastUsedRegion: String? = nil, trustPrincipalIds: String? = nil
    ) {
        self.id = id
        self.accountId = accountId
        self.name = name
        self.path = path
        self.trustPolicy = trustPolicy
        self.description = description
        self.maxSessionDuration = maxSessionDuration
        self.createdAt = createdAt
        self.permissionsBoundaryArn = permissionsBoundaryArn
        self.lastUsedAt = lastUsedAt
        self.lastUsedRegion = lastUsedRegion
        self.trustPrincipalIds = trustPrincipalIds
    }

    public var arn: String { "arn:aws:iam::\(accountId):role\(path)\(name)" }
}

extension RoleRecord {
    /// The `role` table's columns in the order the schema gives them, which
    /// `SELECT *` returns (StorageTests checks the two agree).
    static let columns = [
        "id", "accountId", "name", "path", "trustPolicy", "description", "maxSessionDuration", "createdAt",
        "permissionsBoundaryArn", "lastUsedAt", "lastUsedRegion", "trustPrincipalIds",
    ]

    /// Decoded by position without Codable: a Codable decoder, then looking
    /// up each column by name, were most of the time of list operations.
    /// Every query of roles selects `*`.
    public init(row: Row) throws {
        id = row[0]
        accountId = row[1]
        name = row[2]
        path = row[3]
        trustPolicy = row[4]
        description = row[5]
        maxSessionDuration = row[6]
        createdAt = row[7]
        permissionsBoundaryArn = row[8]
        lastUsedAt = row[9]
        lastUsedRegion = row[10]
        trustPrincipalIds = row[11]
    }
}
