import GRDB

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
    /// Decoded by name without Codable: GRDB's decoder was most of the time of
    /// list operations.
    public init(row: Row) throws {
        id = row["id"]
        accountId = row["accountId"]
        name = row["name"]
        path = row["path"]
        trustPolicy = row["trustPolicy"]
        description = row["description"]
        maxSessionDuration = row["maxSessionDuration"]
        createdAt = row["createdAt"]
        permissionsBoundaryArn = row["permissionsBoundaryArn"]
        lastUsedAt = row["lastUsedAt"]
        lastUsedRegion = row["lastUsedRegion"]
        trustPrincipalIds = row["trustPrincipalIds"]
    }
}
