import CSQLite
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One SQLite connection, with the statements it has compiled for `cached:`
/// queries. Not thread-safe: `DatabasePool` hands it to one transaction at a time.
public final class Database {
    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    private var primaryKeys: [String: [String]] = [:]
    private var tracer: Tracer?

    /// Opens `path` (":memory:" for a private in-memory database).
    init(path: String, readOnly: Bool = false) throws {
        var handle: OpaquePointer?
        // NOMUTEX: the pool serializes each connection's use, so SQLite's own
        // per-connection mutex would be pure cost.
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard let handle else { throw DatabaseError(resultCode: code, message: "cannot open \(path)") }
        self.handle = handle
        guard code == SQLITE_OK else {
            let error = DatabaseError(handle, code)
            sqlite3_close_v2(handle)
            throw error
        }
        sqlite3_extended_result_codes(handle, 1)
        // GRDB's settings, which data directories were written with: a writer
        // waits up to 10 s for a lock, and foreign keys (ON DELETE CASCADE)
        // hold on every connection.
        sqlite3_busy_timeout(handle, 10_000)
        try execute(sql: "PRAGMA foreign_keys = ON")
    }

    deinit {
        // Statements first: a connection with live statements does not close.
        statements.removeAll()
        sqlite3_trace_v2(handle, 0, nil, nil)
        sqlite3_update_hook(handle, nil, nil)
        sqlite3_close_v2(handle)
    }

    /// Runs `sql`, which may be several statements when it has no arguments
    /// (migrations), or one statement with `arguments`.
    func execute(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        if arguments.isEmpty {
            var message: UnsafeMutablePointer<CChar>?
            let code = sqlite3_exec(handle, sql, nil, nil, &message)
            guard code == SQLITE_OK else {
                let text = message.map { String(cString: $0) }
                sqlite3_free(message)
                throw DatabaseError(resultCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
            }
            return
        }
        let statement = try makeStatement(sql: sql)
        try statement.execute(arguments: arguments)
    }

    /// A statement compiled once per connection and reused (see CachedStatements.swift).
    func cachedStatement(sql: String) throws -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try Statement(self, sql: sql, persistent: true)
        statements[sql] = statement
        return statement
    }

    /// A statement compiled for one use.
    func makeStatement(sql: String) throws -> Statement {
        try Statement(self, sql: sql, persistent: false)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changesCount: Int { Int(sqlite3_changes(handle)) }

    /// Whether a transaction is open on this connection.
    var isInsideTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// A table's primary key columns, in key order (`rowid` for a table without one).
    func primaryKey(of table: String) throws -> [String] {
        if let key = primaryKeys[table] { return key }
        var key = try columns(in: table).filter { $0.primaryKeyIndex > 0 }.sorted { $0.primaryKeyIndex < $1.primaryKeyIndex }.map(\.name)
        if key.isEmpty {
            guard try Bool.fetchOne(self, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) == true else {
                throw DatabaseError(resultCode: SQLITE_ERROR, message: "no such table: \(table)")
            }
            key = ["rowid"]
        }
        primaryKeys[table] = key
        return key
    }

    /// A column of a table, as `PRAGMA table_info` describes it.
    public struct ColumnInfo: Sendable {
        public let name: String
        /// The declared type (`TEXT`, `INTEGER`, …), as written in the schema.
        public let type: String
        public let isNotNull: Bool
        public let defaultValueSQL: String?
        /// The column's position in the primary key, from 1; 0 when not in it.
        public let primaryKeyIndex: Int
    }

    func columns(in table: String) throws -> [ColumnInfo] {
        try Row.fetchAll(self, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))").map { row in
            ColumnInfo(name: row["name"], type: row["type"], isNotNull: row["notnull"], defaultValueSQL: row["dflt_value"], primaryKeyIndex: row["pk"])
        }
    }

    /// Calls `callback` with the expanded SQL of every statement this
    /// connection runs, until called again with nil (query plan tests).
    func trace(_ callback: ((String) -> Void)?) {
        guard let callback else {
            sqlite3_trace_v2(handle, 0, nil, nil)
            tracer = nil
            return
        }
        let tracer = Tracer(callback)
        self.tracer = tracer
        sqlite3_trace_v2(handle, UInt32(SQLITE_TRACE_STMT), { _, context, statement, _ in
            guard let context, let statement else { return 0 }
            let tracer = Unmanaged<Tracer>.fromOpaque(context).takeUnretainedValue()
            if let expanded = sqlite3_expanded_sql(OpaquePointer(statement)) {
                tracer.callback(String(cString: expanded))
                sqlite3_free(expanded)
            }
            return 0
        }, Unmanaged.passUnretained(tracer).toOpaque())
    }

    private final class Tracer {
        let callback: (String) -> Void
        init(_ callback: @escaping (String) -> Void) { self.callback = callback }
    }
}

/// A failed SQLite call: its (extended) result code and SQLite's message.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …).
    public let extendedResultCode: Int32
    public let message: String?
    /// The statement that failed, when there was one.
    public let sql: String?

    init(resultCode: Int32, message: String?, sql: String? = nil) {
        self.extendedResultCode = resultCode
        self.message = message
        self.sql = sql
    }

    init(_ handle: OpaquePointer, _ code: Int32, sql: String? = nil) {
        let extended = sqlite3_extended_errcode(handle)
        // The connection's last error is this call's only when the codes agree.
        let resultCode = extended & 0xFF == code & 0xFF ? extended : code
        self.init(resultCode: resultCode, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// The primary result code (`SQLITE_CONSTRAINT`, …).
    public var resultCode: Int32 { extendedResultCode & 0xFF }

    // Extended codes are C macro expressions, which Swift does not import.
    static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)
    static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)
    static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)

    /// A row refers to one that is not there (or would be left referred to).
    public var isForeignKeyViolation: Bool { extendedResultCode == Self.constraintForeignKey }
    /// A row collides with another under a primary key or unique index.
    public var isUniqueViolation: Bool {
        extendedResultCode == Self.constraintUnique || extendedResultCode == Self.constraintPrimaryKey
    }

    public var description: String {
        var text = "SQLite error \(extendedResultCode)"
        if let message { text += ": \(message)" }
        if let sql { text += " - while executing `\(sql)`" }
        return text
    }
}

extension String {
    /// The string as an SQL identifier: double-quoted, quotes doubled.
    var quotedDatabaseIdentifier: String {
        "\"" + replacing("\"", with: "\"\"") + "\""
    }
}
