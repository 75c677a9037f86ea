/// A user's credential for one service (CodeCommit, Keyspaces, Bedrock): its secret's hash only.
public struct ServiceSpecificCredentialRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "serviceSpecificCredential"

    public var id: String
    public var accountId: String
    public var userId: String
    public var serviceName: String
    public var serviceUserName: String?
    public var credentialAlias: String?
    public var secretHash: String
    public var status: String
    public var createdAt: Double
    public var expiresAt: Double?

    public init(
        id: String, accountId: String, userId: String, serviceName: String, serviceUserName: String? = nil,
        credentialAlias: String? = nil, secretHash: String, status: String, createdAt: Double,
        expiresAt: Double? = nil
    ) {
        self.id = id
        self.accountId = accountId
        self.userId = userId
        self.serviceName = serviceName
        self.serviceUserName = serviceUserName
        self.credentialAlias = credentialAlias
        self.secretHash = secretHash
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
