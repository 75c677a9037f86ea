// The queries of instance profiles and the roles they hold, beside their records.

extension InstanceProfileRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.resource(arn)] }

    /// The account's instance profile of this name (unique without regard to case, looked up exactly).
    public static func named(_ name: String, account: String, in tx: Transaction) throws -> InstanceProfileRecord? {
        try InstanceProfileRecord.fetchOne(
            tx.db, cached: "SELECT * FROM instanceProfile WHERE accountId = ? AND name = ?", arguments: [account, name])
    }

    /// One page of the account's instance profiles under a path prefix, in IAM's
    /// listing order, after the one named `after` (`NameListing`). At most `limit` + 1 profiles.
    public static func page(
        account: String, pathPrefix: String, after: String?, limit: Int, in tx: Transaction
    ) throws -> [InstanceProfileRecord] {
        try NameListing.instanceProfiles.page(account: account, pathPrefix: pathPrefix, after: after, limit: limit, in: tx)
    }

    /// One page of the instance profiles that hold a role, in IAM's listing
    /// order, after the one named `after`: read along
    /// `instanceProfileByListingName`, each checked by primary key, so a page
    /// costs the profiles it passes over until it is full.
    public static func page(
        holding roleId: String, account: String, after: String?, limit: Int, in tx: Transaction
    ) throws -> [InstanceProfileRecord] {
        guard let after else {
            return try InstanceProfileRecord.fetchAll(tx.db, cached: holdingSQL, arguments: [account, roleId, limit + 1])
        }
        return try InstanceProfileRecord.fetchAll(tx.db, cached: holdingAfterSQL, arguments: [account, roleId, limit + 1, after])
    }

    static let holdingSQL = """
        SELECT * FROM instanceProfile INDEXED BY instanceProfileByListingName
        WHERE accountId = ?1
        AND EXISTS (SELECT 1 FROM instanceProfileRole r WHERE r.profileId = instanceProfile.id AND r.roleId = ?2)
        ORDER BY lower(name), name LIMIT ?3
        """
    static let holdingAfterSQL = """
        SELECT * FROM instanceProfile INDEXED BY instanceProfileByListingName
        WHERE accountId = ?1 AND lower(name) >= lower(?4) AND (lower(name), name) > (lower(?4), ?4)
        AND EXISTS (SELECT 1 FROM instanceProfileRole r WHERE r.profileId = instanceProfile.id AND r.roleId = ?2)
        ORDER BY lower(name), name LIMIT ?3
        """

    /// The roles a profile holds (at most one).
    public static func roles(of profileId: String, in tx: Transaction) throws -> [RoleRecord] {
        try RoleRecord.fetchAll(tx.db, cached: """
            SELECT role.* FROM role JOIN instanceProfileRole r ON r.roleId = role.id WHERE r.profileId = ?
            """, arguments: [profileId])
    }

    public static func roleCount(of profileId: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: "SELECT count(*) FROM instanceProfileRole WHERE profileId = ?", arguments: [profileId]) ?? 0
    }
}

extension InstanceProfileRoleRecord: TrackedRecord {
    /// The profiles a role is in belong to the role.
    public var dependencies: [Dependency] { [.principal(roleId)] }

    public static func find(profileId: String, roleId: String, in tx: Transaction) throws -> InstanceProfileRoleRecord? {
        try InstanceProfileRoleRecord.fetchOne(tx.db, key: ["profileId": profileId, "roleId": roleId])
    }

    /// Takes a role out of every instance profile.
    public static func removeAll(role roleId: String, in tx: Transaction) throws {
        tx.touch(.principal(roleId))
        try tx.db.execute(cached: "DELETE FROM instanceProfileRole WHERE roleId = ?", arguments: [roleId])
    }
}
