import JSON
import Storage
import Synchronization

/// Finds the secret and the identity behind an access key.
///
/// Every signed request needs this, so answers are cached in memory until a
/// committed write touches the key or the identity behind it: a key
/// deactivated, deleted or a role removed is seen on the very next request.
public final class CredentialResolver: Sendable {
    /// What an access key stands for.
    public struct Credential: Sendable {
        public var secret: String
        public var principal: Principal
        /// Long-term keys: `Active` or `Inactive`.
        public var active: Bool
        /// Temporary credentials: the token that must accompany the key, and the expiry.
        public var sessionToken: String?
        public var expiresAt: Double?
    }

    private struct Entry {
        var sequence: UInt64
        var credential: Credential?
    }

    private let store: Store
    private let cache = Mutex<[String: Entry]>([:])

    public init(store: Store) {
        self.store = store
    }

    /// The credential for `accessKeyId`, or nil when no such key exists.
    public func credential(for accessKeyId: String) throws -> Credential? {
        if let hit = cache.withLock({ $0[accessKeyId] }),
            store.changes.isCurrent(since: hit.sequence, Self.dependencies(accessKeyId, hit.credential))
        {
            return hit.credential
        }
        return try store.transaction(.read) { tx in
            let found = try Self.load(accessKeyId, tx)
            cache.withLock { cache in
                if cache.count > 10_000 { cache.removeAll() }
                cache[accessKeyId] = Entry(sequence: tx.sequence, credential: found)
            }
            return found
        }
    }

    /// A key's answer changes with the key and with the user or role it speaks for.
    private static func dependencies(_ accessKeyId: String, _ credential: Credential?) -> [Dependency] {
        guard let entity = credential?.principal.entityId else { return [.credential(accessKeyId)] }
        return [.credential(accessKeyId), .principal(entity)]
    }

    static func load(_ accessKeyId: String, _ tx: Transaction) throws -> Credential? {
        if let key = try tx.fetch(AccessKeyRecord.self, key: accessKeyId) {
            guard let userId = key.userId else {
                return Credential(
                    secret: key.secret, principal: .root(accountId: key.accountId, accessKeyId: key.id),
                    active: key.status == "Active")
            }
            guard let user = try tx.fetch(UserRecord.self, key: userId) else { return nil }
            return Credential(
                secret: key.secret, principal: Principal.user(user, accessKeyId: key.id), active: key.status == "Active")
        }
        guard let session = try tx.fetch(SessionCredentialRecord.self, key: accessKeyId) else { return nil }
        guard let kind = SessionKind(rawValue: session.kind) else { return nil }
        let details = Principal.Session(
            kind: kind, issuedAt: session.issuedAt, expiresAt: session.expiresAt, context: SessionContext(json: session.context))
        let principal: Principal
        switch session.kind {
        case SessionKind.assumedRole.rawValue:
            guard let roleId = session.roleId, let role = try tx.fetch(RoleRecord.self, key: roleId),
                let name = session.sessionName
            else { return nil }
            principal = Principal(
                kind: .assumedRole, accountId: role.accountId,
                arn: "arn:aws:sts::\(role.accountId):assumed-role/\(role.name)/\(name)",
                userId: "\(role.id):\(name)", entityId: role.id, entityName: role.name, entityPath: role.path,
                entityArn: role.arn, sessionName: name, accessKeyId: accessKeyId, session: details)
        case SessionKind.federatedUser.rawValue:
            guard let name = session.sessionName else { return nil }
            guard let userId = session.userId else {
                // A federated user of the account's root user (GetFederationToken called with root's keys).
                principal = Principal(
                    kind: .federatedUser, accountId: session.accountId,
                    arn: "arn:aws:sts::\(session.accountId):federated-user/\(name)", userId: "\(session.accountId):\(name)",
                    entityArn: "arn:aws:iam::\(session.accountId):root", sessionName: name, accessKeyId: accessKeyId, session: details)
                break
            }
            guard let user = try tx.fetch(UserRecord.self, key: userId) else { return nil }
            principal = Principal(
                kind: .federatedUser, accountId: user.accountId,
                arn: "arn:aws:sts::\(user.accountId):federated-user/\(name)", userId: "\(user.accountId):\(name)",
                entityId: user.id, entityName: user.name, entityPath: user.path, entityArn: user.arn, sessionName: name,
                accessKeyId: accessKeyId, session: details)
        case SessionKind.sessionToken.rawValue:
            if let userId = session.userId {
                guard let user = try tx.fetch(UserRecord.self, key: userId) else { return nil }
                var p = Principal.user(user, accessKeyId: accessKeyId)
                p.session = details
                principal = p
            } else {
                var p = Principal.root(accountId: session.accountId, accessKeyId: accessKeyId)
                p.session = details
                principal = p
            }
        default:
            return nil
        }
        return Credential(
            secret: session.secret, principal: principal, active: true, sessionToken: session.sessionToken,
            expiresAt: session.expiresAt)
    }
}

