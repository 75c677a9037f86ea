public struct GroupRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "iamGroup"

    public var id: String
    public var accountId: String
    public var name: String
    public var path: String
    public var createdAt: Double

    public init(id: String, accountId: String, name: String, path: String, createdAt: Double) {
        self.id = id
        self.accountId = accountId
        self.name = name
        self.path = path
        self.createdAt = createdAt
    }

    public var arn: String { "arn:aws:iam::\(accountId):group\(path)\(name)" }
}

public struct GroupMembershipRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "groupMembership"

    public var groupId: String
    public var userId: String
    public var addedAt: Double

    public init(groupId: String, userId: String, addedAt: Double) {
        self.groupId = groupId
        self.userId = userId
        self.addedAt = addedAt
    }
}

extension GroupRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        id = row["id"]
        accountId = row["accountId"]
        name = row["name"]
        path = row["path"]
        createdAt = row["createdAt"]
    }
}
