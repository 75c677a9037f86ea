import AWSShapes
import Hashing
import ServiceKit
import Storage

/// Console passwords of IAM users: create, read, update, delete, and a user
/// changing their own. Only a salted hash is stored.
///
/// Hashing a password and comparing it with the user's recent ones (PBKDF2)
/// run between authorization and the write, outside any transaction
/// (`OperationBehaviour.prepared`): a refused caller costs no hashing, and no
/// writer waits on it.
enum LoginProfiles {
    /// Password hashes kept per user: PasswordReusePrevention looks back at most 24.
    static let historyLength = 24

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateLoginProfile.self,
            .prepared(target: UserTarget.orCaller { $0.userName }, basis: newProfile, work: { input, basis, _ in try basis.accept(input.password ?? "") },
                      act: create))
        r.register(IAMOperation.GetLoginProfile.self, .transaction(.read, target: UserTarget.orCaller { $0.userName }, act: get))
        r.register(
            IAMOperation.UpdateLoginProfile.self,
            .prepared(target: UserTarget.named { $0.userName }, basis: existingProfile, work: { input, basis, _ in try input.password.map(basis.accept) },
                      act: update))
        r.register(IAMOperation.DeleteLoginProfile.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: delete))
        r.register(
            IAMOperation.ChangePassword.self,
            .prepared(
                target: { _, context, tx in try PasswordChangeTarget(context, tx) },
                access: { _, target, _, action in
                    // A password policy that lets users change their password grants it
                    // without iam:ChangePassword (IAM User Guide, "Set an account password policy").
                    target.selfService ? [] : [AccessRequest(action: action, resource: target.resource, facts: target.facts)]
                },
                basis: ownProfile,
                work: { input, basis, _ in
                    guard PasswordHash.verify(input.oldPassword, against: basis.currentHash ?? "") else { throw IAMError.wrongOldPassword }
                    return try basis.accept(input.newPassword)
                },
                act: changePassword))
    }

    /// What a new password is checked against, read in the operation's first
    /// transaction: the user, their current hash, the account's policy and the
    /// user's recent hashes.
    struct PasswordBasis: Sendable, Equatable {
        let userId: String
        let userName: String
        let currentHash: String?
        let rules: PasswordPolicies.Rules

        init(_ user: UserRecord, current: LoginProfileRecord?, _ tx: Transaction) throws {
            userId = user.id
            userName = user.name
            currentHash = current?.passwordHash
            rules = try PasswordPolicies.Rules.read(userId: user.id, user.accountId, tx)
        }

        /// The password's hash, if the policy allows it.
        func accept(_ password: String) throws -> String {
            try rules.check(password)
            return PasswordHash.make(password)
        }
    }

    static func newProfile(
        _ input: IAMShapes.CreateLoginProfileRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> PasswordBasis {
        guard input.password != nil else { throw IAMError.passwordRequired }
        let user = try target.existing()
        if try tx.fetch(LoginProfileRecord.self, key: user.id) != nil { throw IAMError.loginProfileExists(user.name) }
        return try PasswordBasis(user, current: nil, tx)
    }

    static func existingProfile(
        _ input: IAMShapes.UpdateLoginProfileRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> PasswordBasis {
        let user = try target.existing()
        return try PasswordBasis(user, current: try find(user, tx), tx)
    }

    static func ownProfile(
        _ input: IAMShapes.ChangePasswordRequest, _ target: PasswordChangeTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> PasswordBasis {
        guard context.principal.kind == .user, context.principal.session == nil, let userId = context.principal.entityId,
            let user = try tx.fetch(UserRecord.self, key: userId)
        else { throw IAMError.onlyUsersChangePasswords }
        guard let profile = try tx.fetch(LoginProfileRecord.self, key: userId) else { throw IAMError.noSuchLoginProfile(user.name) }
        return try PasswordBasis(user, current: profile, tx)
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateLoginProfileRequest, _ target: UserTarget, _ basis: PasswordBasis, _ hash: String,
        _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateLoginProfileResponse {
        let now = context.now.secondsSince1970
        let profile = LoginProfileRecord(
            userId: basis.userId, passwordHash: hash, passwordResetRequired: input.passwordResetRequired ?? false, createdAt: now,
            passwordChangedAt: now)
        try tx.insert(profile)
        try remember(hash, basis.userId, now, tx)
        return IAMShapes.CreateLoginProfileResponse(loginProfile: shape(profile, basis.userName))
    }

    static func get(_ input: IAMShapes.GetLoginProfileRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> IAMShapes.GetLoginProfileResponse
    {
        let user = try target.existing()
        return IAMShapes.GetLoginProfileResponse(loginProfile: shape(try find(user, tx), user.name))
    }

    static func update(
        _ input: IAMShapes.UpdateLoginProfileRequest, _ target: UserTarget, _ basis: PasswordBasis, _ hash: String?,
        _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        guard var profile = try tx.fetch(LoginProfileRecord.self, key: basis.userId) else { throw IAMError.noSuchLoginProfile(basis.userName) }
        if let hash {
            profile.passwordHash = hash
            profile.passwordChangedAt = context.now.secondsSince1970
            try remember(hash, basis.userId, context.now.secondsSince1970, tx)
        }
        if let reset = input.passwordResetRequired { profile.passwordResetRequired = reset }
        try tx.update(profile)
        return EmptyShape()
    }

    static func delete(
        _ input: IAMShapes.DeleteLoginProfileRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        try tx.delete(try find(try target.existing(), tx))
        return EmptyShape()
    }

    static func changePassword(
        _ input: IAMShapes.ChangePasswordRequest, _ target: PasswordChangeTarget, _ basis: PasswordBasis, _ hash: String,
        _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        guard var profile = try tx.fetch(LoginProfileRecord.self, key: basis.userId) else { throw IAMError.noSuchLoginProfile(basis.userName) }
        profile.passwordHash = hash
        profile.passwordChangedAt = context.now.secondsSince1970
        profile.passwordResetRequired = false
        try tx.update(profile)
        try remember(hash, basis.userId, context.now.secondsSince1970, tx)
        return EmptyShape()
    }

    // MARK: - Lookup and shapes

    static func find(_ user: UserRecord, _ tx: Transaction) throws -> LoginProfileRecord {
        guard let profile = try tx.fetch(LoginProfileRecord.self, key: user.id) else { throw IAMError.noSuchLoginProfile(user.name) }
        return profile
    }

    /// Keeps the hash for PasswordReusePrevention.
    static func remember(_ hash: String, _ userId: String, _ now: Double, _ tx: Transaction) throws {
        try PasswordHistoryRecord.remember(
            PasswordHistoryRecord(userId: userId, passwordHash: hash, changedAt: now), keeping: historyLength, in: tx)
    }

    static func shape(_ profile: LoginProfileRecord, _ userName: String) -> IAMShapes.LoginProfile {
        IAMShapes.LoginProfile(
            createDate: Timestamp(secondsSince1970: profile.createdAt), passwordResetRequired: profile.passwordResetRequired,
            userName: userName)
    }
}

/// ChangePassword acts on the caller's own password: authorized on the
/// caller's IAM entity (as the authorizer looks it up), unless the account's
/// password policy lets users change their own, read in the same transaction.
struct PasswordChangeTarget: OperationTarget {
    let resource: String
    let selfService: Bool

    init(_ context: OperationContext, _ tx: Transaction) throws {
        resource = context.principal.entityArn ?? context.principal.arn
        if context.principal.kind == .user {
            selfService = try PasswordPolicies.load(context.accountId, tx)?.allowUsersToChangePassword ?? false
        } else {
            selfService = false
        }
    }

    var facts: ResourceFacts { .lookUp }
}
