public struct InstanceProfileRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "instanceProfile"

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

    public var arn: String { "arn:aws:iam::\(accountId):instance-profile\(path)\(name)" }
}

public struct InstanceProfileRoleRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "instanceProfileRole"

    public var profileId: String
    public var roleId: String

    public init(profileId: String, roleId: String) {
        self.profileId = profileId
        self.roleId = roleId
    }
}
