/// Temporary credentials issued by STS: an `ASIA…` key, its secret and token.
///
/// `context` holds the session's JSON description (session policies, tags,
/// source identity, …), owned by STS; storage only keeps it.
public struct SessionCredentialRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sessionCredential"

    public var accessKeyId: String
    public var secret: String
    public var sessionToken: String
    public var accountId: String
    /// `assumed-role`, `federated-user`, `session-token`, …
    public var kind: String
    public var roleId: String?
    public var userId: String?
    public var sessionName: String?
    public var issuedAt: Double
    public var expiresAt: Double
    public var context: String

    public init(
        accessKeyId: String, secret: String, sessionToken: String, accountId: String, kind: String, roleId: String?,
        userId: String?, sessionName: String?, issuedAt: Double, expiresAt: Double, context: String
    ) {
        self.accessKeyId = accessKeyId
        self.secret = secret
        self.sessionToken = sessionToken
        self.accountId = accountId
        self.kind = kind
        self.roleId = roleId
        self.userId = userId
        self.sessionName = sessionName
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.context = context
    }
}

extension SessionCredentialRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        accessKeyId = row["accessKeyId"]
        secret = row["secret"]
        sessionToken = row["sessionToken"]
        accountId = row["accountId"]
        kind = row["kind"]
        roleId = row["roleId"]
        userId = row["userId"]
        sessionName = row["sessionName"]
        issuedAt = row["issuedAt"]
        expiresAt = row["expiresAt"]
        context = row["context"]
    }
}
