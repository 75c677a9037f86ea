import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import ServiceKit
import Storage

/// The account password policy, and the check every console password passes.
enum PasswordPolicies {
    typealias Settings = PasswordPolicySettings

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.UpdateAccountPasswordPolicy.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: update))
        r.register(IAMOperation.GetAccountPasswordPolicy.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: get))
        r.register(IAMOperation.DeleteAccountPasswordPolicy.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: delete))
    }

    // MARK: - Operations

    /// Unspecified settings return to their defaults: the call replaces the policy.
    static func update(
        _ input: IAMShapes.UpdateAccountPasswordPolicyRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let settings = Settings(
            minimumPasswordLength: input.minimumPasswordLength ?? 6, requireSymbols: input.requireSymbols ?? false,
            requireNumbers: input.requireNumbers ?? false,
            requireUppercaseCharacters: input.requireUppercaseCharacters ?? false,
            requireLowercaseCharacters: input.requireLowercaseCharacters ?? false,
            allowUsersToChangePassword: input.allowUsersToChangePassword ?? false, maxPasswordAge: input.maxPasswordAge,
            passwordReusePrevention: input.passwordReusePrevention, hardExpiry: input.hardExpiry)
        try PasswordPolicyRecord(accountId: context.accountId, settings: settings).save(in: tx)
        return EmptyShape()
    }

    static func get(
        _ input: EmptyShape, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetAccountPasswordPolicyResponse {
        guard let settings = try load(context.accountId, tx) else { throw IAMError.noSuchPasswordPolicy(context.accountId) }
        return IAMShapes.GetAccountPasswordPolicyResponse(passwordPolicy: shape(settings))
    }

    static func delete(
        _ input: EmptyShape, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        guard try PasswordPolicyRecord.remove(of: context.accountId, in: tx) else { throw IAMError.noPasswordPolicyToDelete }
        return EmptyShape()
    }

    static func load(_ account: String, _ tx: Transaction) throws -> Settings? {
        try tx.fetch(PasswordPolicyRecord.self, key: account)?.settings
    }

    static func shape(_ settings: Settings) -> IAMShapes.PasswordPolicy {
        IAMShapes.PasswordPolicy(
            allowUsersToChangePassword: settings.allowUsersToChangePassword, expirePasswords: settings.maxPasswordAge != nil,
            hardExpiry: settings.hardExpiry, maxPasswordAge: settings.maxPasswordAge,
            minimumPasswordLength: settings.minimumPasswordLength, passwordReusePrevention: settings.passwordReusePrevention,
            requireLowercaseCharacters: settings.requireLowercaseCharacters, requireNumbers: settings.requireNumbers,
            requireSymbols: settings.requireSymbols, requireUppercaseCharacters: settings.requireUppercaseCharacters)
    }

    /// The characters AWS counts as symbols (IAM User Guide, "Set an account password policy").
    static let symbols = Set("!@#$%^&*()_+-=[]{}|'")

    /// What checking a password against the account's policy needs, read in a
    /// transaction: the policy and the user's recent password hashes. The
    /// check (PBKDF2 against up to 24 of them) runs outside any transaction.
    struct Rules: Sendable, Equatable {
        let settings: Settings?
        let recentHashes: [String]

        static func read(userId: String?, _ account: String, _ tx: Transaction) throws -> Rules {
            let settings = try load(account, tx)
            let recent = try userId.flatMap { id in
                try settings?.passwordReusePrevention.map { try PasswordHistoryRecord.recentHashes(ofUser: id, limit: $0, in: tx) }
            } ?? []
            return Rules(settings: settings, recentHashes: recent)
        }

        /// Refuses a password the account's policy (or, without one, AWS's
        /// default policy) does not allow, and one the user had recently.
        func check(_ password: String) throws {
            let characters = Array(password)
            let hasUpper = characters.contains { $0.isUppercase }
            let hasLower = characters.contains { $0.isLowercase }
            let hasNumber = characters.contains { $0.isASCII && $0.isNumber }
            let hasSymbol = characters.contains { symbols.contains($0) || !($0.isLetter || $0.isNumber) }
            guard let settings else {
                // AWS's default policy: at least 8 characters of at least three of the four kinds.
                // Missing kinds are named, each one AWS's sentence, in this order (one capture:
                // uppercase before symbol, docs/research/fidelity-issue18.md §10); the texts for
                // lowercase and number follow the same form. A password too short but otherwise
                // fine gets the general text (AWS's own for it is not on record).
                let missing = [
                    (hasUpper, "Password should have at least one uppercase letter"),
                    (hasLower, "Password should have at least one lowercase letter"),
                    (hasNumber, "Password should have at least one number"),
                    (hasSymbol, "Password should have at least one symbol"),
                ].filter { !$0.0 }.map(\.1)
                if missing.count > 1 { throw IAMError.defaultPasswordPolicyViolation(needed: missing.count - 1, missing: missing) }
                guard characters.count >= 8 else { throw IAMError.passwordPolicyViolation }
                return
            }
            let violated = characters.count < settings.minimumPasswordLength
                || (settings.requireUppercaseCharacters && !hasUpper) || (settings.requireLowercaseCharacters && !hasLower)
                || (settings.requireNumbers && !hasNumber) || (settings.requireSymbols && !hasSymbol)
            if violated { throw IAMError.passwordPolicyViolation }
            if recentHashes.contains(where: { PasswordHash.verify(password, against: $0) }) { throw IAMError.passwordPolicyViolation }
        }
    }
}
