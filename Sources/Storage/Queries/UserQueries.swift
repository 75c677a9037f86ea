// The queries of IAM users, beside their records. `UserRecord.named` and its
// TrackedRecord conformance live with the other identities (IdentityQueries).

extension UserRecord {
    /// One page of the account's users under a path prefix, in IAM's listing
    /// order, after the user named `after` (`NameListing`). At most `limit` + 1 users.
    public static func page(
        account: String, pathPrefix: String, after: String?, limit: Int, in tx: Transaction
    ) throws -> [UserRecord] {
        try NameListing.users.page(account: account, pathPrefix: pathPrefix, after: after, limit: limit, in: tx)
    }

    /// Every user of the account, in listing order (the credential report).
    public static func all(account: String, in tx: Transaction) throws -> [UserRecord] {
        try UserRecord.fetchAll(tx.db, cached: """
            SELECT * FROM user INDEXED BY userByListingName WHERE accountId = ? ORDER BY lower(name), name
            """, arguments: [account])
    }

    /// Whether the user still has something of `kind`: what DeleteUser refuses to delete with it.
    public static func holds(_ kind: UserBelonging, userId: String, in tx: Transaction) throws -> Bool {
        try Bool.fetchOne(tx.db, cached: kind.existsSQL, arguments: [userId]) ?? false
    }
}

/// What an IAM user can hold that must be removed before the user is deleted.
public enum UserBelonging: Sendable, CaseIterable {
    case loginProfile
    case accessKey
    case signingCertificate
    case sshPublicKey
    case serviceSpecificCredential
    case mfaDevice
    case inlinePolicy
    case attachedPolicy
    case groupMembership

    var existsSQL: String {
        switch self {
        case .loginProfile: "SELECT EXISTS (SELECT 1 FROM loginProfile WHERE userId = ?)"
        case .accessKey: "SELECT EXISTS (SELECT 1 FROM accessKey WHERE userId = ?)"
        case .signingCertificate: "SELECT EXISTS (SELECT 1 FROM signingCertificate WHERE userId = ?)"
        case .sshPublicKey: "SELECT EXISTS (SELECT 1 FROM sshPublicKey WHERE userId = ?)"
        case .serviceSpecificCredential: "SELECT EXISTS (SELECT 1 FROM serviceSpecificCredential WHERE userId = ?)"
        case .mfaDevice: "SELECT EXISTS (SELECT 1 FROM mfaDevice WHERE userId = ?)"
        case .inlinePolicy: "SELECT EXISTS (SELECT 1 FROM inlinePolicy WHERE principalId = ?)"
        case .attachedPolicy: "SELECT EXISTS (SELECT 1 FROM policyAttachment WHERE principalId = ?)"
        case .groupMembership: "SELECT EXISTS (SELECT 1 FROM groupMembership WHERE userId = ?)"
        }
    }
}
