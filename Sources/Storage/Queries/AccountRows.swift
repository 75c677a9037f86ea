import JSON

/// The rows of one table that belong to a set of accounts: what a snapshot of
/// those accounts holds (`gatehouse state export/import`, `serve --seed`).
///
/// Which rows belong to an account is schema knowledge, so it lives here with
/// the schema; the snapshot format (sections, JSON) lives in StateSnapshot.
public struct AccountRows: Sendable {
    public let table: String
    /// Which rows belong to the accounts bound to `:accounts` (a JSON array).
    private let condition: String

    private init(_ table: String, _ condition: String) {
        self.table = table
        self.condition = condition
    }

    /// The accounts, as SQL: one query per table serves any number of accounts.
    private static let accounts = "(SELECT value FROM json_each(:accounts))"

    public static let account = AccountRows("account", "id IN \(accounts)")
    /// A table whose rows carry the account's id.
    public static func ofAccount(_ table: String) -> AccountRows { AccountRows(table, "accountId IN \(accounts)") }
    /// A table whose rows belong to the account's users.
    public static func ofUsers(_ table: String) -> AccountRows {
        AccountRows(table, "userId IN (SELECT id FROM user WHERE accountId IN \(accounts))")
    }
    /// A table whose rows belong to the account's repositories.
    public static func ofRepositories(_ table: String) -> AccountRows {
        AccountRows(table, "repositoryArn IN (SELECT arn FROM repository WHERE accountId IN \(accounts))")
    }
    public static let groupMemberships = AccountRows(
        "groupMembership", "groupId IN (SELECT id FROM iamGroup WHERE accountId IN \(accounts))")
    public static let policyVersions = AccountRows(
        "policyVersion", "policyArn IN (SELECT arn FROM managedPolicy WHERE accountId IN \(accounts))")
    public static let instanceProfileRoles = AccountRows(
        "instanceProfileRole", "profileId IN (SELECT id FROM instanceProfile WHERE accountId IN \(accounts))")
    /// IAM tags hang off ids (users, roles, groups, policies, instance
    /// profiles, server certificates), ARNs (identity providers) or MFA serial numbers.
    public static let iamTags = AccountRows("tag", """
        resourceId IN (
            SELECT id FROM user WHERE accountId IN \(accounts) UNION SELECT id FROM role WHERE accountId IN \(accounts)
            UNION SELECT id FROM iamGroup WHERE accountId IN \(accounts) UNION SELECT id FROM managedPolicy WHERE accountId IN \(accounts)
            UNION SELECT id FROM instanceProfile WHERE accountId IN \(accounts)
            UNION SELECT id FROM serverCertificate WHERE accountId IN \(accounts)
            UNION SELECT arn FROM oidcProvider WHERE accountId IN \(accounts) UNION SELECT arn FROM samlProvider WHERE accountId IN \(accounts)
            UNION SELECT serialNumber FROM mfaDevice WHERE accountId IN \(accounts))
        """)
    /// ECR tags hang off repository ARNs.
    public static let ecrTags = AccountRows("tag", "resourceId IN (SELECT arn FROM repository WHERE accountId IN \(accounts))")
    /// Every row: the table is shared by all accounts (issuers' signing keys).
    public static func everyRow(_ table: String) -> AccountRows { AccountRows(table, "1") }
    /// The blobs the accounts' repositories hold (shared by content).
    public static let blobs = AccountRows(
        "blob", "digest IN (SELECT digest FROM repositoryBlob WHERE repositoryArn IN (SELECT arn FROM repository WHERE accountId IN \(accounts)))")

    private func arguments(_ accounts: [String]) -> StatementArguments {
        guard condition.contains(":accounts") else { return [] }
        var w = JSONWriter()
        w.arrayStart()
        for account in accounts { w.value(account) }
        w.arrayEnd()
        return ["accounts": w.string]
    }

    /// Every account's id, in order.
    public static func accountIds(in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: "SELECT id FROM account ORDER BY id")
    }

    /// The accounts' rows, ordered by `columns`.
    public func rows(of accounts: [String], orderedBy columns: [String], in tx: Transaction) throws -> [Row] {
        let order = columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        return try Row.fetchAll(
            tx.db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) WHERE \(condition) ORDER BY \(order)",
            arguments: arguments(accounts))
    }

    /// Removes the accounts' rows.
    public func delete(of accounts: [String], in tx: Transaction) throws {
        try tx.db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier) WHERE \(condition)", arguments: arguments(accounts))
    }

    /// How many rows the accounts own.
    public func count(of accounts: [String], in tx: Transaction) throws -> Int {
        try Int.fetchOne(
            tx.db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier) WHERE \(condition)", arguments: arguments(accounts)) ?? 0
    }

    /// Inserts one row; with `upsertKey`, a row already there under that key
    /// is updated in place instead (shared rows other accounts refer to).
    public func insert(_ values: [(column: String, value: DatabaseValue)], upsertKey: [String]?, in tx: Transaction) throws {
        let columns = values.map(\.column.quotedDatabaseIdentifier).joined(separator: ", ")
        let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
        var upsert = ""
        if let key = upsertKey {
            let updates = values.filter { !key.contains($0.column) }
                .map { "\($0.column.quotedDatabaseIdentifier) = excluded.\($0.column.quotedDatabaseIdentifier)" }
            upsert = " ON CONFLICT (\(key.map(\.quotedDatabaseIdentifier).joined(separator: ", "))) DO "
                + (updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates.joined(separator: ", "))
        }
        try tx.db.execute(
            sql: "INSERT INTO \(table.quotedDatabaseIdentifier) (\(columns)) VALUES (\(marks))\(upsert)",
            arguments: StatementArguments(values.map(\.value)))
    }
}
