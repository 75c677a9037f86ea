import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import ServiceKit
import Storage
import Synchronization
import Platform

/// Signing in to the console as AWS's sign-in page does it: an IAM user by
/// account (id or alias), user name and password, or the root user by email
/// and password; then, for a user with an MFA device, a code from it; then,
/// when the login profile requires it, a new password. Only the last step
/// starts a session.
public final class ConsoleSignIn: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Signed in: the token for the session cookie.
        case signedIn(token: String)
        /// The password was right; the user must give a code from an MFA device.
        case mfaRequired(ticket: String)
        /// The login profile requires a new password before the session starts.
        case passwordChangeRequired(ticket: String, accountId: String, userName: String)
        /// Refused, with the message the page shows.
        case refused(String)
    }

    /// What AWS's sign-in page says to a wrong account, user, password or MFA code, without telling which.
    public static let incorrect = "Your authentication information is incorrect. Please try again."
    static let throttled = "There have been too many failed sign-in attempts for this user. Wait a few minutes, then try again."
    /// Failed attempts per user within `failureWindow` before sign-in is refused for the rest of the window.
    static let failureLimit = 5
    static let failureWindow: Double = 300
    /// How long the MFA and new-password steps may take.
    static let ticketLifetime: Double = 300

    private struct Pending: Sendable {
        var accountId: String
        var userId: String
        var mfaAuthenticated: Bool
        var expiresAt: Double
    }

    let environment: ServiceEnvironment
    let iam: QueryService
    let sessions: ConsoleSessions
    private let pending = Mutex<[String: Pending]>([:])
    private let failures = Mutex<[String: [Double]]>([:])

    public init(environment: ServiceEnvironment, iam: QueryService, sessions: ConsoleSessions) {
        self.environment = environment
        self.iam = iam
        self.sessions = sessions
    }

    /// "Sign in as IAM user".
    public func user(account: String, userName: String, password: String) async throws -> Outcome {
        let now = environment.clock.now().secondsSince1970
        let throttleKey = "\(account.lowercased())/\(userName)"
        guard !isThrottled(throttleKey, now: now) else { return .refused(Self.throttled) }
        let found = try environment.store.transaction(.read) { tx -> (UserRecord, LoginProfileRecord, Bool)? in
            guard let accountId = try Self.accountId(account, tx), let user = try UserRecord.named(userName, account: accountId, in: tx),
                let profile = try tx.fetch(LoginProfileRecord.self, key: user.id)
            else { return nil }
            let hasMFA = try MFADeviceRecord.assigned(to: user.id, in: tx).contains { $0.seed != nil }
            return (user, profile, hasMFA)
        }
        // Verified outside any transaction and off the event loops: PBKDF2 is slow on purpose.
        guard let (user, profile, hasMFA) = found,
            try await SlowWork.run({ PasswordHash.verify(password, against: profile.passwordHash) })
        else {
            recordFailure(throttleKey, now: now)
            return .refused(Self.incorrect)
        }
        failures.withLock { _ = $0.removeValue(forKey: throttleKey) }
        return try proceed(Pending(accountId: user.accountId, userId: user.id, mfaAuthenticated: false, expiresAt: now + Self.ticketLifetime),
                           user: user, needsMFA: hasMFA, needsNewPassword: profile.passwordResetRequired, now: now)
    }

    /// "Sign in using root user email".
    public func root(email: String, password: String) async throws -> Outcome {
        let now = environment.clock.now().secondsSince1970
        let throttleKey = "root/\(email.lowercased())"
        guard !isThrottled(throttleKey, now: now) else { return .refused(Self.throttled) }
        let found = try environment.store.transaction(.read) { tx in try RootSignInRecord.withEmail(email, in: tx) }
        guard let found, try await SlowWork.run({ PasswordHash.verify(password, against: found.passwordHash) }) else {
            recordFailure(throttleKey, now: now)
            return .refused(Self.incorrect)
        }
        failures.withLock { _ = $0.removeValue(forKey: throttleKey) }
        return .signedIn(token: try sessions.start(accountId: found.accountId, userId: nil, mfaAuthenticated: false))
    }

    /// The MFA step: a current code of one of the user's virtual devices.
    public func mfa(ticket: String, code: String) throws -> Outcome {
        let now = environment.clock.now().secondsSince1970
        guard var step = take(ticket, now: now) else { return .refused(Self.incorrect) }
        let throttleKey = "mfa/\(step.userId)"
        guard !isThrottled(throttleKey, now: now) else { return .refused(Self.throttled) }
        let found = try environment.store.transaction(.read) { tx -> (UserRecord, [MFADeviceRecord], LoginProfileRecord)? in
            guard let user = try tx.fetch(UserRecord.self, key: step.userId),
                let profile = try tx.fetch(LoginProfileRecord.self, key: step.userId)
            else { return nil }
            return (user, try MFADeviceRecord.assigned(to: user.id, in: tx), profile)
        }
        guard let (user, devices, profile) = found else { return .refused(Self.incorrect) }
        let trimmed = code.filter { !$0.isWhitespace }
        guard devices.contains(where: { $0.seed.map { TOTP.accepts(trimmed, seed: Array($0), at: now) } ?? false }) else {
            recordFailure(throttleKey, now: now)
            // Another try with the same ticket, as AWS's MFA page allows.
            pending.withLock { $0[ticket] = step }
            return .refused(Self.incorrect)
        }
        step.mfaAuthenticated = true
        return try proceed(step, user: user, needsMFA: false, needsNewPassword: profile.passwordResetRequired, now: now)
    }

    /// The new-password step: IAM's ChangePassword as the user, so the
    /// account's password policy (and its reuse rule) decides.
    public func changePassword(ticket: String, old: String, new: String, retype: String, sourceIp: String) async throws -> Outcome {
        let now = environment.clock.now()
        guard let step = take(ticket, now: now.secondsSince1970) else { return .refused(Self.incorrect) }
        guard new == retype else {
            pending.withLock { $0[ticket] = step }
            return .refused("The passwords you entered do not match.")
        }
        guard let user = try environment.store.transaction(.read, { tx in try tx.fetch(UserRecord.self, key: step.userId) }) else {
            return .refused(Self.incorrect)
        }
        let context = OperationContext(
            requestId: environment.ids.uuid(), principal: Principal.user(user, accessKeyId: ""), region: environment.settings.defaultRegion,
            now: now, sourceIp: sourceIp, secureTransport: false, userAgent: "Gatehouse console", environment: environment)
        let answer = await iam.call(IAMOperation.ChangePassword.self, ["OldPassword": old, "NewPassword": new], context: context)
        if case .failure(let error) = answer {
            pending.withLock { $0[ticket] = step }
            return .refused(error.said)
        }
        return .signedIn(token: try sessions.start(accountId: step.accountId, userId: step.userId, mfaAuthenticated: step.mfaAuthenticated))
    }

    // MARK: - Steps

    private func proceed(_ step: Pending, user: UserRecord, needsMFA: Bool, needsNewPassword: Bool, now: Double) throws -> Outcome {
        if needsMFA {
            return .mfaRequired(ticket: issue(step))
        }
        if needsNewPassword {
            return .passwordChangeRequired(ticket: issue(step), accountId: user.accountId, userName: user.name)
        }
        return .signedIn(token: try sessions.start(accountId: step.accountId, userId: step.userId, mfaAuthenticated: step.mfaAuthenticated))
    }

    private func issue(_ step: Pending) -> String {
        let ticket = Hex.encode(SecureRandom.bytes(24))
        pending.withLock { tickets in
            tickets = tickets.filter { $0.value.expiresAt > step.expiresAt - Self.ticketLifetime }
            tickets[ticket] = step
        }
        return ticket
    }

    private func take(_ ticket: String, now: Double) -> Pending? {
        pending.withLock { tickets in
            guard let step = tickets.removeValue(forKey: ticket), step.expiresAt > now else { return nil }
            return step
        }
    }

    private func isThrottled(_ key: String, now: Double) -> Bool {
        failures.withLock { ($0[key]?.filter { $0 > now - Self.failureWindow }.count ?? 0) >= Self.failureLimit }
    }

    private func recordFailure(_ key: String, now: Double) {
        failures.withLock { table in
            // Names nobody has are remembered too (a wrong name looks like a wrong password); keep the table bounded.
            if table.count > 10_000 {
                table = table.filter { $0.value.contains { $0 > now - Self.failureWindow } }
            }
            table[key, default: []] = table[key, default: []].filter { $0 > now - Self.failureWindow } + [now]
        }
    }

    /// The account a sign-in names: 12 digits (dashes allowed, as AWS prints them) or an alias.
    static func accountId(_ text: String, _ tx: Transaction) throws -> String? {
        let digits = text.filter { $0 != "-" && !$0.isWhitespace }
        if digits.count == 12, digits.allSatisfy(\.isNumber) {
            return try tx.fetch(AccountRecord.self, key: digits)?.id
        }
        return try AccountRecord.holder(ofAlias: text.trimmingWhitespace(), in: tx)
    }
}