/// The kinds of temporary credentials STS issues, as stored.
public enum SessionKind: String, Sendable, Equatable {
    case assumedRole = "assumed-role"
    case federatedUser = "federated-user"
    case sessionToken = "session-token"
}

extension Principal {
    public static func user(_ user: UserRecord, accessKeyId: String) -> Principal {
        Principal(
            kind: .user, accountId: user.accountId, arn: user.arn, userId: user.id, entityId: user.id,
            entityName: user.name, entityPath: user.path, entityArn: user.arn, accessKeyId: accessKeyId)
    }
}

/// A session's stored description: what STS granted besides the keys.
public struct SessionContext: Sendable, Equatable {
    public var policy: String?
    public var policyArns: [String] = []
    public var tags: [String: String] = [:]
    public var transitiveTagKeys: [String] = []
    public var sourceIdentity: String?
    public var mfaAuthenticated = false
    /// When the MFA was proven (seconds since 1970): `aws:MultiFactorAuthAge`
    /// counts from it, through role chaining too. Nil in sessions stored
    /// before it was kept: their issue time stands in.
    public var mfaAuthenticatedAt: Double?
    public var chained = false
    public var federatedProvider: String?

    public init(
        policy: String? = nil, policyArns: [String] = [], tags: [String: String] = [:], transitiveTagKeys: [String] = [],
        sourceIdentity: String? = nil, mfaAuthenticated: Bool = false, mfaAuthenticatedAt: Double? = nil, chained: Bool = false,
        federatedProvider: String? = nil
    ) {
        self.mfaAuthenticatedAt = mfaAuthenticatedAt
        self.policy = policy
        self.policyArns = policyArns
        self.tags = tags
        self.transitiveTagKeys = transitiveTagKeys
        self.sourceIdentity = sourceIdentity
        self.mfaAuthenticated = mfaAuthenticated
        self.chained = chained
        self.federatedProvider = federatedProvider
    }

    public init(json text: String) {
        guard let object = (try? JSONParser.parse(text))?.objectValue else { return }
        policy = object["policy"]?.stringValue
        policyArns = object["policyArns"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for member in object["tags"]?.objectValue?.members ?? [] {
            if let value = member.value.stringValue { tags[member.key] = value }
        }
        transitiveTagKeys = object["transitiveTagKeys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        sourceIdentity = object["sourceIdentity"]?.stringValue
        mfaAuthenticated = object["mfaAuthenticated"] == .bool(true)
        if case .number(let time) = object["mfaAuthenticatedAt"] { mfaAuthenticatedAt = time.double }
        chained = object["chained"] == .bool(true)
        federatedProvider = object["federatedProvider"]?.stringValue
    }

    public var json: String {
        var w = JSONWriter()
        w.objectStart()
        if let policy {
            w.key("policy")
            w.value(policy)
        }
        w.key("policyArns")
        w.arrayStart()
        for arn in policyArns { w.value(arn) }
        w.arrayEnd()
        w.key("tags")
        w.objectStart()
        for (k, v) in tags.sorted(by: { $0.key < $1.key }) {
            w.key(k)
            w.value(v)
        }
        w.objectEnd()
        w.key("transitiveTagKeys")
        w.arrayStart()
        for k in transitiveTagKeys { w.value(k) }
        w.arrayEnd()
        if let sourceIdentity {
            w.key("sourceIdentity")
            w.value(sourceIdentity)
        }
        w.key("mfaAuthenticated")
        w.value(mfaAuthenticated)
        if let mfaAuthenticatedAt {
            w.key("mfaAuthenticatedAt")
            w.value(mfaAuthenticatedAt)
        }
        w.key("chained")
        w.value(chained)
        if let federatedProvider {
            w.key("federatedProvider")
            w.value(federatedProvider)
        }
        w.objectEnd()
        return w.string
    }
}
