/// A web console session: the principal signed in (an IAM user, or the
/// account's root user when `userId` is nil), found by the SHA-256 of the
/// token in its cookie, so a copy of the database holds no usable session.
public struct ConsoleSessionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "consoleSession"

    public var tokenHash: String
    public var accountId: String
    public var userId: String?
    /// Sent back with every change the session makes (a form field or header).
    public var csrfToken: String
    public var mfaAuthenticated: Bool
    public var createdAt: Double
    public var expiresAt: Double
    /// After "Switch role": the access key id of the role session the console
    /// now acts as (its temporary credentials are STS's own record), and how
    /// the account menu shows it. Nil when acting as the signed-in principal.
    public var switchedAccessKeyId: String? = nil
    public var switchedDisplayName: String? = nil
    public var switchedColor: String? = nil
    /// The region the user picked in the console's region menu (nil: the server's default).
    public var region: String? = nil

    public init(
        tokenHash: String, accountId: String, userId: String?, csrfToken: String, mfaAuthenticated: Bool, createdAt: Double,
        expiresAt: Double
    ) {
        self.tokenHash = tokenHash
        self.accountId = accountId
        self.userId = userId
        self.csrfToken = csrfToken
        self.mfaAuthenticated = mfaAuthenticated
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// How an account's root user signs in to the console: the email address and
/// a salted hash of the password the seed gives it.
public struct RootSignInRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rootSignIn"

    public var accountId: String
    public var email: String
    public var passwordHash: String

    public init(accountId: String, email: String, passwordHash: String) {
        self.accountId = accountId
        self.email = email
        self.passwordHash = passwordHash
    }
}
