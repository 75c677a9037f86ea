import JSON

/// The value of a `Principal` or `NotPrincipal` element: `"*"` or an object
/// whose `AWS`, `Service`, `Federated` and `CanonicalUser` members each hold a
/// string or an array of strings (IAM User Guide, "AWS JSON policy elements:
/// Principal").
struct PrincipalElement: Sendable, Hashable {
    /// `"*"` or `{"AWS": "*"}`: everyone, anonymous callers included.
    private(set) var isEveryone = false
    private(set) var accounts: Set<String> = []
    /// User, role, role-session and federated-user ARNs and IAM unique IDs.
    private(set) var identities: Set<String> = []
    /// Lower-cased service principal names.
    private(set) var services: Set<String> = []
    private(set) var federatedProviders: Set<String> = []
    private(set) var canonicalUsers: Set<String> = []
    private(set) var entries: [(type: PrincipalReference.PrincipalType, value: String)] = []

    static func == (lhs: PrincipalElement, rhs: PrincipalElement) -> Bool {
        lhs.isEveryone == rhs.isEveryone && lhs.accounts == rhs.accounts && lhs.identities == rhs.identities
            && lhs.services == rhs.services && lhs.federatedProviders == rhs.federatedProviders
            && lhs.canonicalUsers == rhs.canonicalUsers
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(isEveryone)
        hasher.combine(accounts)
        hasher.combine(identities)
        hasher.combine(services)
    }

    /// Reads the element; shape errors are syntax errors, unknown or malformed
    /// principals are reported as IAM words them.
    init(_ json: JSONValue, kind: PolicyKind, span: JSONSpan?) throws(PolicyGrammarError) {
        switch json {
        case .string("*"):
            isEveryone = true
            entries = [(.aws, "*")]
            return
        case .object(let object):
            for (key, value) in object.members {
                let values: [String]
                switch value {
                case .string(let s): values = [s]
                case .array(let elements):
                    var strings: [String] = []
                    for element in elements {
                        guard case .string(let s) = element else { throw .syntax(span) }
                        strings.append(s)
                    }
                    values = strings
                default:
                    throw .syntax(span)
                }
                guard let type = PrincipalReference.PrincipalType(rawValue: key) else {
                    // Guessed: IAM's "Invalid principal" wording with the unknown type.
                    throw .invalidPrincipal(type: key, value: values.first ?? "", span: span)
                }
                for value in values {
                    try add(type: type, value: value, kind: kind, span: span)
                }
            }
        default:
            throw .syntax(span)
        }
    }

    var isEmpty: Bool { entries.isEmpty }

    private mutating func add(
        type: PrincipalReference.PrincipalType, value: String, kind: PolicyKind, span: JSONSpan?
    ) throws(PolicyGrammarError) {
        entries.append((type, value))
        switch type {
        case .aws:
            if value == "*" {
                isEveryone = true
            } else if Self.isAccountID(value[...]) {
                accounts.insert(value)
            } else if let account = Self.rootAccount(value) {
                accounts.insert(account)
            } else if Self.isIdentityARN(value) || Self.isUniqueID(value) {
                identities.insert(value)
            } else {
                throw .invalidPrincipal(type: "AWS", value: value, span: span)
            }
        case .service:
            guard Self.isServicePrincipal(value) else {
                throw .invalidPrincipal(type: "Service", value: value, span: span)
            }
            services.insert(value.asciiLowercased())
        case .federated:
            guard Self.isFederatedProvider(value) else {
                throw .invalidPrincipal(type: "Federated", value: value, span: span)
            }
            federatedProviders.insert(value)
        case .canonicalUser:
            // Canonical users are S3's; a role cannot trust one (guessed wording).
            guard kind != .trust, !value.isEmpty, value.utf8.allSatisfy(Self.isHexDigit) else {
                throw .invalidPrincipal(type: "CanonicalUser", value: value, span: span)
            }
            canonicalUsers.insert(value)
        }
    }

    // MARK: Matching

    /// How directly this element names `principal`.
    func match(_ principal: EvaluationPrincipal) -> PrincipalMatch {
        if isEveryone { return .direct }
        if let id = principal.canonicalUserID, canonicalUsers.contains(id) { return .direct }
        switch principal.kind {
        case .root:
            return accounts.contains(principal.accountID) || identities.contains(principal.arn) ? .direct : .none
        case .user:
            if identities.contains(principal.arn) { return .direct }
            return accounts.contains(principal.accountID) ? .account : .none
        case .assumedRole(let roleARN):
            if identities.contains(principal.arn) { return .direct }
            if identities.contains(roleARN) { return .parent }
            return accounts.contains(principal.accountID) ? .account : .none
        case .federatedUser(let userARN):
            if identities.contains(principal.arn) { return .direct }
            if let userARN, identities.contains(userARN) { return .parent }
            return accounts.contains(principal.accountID) ? .account : .none
        case .federatedIdentity(let provider):
            return federatedProviders.contains(provider) ? .direct : .none
        case .service(let name):
            return services.contains(name.asciiLowercased()) ? .direct : .none
        case .anonymous:
            return .none
        }
    }

