import AWSShapes
import Hashing
import ServiceKit
import Storage

/// Console passwords of IAM users: create, read, update, delete, and a user
/// changing their own. Only a salted hash is stored.
///
/// Hashing a password (PBKDF2) runs inside the operation's write
/// transaction, after authorization: the pipeline has no step between the
/// two, and a refused caller must not make the server hash.
enum LoginProfiles {
    /// Password hashes kept per user: PasswordReusePrevention looks back at most 24.
    static let historyLength = 24

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateLoginProfile.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: create))
        r.register(IAMOperation.GetLoginProfile.self, .transaction(.read, target: UserTarget.orCaller { $0.userName }, act: get))
        r.register(IAMOperation.UpdateLoginProfile.self, .transaction(.write, target: UserTarget.named { $0.userName }, act: update))
        r.register(IAMOperation.DeleteLoginProfile.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: delete))
        r.register(
            IAMOperation.ChangePassword.self,
            .transaction(
                .write, target: { _, context, tx in try PasswordChangeTarget(context, tx) },
                access: { _, target, _, action in
                    // A password policy that lets users change their password grants it
                    // without iam:ChangePassword (IAM User Guide, "Set an account password policy").
                    target.selfService ? [] : [AccessRequest(action: action, resource: target.resource, facts: target.facts)]
                }, act: changePassword))
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateLoginProfileRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateLoginProfileResponse {
        guard let password = input.password else { throw IAMError.passwordRequired }
        let hash = PasswordHash.make(password)
        let user = try target.existing()
        if try tx.fetch(LoginProfileRecord.self, key: user.id) != nil { throw IAMError.loginProfileExists(user.name) }
        try PasswordPolicies.check(password, userId: user.id, context.accountId, tx)
        let now = context.now.secondsSince1970
        let profile = LoginProfileRecord(
            userId: user.id, passwordHash: hash, passwordResetRequired: input.passwordResetRequired ?? false, createdAt: now,
            passwordChangedAt: now)
        try tx.insert(profile)
        try remember(hash, user.id, now, tx)
        return IAMShapes.CreateLoginProfileResponse(loginProfile: shape(profile, user.name))
    }

    static func get(_ input: IAMShapes.GetLoginProfileRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> IAMShapes.GetLoginProfileResponse
    {
        let user = try target.existing()
        return IAMShapes.GetLoginProfileResponse(loginProfile: shape(try find(user, tx), user.name))
    }

    static func update(
        _ input: IAMShapes.UpdateLoginProfileRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let hash = input.password.map { PasswordHash.make($0) }
        let user = try target.existing()
        var profile = try find(user, tx)
        if let password = input.password, let hash {
            try PasswordPolicies.check(password, userId: user.id, context.accountId, tx)
            profile.passwordHash = hash
            profile.passwordChangedAt = context.now.secondsSince1970
            try remember(hash, user.id, context.now.secondsSince1970, tx)
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
        _ input: IAMShapes.ChangePasswordRequest, _ target: PasswordChangeTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        guard context.principal.kind == .user, context.principal.session == nil, let userId = context.principal.entityId,
            let userName = context.principal.entityName
        else { throw IAMError.onlyUsersChangePasswords }
        let hash = PasswordHash.make(input.newPassword)
        guard var profile = try tx.fetch(LoginProfileRecord.self, key: userId) else { throw IAMError.noSuchLoginProfile(userName) }
        guard PasswordHash.verify(input.oldPassword, against: profile.passwordHash) else { throw IAMError.wrongOldPassword }
        try PasswordPolicies.check(input.newPassword, userId: userId, context.accountId, tx)
        profile.passwordHash = hash
        profile.passwordChangedAt = context.now.secondsSince1970
        profile.passwordResetRequired = false
        try tx.update(profile)
        try remember(hash, userId, context.now.secondsSince1970, tx)
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
