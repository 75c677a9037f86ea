// The `cached:` forms compile a statement once per connection and reuse it.
// Compiling (parsing, planning) was the largest single cost of a read-only
// request; every SQL text in Gatehouse is one of a fixed set, so the
// per-connection cache stays small. Not for SQL built from unbounded input
// (the `sql:` forms compile for one use).
//
// A cached statement is reset when its query returns, so one statement never
// serves two queries at once.

extension FetchableRecord {
    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try db.cachedStatement(sql: sql).firstRow(arguments: arguments) { try Self(row: $0) }
    }

    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchOne(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try db.makeStatement(sql: sql).firstRow(arguments: arguments) { try Self(row: $0) }
    }

    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.makeStatement(sql: sql), arguments: arguments)
    }

    private static func fetchAll(_ statement: Statement, arguments: StatementArguments) throws -> [Self] {
        var records: [Self] = []
        try statement.forEachRow(arguments: arguments) { records.append(try Self(row: $0)) }
        return records
    }
}

extension DatabaseValueConvertible {
    /// The first row's first column; nil when there is no row, or it is NULL.
    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchOne(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.makeStatement(sql: sql), arguments: arguments)
    }

    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.makeStatement(sql: sql), arguments: arguments)
    }

    private static func fetchOne(_ statement: Statement, arguments: StatementArguments) throws -> Self? {
        try statement.firstRow(arguments: arguments) { row in Self.fromDatabaseValue(row.databaseValue(at: 0)) } ?? nil
    }

    private static func fetchAll(_ statement: Statement, arguments: StatementArguments) throws -> [Self] {
        var values: [Self] = []
        try statement.forEachRow(arguments: arguments) { row in values.append(row[0]) }
        return values
    }
}

extension Row {
    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try db.cachedStatement(sql: sql).firstRow(arguments: arguments) { $0.copy() }
    }

    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchOne(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try db.makeStatement(sql: sql).firstRow(arguments: arguments) { $0.copy() }
    }

    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try fetchAll(db.makeStatement(sql: sql), arguments: arguments)
    }

    private static func fetchAll(_ statement: Statement, arguments: StatementArguments) throws -> [Row] {
        var rows: [Row] = []
        try statement.forEachRow(arguments: arguments) { rows.append($0.copy()) }
        return rows
    }
}

extension Database {
    func execute(cached sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
