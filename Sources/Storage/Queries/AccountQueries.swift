// The queries of what an account holds as a whole: its alias, password
// policy and credential report, the counts behind GetAccountSummary and the
// entity quotas, and the listings behind GetAccountAuthorizationDetails.

extension AccountRecord: TrackedRecord {
    public var dependencies: [Dependency] { [Self.settings(of: id)] }

    /// The account's own settings (alias, password policy, credential
    /// report). No cache holds them today; their writes still say what they
    /// changed, so that one can.
    public static func settings(of accountId: String) -> Dependency {
        .resource("arn:aws:iam::\(accountId):root")
    }

    /// The account that holds this alias, if any (aliases are unique across accounts).
    public static func holder(ofAlias alias: String, in tx: Transaction) throws -> String? {
        try String.fetchOne(tx.db, cached: "SELECT id FROM account WHERE alias = ?", arguments: [alias])
    }

    /// The account's alias, if it has one.
    public static func alias(of accountId: String, in tx: Transaction) throws -> String? {
        try String.fetchOne(tx.db, cached: "SELECT alias FROM account WHERE id = ? AND alias IS NOT NULL", arguments: [accountId])
    }

    /// Gives the account this alias, replacing the one it had.
    public static func setAlias(_ alias: String, of accountId: String, in tx: Transaction) throws {
        tx.touch(settings(of: accountId))
        try tx.db.execute(cached: "UPDATE account SET alias = ? WHERE id = ?", arguments: [alias, accountId])
    }

    /// Removes the account's alias if it is `alias`; false when it is not.
    public static func removeAlias(_ alias: String, of accountId: String, in tx: Transaction) throws -> Bool {
        tx.touch(settings(of: accountId))
        try tx.db.execute(cached: "UPDATE account SET alias = NULL WHERE id = ? AND alias = ?", arguments: [accountId, alias])
        return tx.db.changesCount > 0
    }
}

extension PasswordPolicyRecord: TrackedRecord {
    public var dependencies: [Dependency] { [AccountRecord.settings(of: accountId)] }

    /// Removes the account's password policy; false when it had none.
    public static func remove(of accountId: String, in tx: Transaction) throws -> Bool {
        tx.touch(AccountRecord.settings(of: accountId))
        return try PasswordPolicyRecord.deleteOne(tx.db, key: accountId)
    }
}

extension CredentialReportRecord: TrackedRecord {
    public var dependencies: [Dependency] { [AccountRecord.settings(of: accountId)] }

}

/// What an account holds, counted: GetAccountSummary's usage keys, and what
/// the per-account entity quotas check.
public enum AccountUsage: Sendable, CaseIterable {
    case users
    case roles
    /// Customer managed policies only: AWS managed policies are not the account's.
    case policies
    case groups
    case policyVersionsInUse
    case instanceProfiles
    case serverCertificates
    case mfaDevices
    case mfaDevicesInUse
    /// OpenID Connect and SAML providers together.
    case providers
    /// 1 when the root user has access keys, else 0.
    case rootAccessKeysPresent

    /// The count for the account.
    public func count(account: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: sql, arguments: [account]) ?? 0
    }

    /// `?1` is the account.
    private var sql: String {
        switch self {
        case .users: "SELECT count(*) FROM user WHERE accountId = ?1"
        case .roles: "SELECT count(*) FROM role WHERE accountId = ?1"
        case .policies: "SELECT count(*) FROM managedPolicy WHERE accountId = ?1"
        case .groups: "SELECT count(*) FROM iamGroup WHERE accountId = ?1"
        case .policyVersionsInUse:
            "SELECT count(*) FROM policyVersion v JOIN managedPolicy p ON p.arn = v.policyArn WHERE p.accountId = ?1"
        case .instanceProfiles: "SELECT count(*) FROM instanceProfile WHERE accountId = ?1"
        case .serverCertificates: "SELECT count(*) FROM serverCertificate WHERE accountId = ?1"
        case .mfaDevices: "SELECT count(*) FROM mfaDevice WHERE accountId = ?1"
        case .mfaDevicesInUse: "SELECT count(*) FROM mfaDevice WHERE accountId = ?1 AND userId IS NOT NULL"
        case .providers:
            "SELECT (SELECT count(*) FROM oidcProvider WHERE accountId = ?1) + (SELECT count(*) FROM samlProvider WHERE accountId = ?1)"
        case .rootAccessKeysPresent: "SELECT count(*) > 0 FROM accessKey WHERE accountId = ?1 AND userId IS NULL"
        }
    }
}

// GetAccountAuthorizationDetails reads users, groups and roles with their
// listing pages (`UserRecord.page`, …); these are the rest of what it reads.

extension ManagedPolicyRecord {
    /// One page of the account's customer managed policies by name (the
    /// account's unique name index: names ignoring case, unique that way),
    /// after the policy named `name`. At most `limit` + 1.
    public static func detailsPage(account: String, after name: String?, limit: Int, in tx: Transaction) throws -> [ManagedPolicyRecord] {
        guard let name else {
            return try ManagedPolicyRecord.fetchAll(
                tx.db, cached: "SELECT * FROM managedPolicy WHERE accountId = ? ORDER BY name LIMIT ?", arguments: [account, limit + 1])
        }
        return try ManagedPolicyRecord.fetchAll(
            tx.db, cached: "SELECT * FROM managedPolicy WHERE accountId = ? AND name > ? ORDER BY name LIMIT ?",
            arguments: [account, name, limit + 1])
    }
}

extension PolicyAttachmentRecord {
    /// Every policy ARN the account uses, attached or as a permissions boundary, in ARN order.
    public static func policyArnsInUse(account: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: """
            SELECT policyArn FROM policyAttachment WHERE accountId = ?1
            UNION SELECT permissionsBoundaryArn FROM user WHERE accountId = ?1 AND permissionsBoundaryArn IS NOT NULL
            UNION SELECT permissionsBoundaryArn FROM role WHERE accountId = ?1 AND permissionsBoundaryArn IS NOT NULL
            ORDER BY 1
            """, arguments: [account])
    }
}

extension PolicyVersionRecord {
    /// Every version of a customer managed policy, in no particular order.
    public static func allVersions(ofPolicy arn: String, in tx: Transaction) throws -> [PolicyVersionRecord] {
        try PolicyVersionRecord.fetchAll(tx.db, cached: "SELECT * FROM policyVersion WHERE policyArn = ?", arguments: [arn])
    }
}

extension InstanceProfileRecord {
    /// The instance profiles that hold a role.
    public static func holding(role roleId: String, in tx: Transaction) throws -> [InstanceProfileRecord] {
        try InstanceProfileRecord.fetchAll(tx.db, cached: """
            SELECT p.* FROM instanceProfile p JOIN instanceProfileRole r ON r.profileId = p.id WHERE r.roleId = ?
            """, arguments: [roleId])
    }
}
