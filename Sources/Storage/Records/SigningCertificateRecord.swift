/// An X.509 signing certificate of an IAM user.
public struct SigningCertificateRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "signingCertificate"

    public var id: String
    public var userId: String
    public var body: String
    public var status: String
    public var uploadedAt: Double

    public init(id: String, userId: String, body: String, status: String, uploadedAt: Double) {
        self.id = id
        self.userId = userId
        self.body = body
        self.status = status
        self.uploadedAt = uploadedAt
    }
}
