import Hashing
import ServiceKit
import Storage

/// A signed-in console visitor: the principal every click acts as.
public struct ConsoleSession: Sendable {
    /// Who every click acts as: the signed-in user, or the role session it switched to.
    public let principal: Principal
    /// Who signed in: the IAM user, or the account's root user.
    public let signedIn: Principal
    /// The role the session switched to, if it did.
    public let switched: SwitchedRole?
    /// The session's key in the store: the SHA-256 of its cookie's token.
    public let id: String
    /// The region picked in the region menu, if one was.
    public var region: String? = nil
    /// Sent back with every change (the form field `csrf` or the header `X-CSRF-Token`).
    public let csrfToken: String
    public let expiresAt: Double

    /// The account the console acts in (the role's, after a switch).
    public var accountId: String { principal.accountId }

    /// A role session the console acts as, as the account menu shows it.
    public struct SwitchedRole: Sendable, Equatable {
        public var displayName: String
        /// One of `SwitchRole.colors`' names.
        public var color: String?
        public var roleArn: String
    }

    /// What the account menu reads, as AWS's does: `lab-student @ 1234-5678-9012`,
    /// or after a switch the display name: `TeamA @ 1234-5678-9012`.
    public var menuLabel: String {
        if let switched { return "\(switched.displayName) @ \(Self.dashed(accountId))" }
        let who = signedIn.kind == .root ? "root" : (signedIn.entityName ?? signedIn.arn)
        return "\(who) @ \(Self.dashed(signedIn.accountId))"
    }

    /// An account id in groups of four (`0000-0000-0000`).
    public static func dashed(_ accountId: String) -> String {
        let digits = Array(accountId)
        guard digits.count == 12 else { return accountId }
        return "\(String(digits[0..<4]))-\(String(digits[4..<8]))-\(String(digits[8..<12]))"
    }
}

/// Console sessions, kept in the store: a cookie carries a random token, the
/// store keeps only its SHA-256. Sessions last 12 hours, as AWS's console
/// sessions do, end when their user is deleted, and end at sign-out.
public struct ConsoleSessions: Sendable {
    /// AWS: "console sessions … last for 12 hours" (IAM User Guide, "Sign in to the AWS Management Console as an IAM user").
    public static let lifetime: Double = 12 * 3600

    let store: Store
    let clock: any Clock
    /// Reads a switched role's session credentials, as a signed request's are read.
    let credentials: CredentialResolver

    public init(store: Store, clock: any Clock) {
        self.store = store
        self.clock = clock
        credentials = CredentialResolver(store: store)
    }

    public func now() -> Double { clock.now().secondsSince1970 }

    /// Starts a session for a user (nil: the root user); the token for the cookie.
    public func start(accountId: String, userId: String?, mfaAuthenticated: Bool) throws -> String {
        let now = now()
        let token = Hex.encode(SecureRandom.bytes(32))
        let record = ConsoleSessionRecord(
            tokenHash: Self.hash(token), accountId: accountId, userId: userId, csrfToken: Hex.encode(SecureRandom.bytes(16)),
            mfaAuthenticated: mfaAuthenticated, createdAt: now, expiresAt: now + Self.lifetime)
        try store.transaction(.write) { tx in
            try tx.insert(record)
            // A console sign-in is the user's password in use: GetUser's PasswordLastUsed, the Users list's "Console last sign-in".
            if let userId, var user = try tx.fetch(UserRecord.self, key: userId) {
                user.passwordLastUsedAt = now
                try tx.update(user)
            }
        }
        return token
    }

    /// The live session a request's cookies name. The token without its
    /// marker is a browser that clicked Sign out: that session ends here.
    public func session(cookies header: String?) throws -> ConsoleSession? {
        guard let presented = ConsoleCookie.read(header) else { return nil }
        guard presented.signedIn else {
            try end(token: presented.token)
            return nil
        }
        return try session(token: presented.token)
    }

    /// The live session a cookie's token names, with its principal as of now.
    public func session(token: String) throws -> ConsoleSession? {
        guard token.count == 64 else { return nil }
        return try session(id: Self.hash(token))
    }

