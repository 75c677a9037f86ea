// The queries of inline policies, beside their record.

extension InlinePolicyRecord {
    /// A user's, role's or group's inline policy of this name (exactly).
    public static func named(_ name: String, of principalId: String, in tx: Transaction) throws -> InlinePolicyRecord? {
        try InlinePolicyRecord.fetchOne(tx.db, key: ["principalId": principalId, "name": name])
    }

    /// The documents of a principal's other inline policies (their sizes count together).
    public static func documents(of principalId: String, except name: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(
            tx.db, cached: "SELECT document FROM inlinePolicy WHERE principalId = ? AND name != ?", arguments: [principalId, name])
    }

    /// Adds the policy, or replaces the principal's policy of the same name.
    public static func put(_ policy: InlinePolicyRecord, in tx: Transaction) throws {
        if try named(policy.name, of: policy.principalId, in: tx) != nil {
            try tx.update(policy)
        } else {
            try tx.insert(policy)
        }
    }

    /// One page of a principal's inline policy names in IAM's listing order
    /// (name ignoring case, then exactly), after the one named `after`.
    /// Keyset paging on `inlinePolicyByListingName`; at most `limit` + 1 names.
    ///
    /// The plain `lower(name) >= lower(?)` bound is what lets SQLite seek to
    /// the position: it does not seek an expression index on a row-value
    /// comparison, and without it every page is read from the first row
    /// (20,000 names: 23 ms for a page near the end, 0.3 ms with it).
    public static func names(of principalId: String, after: String?, limit: Int, in tx: Transaction) throws -> [String] {
        guard let after else { return try String.fetchAll(tx.db, cached: namesSQL, arguments: [principalId, limit + 1]) }
        return try String.fetchAll(tx.db, cached: namesAfterSQL, arguments: [principalId, after, limit + 1])
    }

    static let namesSQL = """
        SELECT name FROM inlinePolicy INDEXED BY inlinePolicyByListingName
        WHERE principalId = ?1 ORDER BY lower(name), name LIMIT ?2
        """
    static let namesAfterSQL = """
        SELECT name FROM inlinePolicy INDEXED BY inlinePolicyByListingName
        WHERE principalId = ?1 AND lower(name) >= lower(?2) AND (lower(name), name) > (lower(?2), ?2)
        ORDER BY lower(name), name LIMIT ?3
        """

    /// Deletes every inline policy of a user, role or group.
    public static func removeAll(of principalId: String, in tx: Transaction) throws {
        tx.touch(.principal(principalId))
        try tx.db.execute(cached: "DELETE FROM inlinePolicy WHERE principalId = ?", arguments: [principalId])
    }
}
