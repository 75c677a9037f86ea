/// A DeleteServiceLinkedRole task and how it ended.
public struct ServiceLinkedRoleDeletionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "serviceLinkedRoleDeletion"

    public var taskId: String
    public var accountId: String
    public var roleName: String
    public var status: String
    public var createdAt: Double

    public init(taskId: String, accountId: String, roleName: String, status: String, createdAt: Double) {
        self.taskId = taskId
        self.accountId = accountId
        self.roleName = roleName
        self.status = status
        self.createdAt = createdAt
    }
}
