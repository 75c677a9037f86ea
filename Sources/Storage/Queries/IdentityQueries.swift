// The queries of IAM identities and what speaks for them, beside their records.

extension RoleRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(id)] }

    /// The account's role of this name (names are unique without regard to case in AWS,
    /// but looked up exactly, as IAM does).
    public static func named(_ name: String, account: String, in tx: Transaction) throws -> RoleRecord? {
        try RoleRecord.fetchOne(tx.db, cached: "SELECT * FROM role WHERE accountId = ? AND name = ?", arguments: [account, name])
    }

    /// One page of the account's roles under a path prefix, in IAM's listing
    /// order, after the role named `after` (`NameListing`). At most `limit` + 1 roles.
    public static func page(
        account: String, pathPrefix: String, after: String?, limit: Int, in tx: Transaction
    ) throws -> [RoleRecord] {
        try NameListing.roles.page(account: account, pathPrefix: pathPrefix, after: after, limit: limit, in: tx)
    }

    /// How many instance profiles hold the role.
    public static func instanceProfileCount(_ id: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: "SELECT count(*) FROM instanceProfileRole WHERE roleId = ?", arguments: [id]) ?? 0
    }
}

/// The unique id of the user or role an ARN's resource part names
/// (`user/path/name`, `role/name`) in an account, if it exists.
public func identityId(account: String, resource: String, in tx: Transaction) throws -> String? {
    if resource.hasPrefix("user/") {
        return try String.fetchOne(
            tx.db, cached: "SELECT id FROM user WHERE accountId = ? AND 'user' || path || name = ?", arguments: [account, resource])
    }
    if resource.hasPrefix("role/") {
        return try String.fetchOne(
            tx.db, cached: "SELECT id FROM role WHERE accountId = ? AND 'role' || path || name = ?", arguments: [account, resource])
    }
    return nil
}

extension UserRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(id)] }

    public static func named(_ name: String, account: String, in tx: Transaction) throws -> UserRecord? {
        try UserRecord.fetchOne(tx.db, cached: "SELECT * FROM user WHERE accountId = ? AND name = ?", arguments: [account, name])
    }
}

extension GroupMembershipRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(userId), .principal(groupId)] }

    /// The groups a user is in, by id.
    public static func groupIds(ofUser userId: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: "SELECT groupId FROM groupMembership WHERE userId = ?", arguments: [userId])
    }
}

extension PolicyAttachmentRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(principalId), .policy(policyArn)] }

    /// The managed policies attached to a user, role or group, by ARN in ARN order.
    public static func policyArns(attachedTo principalId: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(
            tx.db, cached: "SELECT policyArn FROM policyAttachment WHERE principalId = ? ORDER BY policyArn", arguments: [principalId])
    }

    public static func count(attachedTo principalId: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: "SELECT count(*) FROM policyAttachment WHERE principalId = ?", arguments: [principalId]) ?? 0
    }
}

extension InlinePolicyRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(principalId)] }

    /// A user's, role's or group's inline policies, by name.
    public static func all(of principalId: String, in tx: Transaction) throws -> [InlinePolicyRecord] {
        try InlinePolicyRecord.fetchAll(
            tx.db, cached: "SELECT * FROM inlinePolicy WHERE principalId = ? ORDER BY name", arguments: [principalId])
    }

    public static func count(of principalId: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: "SELECT count(*) FROM inlinePolicy WHERE principalId = ?", arguments: [principalId]) ?? 0
    }
}

extension ManagedPolicyRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.policy(arn)] }

    /// A customer managed policy's id, default version and that version's document.
    public static func defaultDocument(of arn: String, in tx: Transaction) throws -> (id: String, versionId: String, document: String)? {
        guard let row = try Row.fetchOne(tx.db, cached: """
            SELECT p.id, p.defaultVersionId, v.document FROM managedPolicy p
            JOIN policyVersion v ON v.policyArn = p.arn AND v.versionId = p.defaultVersionId
            WHERE p.arn = ?
            """, arguments: [arn])
        else { return nil }
        return (row["id"], row["defaultVersionId"], row["document"])
    }
}

extension PolicyVersionRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.policy(policyArn)] }
}

extension TagRecord: TrackedRecord {
    public var dependencies: [Dependency] { [tagOwner(resourceId)] }

    /// A resource's tags, by key.
    public static func all(of resourceId: String, in tx: Transaction) throws -> [TagRecord] {
        try all(tx.db, of: resourceId)
    }

    /// Replaces a resource's tags with `tags`.
    public static func replace(of resourceId: String, with tags: [TagRecord], in tx: Transaction) throws {
        try removeAll(of: resourceId, in: tx)
        for tag in tags { try tx.insert(tag) }
    }

    /// Removes the tags with these keys, compared exactly or without regard to case.
    public static func remove(of resourceId: String, keys: [String], caseSensitive: Bool, in tx: Transaction) throws {
        tx.touch(tagOwner(resourceId))
        for key in keys {
            if caseSensitive {
                try tx.db.execute(cached: "DELETE FROM tag WHERE resourceId = ? AND key = ?", arguments: [resourceId, key])
            } else {
                try tx.db.execute(cached: "DELETE FROM tag WHERE resourceId = ? AND lower(key) = lower(?)", arguments: [resourceId, key])
            }
        }
    }

    public static func removeAll(of resourceId: String, in tx: Transaction) throws {
        tx.touch(tagOwner(resourceId))
        try tx.db.execute(cached: "DELETE FROM tag WHERE resourceId = ?", arguments: [resourceId])
    }
}

extension AccessKeyRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.credential(id)] }
}

extension SessionCredentialRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.credential(accessKeyId)] }
}

extension RepositoryRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.resource(arn)] }
}
