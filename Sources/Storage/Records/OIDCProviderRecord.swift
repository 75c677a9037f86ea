/// An OpenID Connect identity provider. Its client ids and thumbprints are
/// lists, kept as JSON arrays in their columns (how records store nested values, RecordCoding.swift).
public struct OIDCProviderRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "oidcProvider"

    public var arn: String
    public var accountId: String
    public var url: String
    public var clientIds: [String]
    public var thumbprints: [String]
    public var createdAt: Double

    public init(
        arn: String, accountId: String, url: String, clientIds: [String], thumbprints: [String], createdAt: Double
    ) {
        self.arn = arn
        self.accountId = accountId
        self.url = url
        self.clientIds = clientIds
        self.thumbprints = thumbprints
        self.createdAt = createdAt
    }
}
