import Hashing
import ServiceKit
import Storage

/// A signed-in console visitor: the principal every click acts as.
public struct ConsoleSession: Sendable {
    /// The IAM user, or the account's root user.
    public let principal: Principal
    /// Sent back with every change (the form field `csrf` or the header `X-CSRF-Token`).
    public let csrfToken: String
    public let expiresAt: Double

    public var accountId: String { principal.accountId }

    /// What the account menu reads, as AWS's does: `lab-student @ 1234-5678-9012`.
    public var menuLabel: String {
        let who = principal.kind == .root ? "root" : (principal.entityName ?? principal.arn)
        return "\(who) @ \(Self.dashed(accountId))"
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

    public init(store: Store, clock: any Clock) {
        self.store = store
        self.clock = clock
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

    /// The live session a cookie's token names, with its principal as of now.
    public func session(token: String) throws -> ConsoleSession? {
        guard token.count == 64 else { return nil }
        let now = now()
        return try store.transaction(.read) { tx in
            guard let record = try tx.fetch(ConsoleSessionRecord.self, key: Self.hash(token)), record.expiresAt > now else {
                return nil
            }
            let principal: Principal
            if let userId = record.userId {
                guard let user = try tx.fetch(UserRecord.self, key: userId) else { return nil }
                principal = Self.principal(user, mfaAuthenticated: record.mfaAuthenticated, issuedAt: record.createdAt, expiresAt: record.expiresAt)
            } else {
                principal = Principal.root(accountId: record.accountId, accessKeyId: "")
            }
            return ConsoleSession(principal: principal, csrfToken: record.csrfToken, expiresAt: record.expiresAt)
        }
    }

    /// Ends the session (sign-out): its cookie is worth nothing from now on.
    public func end(token: String) throws {
        try store.transaction(.write) { tx in
            if let record = try tx.fetch(ConsoleSessionRecord.self, key: Self.hash(token)) { try tx.delete(record) }
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
