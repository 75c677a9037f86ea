/// An SSH public key of an IAM user (CodeCommit).
public struct SSHPublicKeyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sshPublicKey"

    public var id: String
    public var userId: String
    public var body: String
    public var fingerprint: String
    public var status: String
    public var uploadedAt: Double

    public init(id: String, userId: String, body: String, fingerprint: String, status: String, uploadedAt: Double) {
        self.id = id
        self.userId = userId
        self.body = body
        self.fingerprint = fingerprint
        self.status = status
        self.uploadedAt = uploadedAt
    }
}
