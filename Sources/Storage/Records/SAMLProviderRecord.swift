import GRDB

/// A SAML identity provider and its metadata document; `privateKeys` is a JSON list.
public struct SAMLProviderRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "samlProvider"

    public var arn: String
    public var accountId: String
    public var name: String
    public var metadata: String
    public var createdAt: Double
    public var validUntil: Double?
    public var uuid: String?
    public var assertionEncryptionMode: String?
    public var privateKeys: String?

    public init(
        arn: String, accountId: String, name: String, metadata: String, createdAt: Double, validUntil: Double? = nil,
        uuid: String? = nil, assertionEncryptionMode: String? = nil, privateKeys: String? = nil
    ) {
        self.arn = arn
        self.accountId = accountId
        self.name = name
        self.metadata = metadata
        self.createdAt = createdAt
        self.validUntil = validUntil
        self.uuid = uuid
        self.assertionEncryptionMode = assertionEncryptionMode
        self.privateKeys = privateKeys
    }
}
