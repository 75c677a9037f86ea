/// Who is making the request, as policy evaluation needs to know it.
public struct EvaluationPrincipal: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The account's root user: not limited by identity-based policies.
        case root
        /// An IAM user; `arn` is the user ARN (with its path).
        case user
        /// A role session (`arn:aws:sts::ACCT:assumed-role/R/S`), including
        /// sessions from AssumeRoleWithSAML/WebIdentity. `roleARN` is the
        /// role's IAM ARN with its path, which resource policies may name.
        case assumedRole(roleARN: String)
        /// A GetFederationToken session (`arn:aws:sts::ACCT:federated-user/N`);
        /// `userARN` is the IAM user who federated.
        case federatedUser(userARN: String?)
        /// A SAML or OIDC identity calling AssumeRoleWithSAML/WebIdentity,
        /// matched by a trust policy's `{"Federated": provider}`.
        case federatedIdentity(provider: String)
        /// An AWS service principal such as `ecs-tasks.amazonaws.com`.
        case service(String)
        /// An unauthenticated caller; only `"*"` principals match it.
        case anonymous
    }

    public var arn: String
    /// The account the principal belongs to; empty for services and anonymous callers.
    public var accountID: String
    public var kind: Kind
    /// An S3 canonical user ID, matched by `{"CanonicalUser": …}`.
    public var canonicalUserID: String?

    public init(arn: String, accountID: String, kind: Kind, canonicalUserID: String? = nil) {
        self.arn = arn
        self.accountID = accountID
        self.kind = kind
        self.canonicalUserID = canonicalUserID
    }

    public static func root(accountID: String, partition: String = "aws") -> EvaluationPrincipal {
        EvaluationPrincipal(arn: "arn:\(partition):iam::\(accountID):root", accountID: accountID, kind: .root)
    }

    /// An IAM user from its ARN, e.g. `arn:aws:iam::123456789012:user/division/alice`.
    public static func user(arn: String) -> EvaluationPrincipal {
        EvaluationPrincipal(arn: arn, accountID: Self.account(in: arn), kind: .user)
    }

    /// A role session from the session ARN and the role ARN.
    public static func assumedRole(sessionARN: String, roleARN: String) -> EvaluationPrincipal {
        EvaluationPrincipal(arn: sessionARN, accountID: Self.account(in: sessionARN), kind: .assumedRole(roleARN: roleARN))
    }

    public static func federatedUser(arn: String, userARN: String?) -> EvaluationPrincipal {
        EvaluationPrincipal(arn: arn, accountID: Self.account(in: arn), kind: .federatedUser(userARN: userARN))
    }

    public static func federatedIdentity(provider: String, subject: String = "") -> EvaluationPrincipal {
        EvaluationPrincipal(arn: subject, accountID: "", kind: .federatedIdentity(provider: provider))
    }

    public static func service(_ name: String) -> EvaluationPrincipal {
        EvaluationPrincipal(arn: name, accountID: "", kind: .service(name))
    }

    public static let anonymous = EvaluationPrincipal(arn: "*", accountID: "", kind: .anonymous)

    /// The fifth field of an ARN.
    static func account(in arn: String) -> String {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return fields.count > 4 ? String(fields[4]) : ""
    }

    /// Role and federated-user sessions are limited by session policies.
    public var isSession: Bool {
        switch kind {
        case .assumedRole, .federatedUser: true
        default: false
        }
    }

    /// The ARN of the role or user that a session derives from.
    var parentARN: String? {
        switch kind {
        case .assumedRole(let roleARN): roleARN
        case .federatedUser(let userARN): userARN
        default: nil
        }
    }

    /// The standard global keys AWS puts in every request context for this
    /// principal (IAM User Guide, "AWS global condition context keys").
    public var globalContextKeys: RequestContext {
        var context = RequestContext()
        switch kind {
        case .service(let name):
            context["aws:PrincipalServiceName"] = ContextValue(name)
            return context
        case .anonymous, .federatedIdentity:
            return context
        default:
            break
        }
        context["aws:PrincipalArn"] = ContextValue(roleOrSelfARN)
        context["aws:PrincipalAccount"] = ContextValue(accountID)
        switch kind {
        case .root:
            context["aws:PrincipalType"] = "Account"
        case .user:
            context["aws:PrincipalType"] = "User"
            context["aws:username"] = ContextValue(String(arn.split(separator: "/").last ?? ""))
        case .assumedRole:
            context["aws:PrincipalType"] = "AssumedRole"
        case .federatedUser:
            context["aws:PrincipalType"] = "FederatedUser"
        default:
            break
        }
        return context
    }

    /// `aws:PrincipalArn` is the role ARN for role sessions ("the ARN of the
    /// role … not the ARN of the role session") and the session ARN for
    /// federated users.
    private var roleOrSelfARN: String {
        if case .assumedRole(let roleARN) = kind { return roleARN }
        return arn
    }
}
