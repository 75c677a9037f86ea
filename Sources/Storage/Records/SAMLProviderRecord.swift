/// A SAML identity provider and its metadata document; its private keys (for
/// encrypted assertions) are kept as a JSON array (how records store nested values, RecordCoding.swift).
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
    public var privateKeys: [SAMLPrivateKeyRecord]?

    public init(
        arn: String, accountId: String, name: String, metadata: String, createdAt: Double, validUntil: Double? = nil,
        uuid: String? = nil, assertionEncryptionMode: String? = nil, privateKeys: [SAMLPrivateKeyRecord]? = nil
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

/// A private key a SAML provider decrypts assertions with (PEM), and when it was added.
public struct SAMLPrivateKeyRecord: Codable, Sendable, Equatable {
    public var keyId: String
    public var timestamp: Double
    public var pem: String

    public init(keyId: String, timestamp: Double, pem: String) {
        self.keyId = keyId
        self.timestamp = timestamp
        self.pem = pem
    }
}
