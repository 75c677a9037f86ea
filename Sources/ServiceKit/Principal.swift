/// Who is calling: the identity a request was signed as.
public struct Principal: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The account's root user.
        case root
        /// An IAM user with a long-term key (or a GetSessionToken session of one).
        case user
        /// A role session from AssumeRole / AssumeRoleWithWebIdentity / …
        case assumedRole
        /// A GetFederationToken session.
        case federatedUser
        /// No signature: only for the operations AWS serves unsigned.
        case anonymous
        /// The holder of a verified web identity token or SAML assertion, asking
        /// a trust policy to let it in; `entityArn` is the identity provider's ARN.
        case federatedIdentity
    }

    public var kind: Kind
    public var accountId: String
    /// The ARN AWS prints for this caller (`arn:aws:sts::…:assumed-role/R/S` for sessions).
    public var arn: String
    /// GetCallerIdentity's `UserId`: account id for root, AIDA… for users,
    /// `AROA…:session` for role sessions, `ACCT:name` for federated users.
    public var userId: String
    /// The IAM user or role behind the caller: its id, name, path and ARN.
    public var entityId: String?
    public var entityName: String?
    public var entityPath: String?
    public var entityArn: String?
    public var sessionName: String?
    public var accessKeyId: String
    /// Present for temporary credentials.
    public var session: Session?

    public init(
        kind: Kind, accountId: String, arn: String, userId: String, entityId: String? = nil, entityName: String? = nil,
        entityPath: String? = nil, entityArn: String? = nil, sessionName: String? = nil, accessKeyId: String,
        session: Session? = nil
    ) {
        self.kind = kind
        self.accountId = accountId
        self.arn = arn
        self.userId = userId
        self.entityId = entityId
        self.entityName = entityName
        self.entityPath = entityPath
        self.entityArn = entityArn
        self.sessionName = sessionName
        self.accessKeyId = accessKeyId
        self.session = session
    }

    public static func root(accountId: String, accessKeyId: String) -> Principal {
        Principal(
            kind: .root, accountId: accountId, arn: "arn:aws:iam::\(accountId):root", userId: accountId,
            entityArn: "arn:aws:iam::\(accountId):root", accessKeyId: accessKeyId)
    }

    /// The caller of an unsigned operation (AssumeRoleWithWebIdentity, AssumeRoleWithSAML).
    public static func anonymous(accountId: String) -> Principal {
        Principal(kind: .anonymous, accountId: accountId, arn: "anonymous", userId: "anonymous", accessKeyId: "")
    }

    /// What temporary credentials carry into authorization.
    public struct Session: Sendable, Equatable {
        public var kind: SessionKind
        public var issuedAt: Double
        public var expiresAt: Double
        public var context: SessionContext

        public init(kind: SessionKind, issuedAt: Double, expiresAt: Double, context: SessionContext) {
            self.kind = kind
            self.issuedAt = issuedAt
            self.expiresAt = expiresAt
            self.context = context
        }
    }
}
