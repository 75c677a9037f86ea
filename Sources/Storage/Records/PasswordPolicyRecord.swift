import GRDB

/// An account's password policy, as a JSON object of its settings.
public struct PasswordPolicyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "passwordPolicy"

    public var accountId: String
    public var document: String

    public init(accountId: String, document: String) {
        self.accountId = accountId
        self.document = document
    }
}
