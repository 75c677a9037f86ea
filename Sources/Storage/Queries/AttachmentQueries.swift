// The queries of managed policy attachments and of the users, roles and
// groups policies are attached to or embedded in.

/// A user, role or group, as the policies attached to or embedded in it see
/// it: which one, by unique id, and its name and path.
public struct PolicyHolder: Sendable, Equatable {
    public var type: PrincipalType
    public var id: String
    public var name: String
    public var path: String

    public init(type: PrincipalType, id: String, name: String, path: String) {
        self.type = type
        self.id = id
        self.name = name
        self.path = path
    }

    /// The account's user, role or group of this name (looked up exactly, as IAM does).
    public static func named(_ name: String, type: PrincipalType, account: String, in tx: Transaction) throws -> PolicyHolder? {
        let sql = switch type {
        case .user: "SELECT id, name, path FROM user WHERE accountId = ? AND name = ?"
        case .role: "SELECT id, name, path FROM role WHERE accountId = ? AND name = ?"
        case .group: "SELECT id, name, path FROM iamGroup WHERE accountId = ? AND name = ?"
        }
        guard let row = try Row.fetchOne(tx.db, cached: sql, arguments: [account, name]) else { return nil }
        return PolicyHolder(type: type, id: row["id"], name: row["name"], path: row["path"])
    }

    /// One page of the account's users, roles or groups (by `type`) under a
    /// path prefix that use a managed policy — attached, or as their
    /// permissions boundary, as the flags say — in IAM's listing order,
    /// after the one named `after`. Returns at most `limit` + 1.
    ///
    /// Read along the table's unique (account, name) index: names are unique
    /// without regard to case, so its order is IAM's (name ignoring case, then
    /// exactly). Each row is checked with an indexed look-up, so a page costs
    /// the entities it passes over until it is full.
    public static func using(
        _ policyArn: String, type: PrincipalType, attached: Bool, asBoundary: Bool, account: String, pathPrefix: String,
        after: String?, limit: Int, in tx: Transaction
    ) throws -> [PolicyHolder] {
        guard let sql = usingQuery(type: type, attached: attached, asBoundary: asBoundary, after: after != nil) else { return [] }
        var arguments: StatementArguments = [account, policyArn, pathPrefix, limit + 1]
        if let after { arguments += [after] }
        return try Row.fetchAll(tx.db, cached: sql, arguments: arguments).map {
            PolicyHolder(type: type, id: $0["id"], name: $0["name"], path: $0["path"])
        }
    }

    /// The query text of `using`: one of a fixed set; nil when nothing can match
    /// (groups have no permissions boundary).
    static func usingQuery(type: PrincipalType, attached: Bool, asBoundary: Bool, after: Bool) -> String? {
        let table = switch type {
        case .user: "user"
        case .role: "role"
        case .group: "iamGroup"
        }
        var clauses: [String] = []
        if attached {
            clauses.append("EXISTS (SELECT 1 FROM policyAttachment a WHERE a.principalId = \(table).id AND a.policyArn = ?2)")
        }
        if asBoundary && type != .group { clauses.append("permissionsBoundaryArn = ?2") }
        guard !clauses.isEmpty else { return nil }
        return """
            SELECT id, name, path FROM \(table)
            WHERE accountId = ?1 \(after ? "AND name > ?5 " : "")AND substr(path, 1, length(?3)) = ?3
            AND (\(clauses.joined(separator: " OR ")))
            ORDER BY name LIMIT ?4
            """
    }
}

extension PolicyAttachmentRecord {
    public static func find(principalId: String, policyArn: String, in tx: Transaction) throws -> PolicyAttachmentRecord? {
        try PolicyAttachmentRecord.fetchOne(tx.db, key: ["principalId": principalId, "policyArn": policyArn])
    }

    /// Detaches every managed policy from a user, role or group.
    public static func removeAll(from principalId: String, in tx: Transaction) throws {
        for attachment in try PolicyAttachmentRecord.fetchAll(
            tx.db, cached: "SELECT * FROM policyAttachment WHERE principalId = ?", arguments: [principalId])
        {
            try tx.delete(attachment)
        }
    }
}