    /// Whether a `NotPrincipal` element exempts `principal`. AWS "might
    /// validate the account first, then the role, and then the assumed-role
    /// user", so a principal is exempt only when every identity it stands for
    /// is listed (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
    func exempts(_ principal: EvaluationPrincipal) -> Bool {
        if isEveryone { return true }
        if let id = principal.canonicalUserID, canonicalUsers.contains(id) { return true }
        let account = accounts.contains(principal.accountID)
        switch principal.kind {
        case .root:
            return account
        case .user, .federatedUser:
            return account && identities.contains(principal.arn)
        case .assumedRole(let roleARN):
            return account && identities.contains(principal.arn) && identities.contains(roleARN)
        case .federatedIdentity(let provider):
            return federatedProviders.contains(provider)
        case .service(let name):
            return services.contains(name.asciiLowercased())
        case .anonymous:
            return false
        }
    }

    /// Whether the element names `principal` by any identity it stands for:
    /// its account, itself, its role or the IAM user behind it.
    func names(_ principal: EvaluationPrincipal) -> Bool {
        if isEveryone { return true }
        if let id = principal.canonicalUserID, canonicalUsers.contains(id) { return true }
        switch principal.kind {
        case .root, .user:
            return accounts.contains(principal.accountID) || identities.contains(principal.arn)
        case .assumedRole(let roleARN):
            return accounts.contains(principal.accountID) || identities.contains(principal.arn) || identities.contains(roleARN)
        case .federatedUser(let userARN):
            return accounts.contains(principal.accountID) || identities.contains(principal.arn)
                || userARN.map(identities.contains) == true
        case .federatedIdentity(let provider):
            return federatedProviders.contains(provider)
        case .service(let name):
            return services.contains(name.asciiLowercased())
        case .anonymous:
            return false
        }
    }

    // MARK: Formats

    static func isAccountID(_ text: Substring) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 &- 0x30 < 10 }
    }

    private static let partitions: Set<Substring> = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]

    /// `arn:PARTITION:iam::ACCOUNT:root` → ACCOUNT.
    private static func rootAccount(_ value: String) -> String? {
        let fields = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", partitions.contains(fields[1]), fields[2] == "iam",
            fields[3].isEmpty, isAccountID(fields[4]), fields[5] == "root"
        else { return nil }
        return String(fields[4])
    }

    /// Users and roles (`iam`), role sessions and federated users (`sts`).
    /// Wildcards are not allowed: principals "must always name a specific"
    /// identity (IAM User Guide, Principal and NotPrincipal).
    private static func isIdentityARN(_ value: String) -> Bool {
        guard !value.contains("*"), !value.contains("?") else { return false }
        let fields = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", partitions.contains(fields[1]), fields[3].isEmpty,
            isAccountID(fields[4])
        else { return false }
        let resource = fields[5]
        let hasName: (Substring) -> Bool = { prefix in
            resource.hasPrefix(prefix) && resource.count > prefix.count && !resource.hasSuffix("/")
        }
        switch fields[2] {
        case "iam": return hasName("user/") || hasName("role/")
        case "sts":
            return (hasName("assumed-role/") && resource.split(separator: "/").count >= 3) || hasName("federated-user/")
        default: return false
        }
    }

    /// IAM unique IDs (AIDA… users, AROA… roles), which IAM shows in place of
    /// deleted principals and accepts back.
    private static func isUniqueID(_ value: String) -> Bool {
        (value.hasPrefix("AIDA") || value.hasPrefix("AROA")) && value.utf8.count >= 16
            && value.utf8.allSatisfy { ($0 &- 0x41 < 26) || ($0 &- 0x30 < 10) }
    }

    /// `lambda.amazonaws.com`, `ecs-tasks.amazonaws.com`, and the China and
    /// older `*.amazon.com` forms; IAM checks against its service catalog,
    /// which an offline emulator approximates by shape.
    private static func isServicePrincipal(_ value: String) -> Bool {
        let lower = value.asciiLowercased()
        guard lower.utf8.allSatisfy({ ($0 &- 0x61 < 26) || ($0 &- 0x30 < 10) || $0 == 0x2E || $0 == 0x2D }) else {
            return false
        }
        for suffix in [".amazonaws.com", ".amazonaws.com.cn", ".amazon.com"]
        where lower.hasSuffix(suffix) && lower.count > suffix.count && !lower.hasPrefix(".") {
            return true
        }
        return false
    }

    /// A SAML or OIDC provider ARN, or a web identity provider host such as
    /// `accounts.google.com` or `cognito-identity.amazonaws.com`.
    private static func isFederatedProvider(_ value: String) -> Bool {
        let fields = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if fields.count == 6, fields[0] == "arn" {
            return partitions.contains(fields[1]) && fields[2] == "iam" && isAccountID(fields[4])
                && (fields[5].hasPrefix("saml-provider/") || fields[5].hasPrefix("oidc-provider/"))
                && !value.contains("*")
        }
        return !value.isEmpty && value.contains(".") && !value.contains("*")
            && value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte &- 0x30 < 10) || (byte &- 0x61 < 6) || (byte &- 0x41 < 6)
    }
}
