/// A password a user had before, kept as its hash for PasswordReusePrevention.
public struct PasswordHistoryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "passwordHistory"

    public var userId: String
    public var passwordHash: String
    public var changedAt: Double

    public init(userId: String, passwordHash: String, changedAt: Double) {
        self.userId = userId
        self.passwordHash = passwordHash
        self.changedAt = changedAt
    }
}
