/// A repository creation template: the settings ECR gives repositories it
/// creates itself (pull-through cache, replication, create on push) under `prefix`.
public struct RepositoryCreationTemplateRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "repositoryCreationTemplate"

    public var accountId: String
    public var region: String
    public var prefix: String
    /// The template's settings as JSON (the `RepositoryCreationTemplate` members but prefix and dates).
    public var document: String
    public var createdAt: Double
    public var updatedAt: Double

    public init(accountId: String, region: String, prefix: String, document: String, createdAt: Double, updatedAt: Double) {
        self.accountId = accountId
        self.region = region
        self.prefix = prefix
        self.document = document
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
