import AWSShapes
import GRDB
import Hashing
import ServiceKit
import Storage

/// Console passwords of IAM users: create, read, update, delete, and a user
/// changing their own. Only a salted hash is stored.
enum LoginProfiles {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateLoginProfile.self, access: .check { input, context in
            [AccessRequest(action: "iam:CreateLoginProfile", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            guard let password = input.password else { throw IAMError.passwordRequired }
            let hash = PasswordHash.make(password)
            return try await context.store.write { db in
                let user = try target(input.userName, context, db)
                if try LoginProfileRecord.fetchOne(db, key: user.id) != nil { throw IAMError.loginProfileExists(user.name) }
                try PasswordPolicies.check(password, userId: user.id, context.accountId, db)
                let now = context.now.secondsSince1970
                let profile = LoginProfileRecord(
                    userId: user.id, passwordHash: hash, passwordResetRequired: input.passwordResetRequired ?? false, createdAt: now,
                    passwordChangedAt: now)
                try profile.insert(db)
                try remember(hash, user.id, now, db)
                return IAMShapes.CreateLoginProfileResponse(loginProfile: shape(profile, user.name))
            }
        }

        r.register(IAMOperation.GetLoginProfile.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetLoginProfile", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let user = try target(input.userName, context, db)
                return IAMShapes.GetLoginProfileResponse(loginProfile: shape(try find(user, db), user.name))
            }
        }

        r.register(IAMOperation.UpdateLoginProfile.self, access: .check { input, context in
            [AccessRequest(action: "iam:UpdateLoginProfile", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            let hash = input.password.map { PasswordHash.make($0) }
            return try await context.store.write { db in
                let user = try target(input.userName, context, db)
                var profile = try find(user, db)
                if let password = input.password, let hash {
                    try PasswordPolicies.check(password, userId: user.id, context.accountId, db)
                    profile.passwordHash = hash
                    profile.passwordChangedAt = context.now.secondsSince1970
                    try remember(hash, user.id, context.now.secondsSince1970, db)
                }
                if let reset = input.passwordResetRequired { profile.passwordResetRequired = reset }
                try profile.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteLoginProfile.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeleteLoginProfile", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                let user = try target(input.userName, context, db)
                _ = try find(user, db).delete(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ChangePassword.self, access: .check { _, context in
            // A password policy that lets users change their password grants it
            // without iam:ChangePassword (IAM User Guide, "Set an account password policy").
            if try allowsSelfService(context) { return [] }
            return [AccessRequest(action: "iam:ChangePassword", resource: context.principal.entityArn ?? context.principal.arn)]
        }) { input, context in
            guard context.principal.kind == .user, context.principal.session == nil, let userId = context.principal.entityId,
                let userName = context.principal.entityName
            else { throw IAMError.onlyUsersChangePasswords }
            let hash = PasswordHash.make(input.newPassword)
            return try await context.store.write { db in
                guard var profile = try LoginProfileRecord.fetchOne(db, key: userId) else { throw IAMError.noSuchLoginProfile(userName) }
                guard PasswordHash.verify(input.oldPassword, against: profile.passwordHash) else { throw IAMError.wrongOldPassword }
                try PasswordPolicies.check(input.newPassword, userId: userId, context.accountId, db)
                profile.passwordHash = hash
                profile.passwordChangedAt = context.now.secondsSince1970
                profile.passwordResetRequired = false
                try profile.update(db)
                try remember(hash, userId, context.now.secondsSince1970, db)
                return EmptyShape()
            }
        }
    }

    static func allowsSelfService(_ context: OperationContext) throws -> Bool {
        guard context.principal.kind == .user else { return false }
        return try context.store.read { db in try PasswordPolicies.load(context.accountId, db)?.allowUsersToChangePassword ?? false }
    }

    /// The named user, or the calling IAM user when no name is given.
    static func target(_ userName: String?, _ context: OperationContext, _ db: Database) throws -> UserRecord {
        guard let name = userName ?? Users.callerUserName(context) else { throw IAMError.userNameRequired }
        return try Users.find(name, context.accountId, db)
    }

    static func find(_ user: UserRecord, _ db: Database) throws -> LoginProfileRecord {
        guard let profile = try LoginProfileRecord.fetchOne(db, key: user.id) else { throw IAMError.noSuchLoginProfile(user.name) }
        return profile
    }

    /// Keeps the hash for PasswordReusePrevention (at most 24 generations matter).
    static func remember(_ hash: String, _ userId: String, _ now: Double, _ db: Database) throws {
        try PasswordHistoryRecord(userId: userId, passwordHash: hash, changedAt: now).insert(db)
        try db.execute(cached: """
            DELETE FROM passwordHistory WHERE userId = ? AND rowid NOT IN
              (SELECT rowid FROM passwordHistory WHERE userId = ? ORDER BY changedAt DESC LIMIT 24)
            """, arguments: [userId, userId])
    }

    static func shape(_ profile: LoginProfileRecord, _ userName: String) -> IAMShapes.LoginProfile {
        IAMShapes.LoginProfile(
            createDate: Timestamp(secondsSince1970: profile.createdAt), passwordResetRequired: profile.passwordResetRequired,
            userName: userName)
    }
}
