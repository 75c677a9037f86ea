/// A server certificate (its private key is checked on upload and not kept).
public struct ServerCertificateRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "serverCertificate"

    public var id: String
    public var accountId: String
    public var name: String
    public var path: String
    public var body: String
    public var chain: String?
    public var expiresAt: Double?
    public var uploadedAt: Double

    public init(
        id: String, accountId: String, name: String, path: String, body: String, chain: String? = nil,
        expiresAt: Double? = nil, uploadedAt: Double
    ) {
        self.id = id
        self.accountId = accountId
        self.name = name
        self.path = path
        self.body = body
        self.chain = chain
        self.expiresAt = expiresAt
        self.uploadedAt = uploadedAt
    }
}
