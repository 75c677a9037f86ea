// The queries of IAM groups and their members, beside their records.

extension GroupRecord: TrackedRecord {
    /// A group's row, policies and members are what its members' policies are read from.
    public var dependencies: [Dependency] { [.principal(id)] }

    /// The account's group of this name (names are unique without regard to case).
    public static func named(_ name: String, account: String, in tx: Transaction) throws -> GroupRecord? {
        try GroupRecord.fetchOne(tx.db, cached: "SELECT * FROM iamGroup WHERE accountId = ? AND name = ?", arguments: [account, name])
    }

    /// One page of the account's groups under a path prefix, in IAM's listing
    /// order, after the group named `after` (`NameListing`). At most `limit` + 1 groups.
    public static func page(
        account: String, pathPrefix: String, after: String?, limit: Int, in tx: Transaction
    ) throws -> [GroupRecord] {
        try NameListing.groups.page(account: account, pathPrefix: pathPrefix, after: after, limit: limit, in: tx)
    }

    /// One page of the groups a user is in, in listing order, after the group
    /// named `name`. Read from the user's memberships and sorted: a user is in
    /// at most a handful of groups (GroupsPerUser), so this costs what the user
    /// holds, however many groups the account has. At most `limit` + 1 groups.
    public static func page(
        ofUser userId: String, after name: String?, limit: Int, in tx: Transaction
    ) throws -> [GroupRecord] {
        guard let name else {
            return try GroupRecord.fetchAll(tx.db, cached: """
                SELECT g.* FROM groupMembership m JOIN iamGroup g ON g.id = m.groupId
                WHERE m.userId = ? ORDER BY lower(g.name), g.name LIMIT ?
                """, arguments: [userId, limit + 1])
        }
        return try GroupRecord.fetchAll(tx.db, cached: """
            SELECT g.* FROM groupMembership m JOIN iamGroup g ON g.id = m.groupId
            WHERE m.userId = ? AND (lower(g.name), g.name) > (lower(?), ?)
            ORDER BY lower(g.name), g.name LIMIT ?
            """, arguments: [userId, name, name, limit + 1])
    }

    /// The names of the groups a user is in, by name (GetAccountAuthorizationDetails' GroupList).
    public static func names(ofUser userId: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: """
            SELECT g.name FROM iamGroup g JOIN groupMembership m ON m.groupId = g.id WHERE m.userId = ? ORDER BY g.name
            """, arguments: [userId])
    }

    /// Whether the group still has something of `kind`: what DeleteGroup refuses to delete with it.
    public static func holds(_ kind: GroupBelonging, groupId: String, in tx: Transaction) throws -> Bool {
        try Bool.fetchOne(tx.db, cached: kind.existsSQL, arguments: [groupId]) ?? false
    }
}

/// What an IAM group can hold that must be removed before the group is deleted.
public enum GroupBelonging: Sendable, CaseIterable {
    case member
    case attachedPolicy
    case inlinePolicy

    var existsSQL: String {
        switch self {
        case .member: "SELECT EXISTS (SELECT 1 FROM groupMembership WHERE groupId = ?)"
        case .attachedPolicy: "SELECT EXISTS (SELECT 1 FROM policyAttachment WHERE principalId = ?)"
        case .inlinePolicy: "SELECT EXISTS (SELECT 1 FROM inlinePolicy WHERE principalId = ?)"
        }
    }
}

extension UserRecord {
    /// One page of a group's members, in listing order, after the user named
    /// `name`. Read from the group's memberships and sorted by name: the cost
    /// follows the group's size, not the account's (an index on the user
    /// table would walk every user of the account to find a small group's
    /// few members). At most `limit` + 1 users.
    public static func page(
        memberOf groupId: String, after name: String?, limit: Int, in tx: Transaction
    ) throws -> [UserRecord] {
        guard let name else {
            return try UserRecord.fetchAll(tx.db, cached: """
                SELECT u.* FROM groupMembership m JOIN user u ON u.id = m.userId
                WHERE m.groupId = ? ORDER BY lower(u.name), u.name LIMIT ?
                """, arguments: [groupId, limit + 1])
        }
        return try UserRecord.fetchAll(tx.db, cached: """
            SELECT u.* FROM groupMembership m JOIN user u ON u.id = m.userId
            WHERE m.groupId = ? AND (lower(u.name), u.name) > (lower(?), ?)
            ORDER BY lower(u.name), u.name LIMIT ?
            """, arguments: [groupId, name, name, limit + 1])
    }
}

extension GroupMembershipRecord {
    public static func exists(groupId: String, userId: String, in tx: Transaction) throws -> Bool {
        try GroupMembershipRecord.fetchOne(tx.db, key: ["groupId": groupId, "userId": userId]) != nil
    }

    /// How many groups the user is in.
    public static func count(ofUser userId: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: "SELECT count(*) FROM groupMembership WHERE userId = ?", arguments: [userId]) ?? 0
    }

    /// Takes the user out of the group, if it is a member; the policies both
    /// speak for change either way as far as caches know.
    public static func remove(groupId: String, userId: String, in tx: Transaction) throws {
        tx.touch(.principal(userId))
        tx.touch(.principal(groupId))
        try tx.db.execute(cached: "DELETE FROM groupMembership WHERE groupId = ? AND userId = ?", arguments: [groupId, userId])
    }
}
