/// An IAM user's console password: its hash only, never the password.
public struct LoginProfileRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "loginProfile"

    public var userId: String
    public var passwordHash: String
    public var passwordResetRequired: Bool
    public var createdAt: Double
    public var passwordChangedAt: Double?

    public init(
        userId: String, passwordHash: String, passwordResetRequired: Bool, createdAt: Double,
        passwordChangedAt: Double? = nil
    ) {
        self.userId = userId
        self.passwordHash = passwordHash
        self.passwordResetRequired = passwordResetRequired
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
    }
}