    /// The live session stored under `id` (its token's hash).
    func session(id: String) throws -> ConsoleSession? {
        let now = now()
        let found: (ConsoleSessionRecord, Principal)? = try store.transaction(.read) { tx in
            guard let record = try tx.fetch(ConsoleSessionRecord.self, key: id), record.expiresAt > now else {
                return nil
            }
            if let userId = record.userId {
                guard let user = try tx.fetch(UserRecord.self, key: userId) else { return nil }
                return (record, Self.principal(user, mfaAuthenticated: record.mfaAuthenticated, issuedAt: record.createdAt, expiresAt: record.expiresAt))
            }
            return (record, Principal.root(accountId: record.accountId, accessKeyId: ""))
        }
        guard let (record, signedIn) = found else { return nil }
        var principal = signedIn
        var switched: ConsoleSession.SwitchedRole?
        if let key = record.switchedAccessKeyId {
            // A role session that ended (expired, or its role deleted) leaves the console as the user who signed in.
            if let credential = try credentials.credential(for: key), (credential.expiresAt ?? 0) > now,
                let roleArn = credential.principal.entityArn
            {
                principal = credential.principal
                switched = ConsoleSession.SwitchedRole(
                    displayName: record.switchedDisplayName ?? credential.principal.entityName ?? roleArn, color: record.switchedColor,
                    roleArn: roleArn)
            } else {
                try switchBack(session: record.tokenHash)
            }
        }
        return ConsoleSession(
            principal: principal, signedIn: signedIn, switched: switched, id: record.tokenHash, region: record.region,
            csrfToken: record.csrfToken, expiresAt: record.expiresAt)
    }

    /// From now on the session acts as the role session `accessKeyId` (STS issued it to the signed-in user).
    public func switchRole(session id: String, accessKeyId: String, displayName: String, color: String?) throws {
        try store.transaction(.write) { tx in
            guard var record = try tx.fetch(ConsoleSessionRecord.self, key: id) else { return }
            record.switchedAccessKeyId = accessKeyId
            record.switchedDisplayName = displayName
            record.switchedColor = color
            try tx.save(record)
        }
    }

    /// The region the console works in from now on.
    public func pick(region: String, session id: String) throws {
        try store.transaction(.write) { tx in
            guard var record = try tx.fetch(ConsoleSessionRecord.self, key: id) else { return }
            record.region = region
            try tx.save(record)
        }
    }

    /// "Switch back": the session acts as the signed-in principal again.
    public func switchBack(session id: String) throws {
        try store.transaction(.write) { tx in
            guard var record = try tx.fetch(ConsoleSessionRecord.self, key: id), record.switchedAccessKeyId != nil else {
                return
            }
            record.switchedAccessKeyId = nil
            record.switchedDisplayName = nil
            record.switchedColor = nil
            try tx.save(record)
        }
    }

    /// Ends the session (sign-out): its cookie is worth nothing from now on.
    public func end(token: String) throws {
        try end(session: Self.hash(token))
    }

    /// Ends the session stored under `id` (its token's hash).
    public func end(session id: String) throws {
        try store.transaction(.write) { tx in
            if let record = try tx.fetch(ConsoleSessionRecord.self, key: id) { try tx.delete(record) }
        }
    }

    /// An IAM user in the console: signed in with MFA, the session says so
    /// (`aws:MultiFactorAuthPresent`), as a console session's credentials do.
    static func principal(_ user: UserRecord, mfaAuthenticated: Bool, issuedAt: Double, expiresAt: Double) -> Principal {
        var principal = Principal.user(user, accessKeyId: "")
        if mfaAuthenticated {
            principal.session = Principal.Session(
                kind: .sessionToken, issuedAt: issuedAt, expiresAt: expiresAt, context: SessionContext(mfaAuthenticated: true))
        }
        return principal
    }

    static func hash(_ token: String) -> String { Hex.encode(SHA256.hash(token)) }
}
