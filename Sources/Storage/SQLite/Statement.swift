import CSQLite

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// SQLite copies bound text and blobs (`SQLITE_TRANSIENT`; the C macro is not imported).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A compiled statement. Each use binds its arguments, steps, and resets, so
/// that a cached statement holds no lock or snapshot between uses.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    private unowned let database: Database
    private(set) lazy var columns = Columns(handle)

    init(_ database: Database, sql: String, persistent: Bool) throws {
        var handle: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let code = sql.withCString { text in
            let code = sqlite3_prepare_v3(database.handle, text, -1, persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &handle, &tail)
            // Anything after the first statement would be silently ignored.
            if code == SQLITE_OK, let tail, tail.pointee != 0, !String(cString: tail).allSatisfy(\.isWhitespace) {
                sqlite3_finalize(handle)
                handle = nil
                return SQLITE_MISUSE
            }
            return code
        }
        guard code == SQLITE_OK, let handle else {
            if code == SQLITE_MISUSE {
                throw DatabaseError(resultCode: SQLITE_MISUSE, message: "one statement expected", sql: sql)
            }
            throw DatabaseError(database.handle, code, sql: sql)
        }
        self.handle = handle
        self.sql = sql
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `arguments` (positional, or named for `:name` parameters).
    func bind(_ arguments: StatementArguments) throws {
        let count = sqlite3_bind_parameter_count(handle)
        switch arguments.storage {
        case .positional(let values):
            guard values.count == Int(count) else {
                throw DatabaseError(
                    resultCode: SQLITE_MISUSE, message: "wrong number of statement arguments: \(values.count), expected \(count)", sql: sql)
            }
            for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
        case .named(let values):
            guard count > 0 else { return }
            for index in 1...count {
                guard let cName = sqlite3_bind_parameter_name(handle, index) else {
                    throw DatabaseError(resultCode: SQLITE_MISUSE, message: "unnamed parameter with named arguments", sql: sql)
                }
                let name = String(String(cString: cName).dropFirst())
                guard let value = values[name] else {
                    throw DatabaseError(resultCode: SQLITE_MISUSE, message: "missing statement argument: \(name)", sql: sql)
                }
                try bind(value, at: index)
            }
        }
    }

    private func bind(_ value: DatabaseValue, at index: Int32) throws {
        let code: Int32
        switch value.storage {
        case .null: code = sqlite3_bind_null(handle, index)
        case .int64(let int): code = sqlite3_bind_int64(handle, index, int)
        case .double(let double): code = sqlite3_bind_double(handle, index, double)
        case .string(let string):
            var string = string
            code = string.withUTF8 { bytes in
                // A C string with its length: text may hold NUL.
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    chars.baseAddress.map { sqlite3_bind_text(handle, index, $0, Int32(chars.count), transient) }
                        ?? sqlite3_bind_text(handle, index, "", 0, transient)
                }
            }
        case .blob(let data):
            // An empty blob, not NULL (a nil pointer would bind NULL).
            code = data.isEmpty
                ? sqlite3_bind_zeroblob(handle, index, 0)
                : data.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
        }
        guard code == SQLITE_OK else { throw DatabaseError(database.handle, code, sql: sql) }
    }

    /// Advances to the next row: true when there is one.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw DatabaseError(database.handle, code, sql: sql)
        }
    }

    /// Ends this use: the statement lets go of what it read, and of its arguments.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Runs the statement to completion.
    func execute(arguments: StatementArguments = StatementArguments()) throws {
        try bind(arguments)
        defer { reset() }
        while try step() {}
    }

    /// Binds, steps through every row with `body`, and resets.
    func forEachRow(arguments: StatementArguments, _ body: (Row) throws -> Void) throws {
        try bind(arguments)
        defer { reset() }
        let row = Row(statement: self)
        while try step() { try body(row) }
    }

    /// The first row through `body`, if any; the statement is reset after.
    func firstRow<T>(arguments: StatementArguments, _ body: (Row) throws -> T) throws -> T? {
        try bind(arguments)
        defer { reset() }
        guard try step() else { return nil }
        return try body(Row(statement: self))
    }

    /// The value of column `index` of the current row.
    func value(at index: Int32) -> DatabaseValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return DatabaseValue(storage: .int64(sqlite3_column_int64(handle, index)))
        case SQLITE_FLOAT: return DatabaseValue(storage: .double(sqlite3_column_double(handle, index)))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, index) else { return DatabaseValue(storage: .string("")) }
            let count = Int(sqlite3_column_bytes(handle, index))
            return DatabaseValue(storage: .string(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)))
        case SQLITE_BLOB:
            guard let blob = sqlite3_column_blob(handle, index) else { return DatabaseValue(storage: .blob(Data())) }
            return DatabaseValue(storage: .blob(Data(bytes: blob, count: Int(sqlite3_column_bytes(handle, index)))))
        default: return .null
        }
    }

    func isNull(at index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }
}

/// A statement's result columns by name, built once per compiled statement
/// and shared by every row it returns.
final class Columns {
    let names: [String]
    private let indexes: [String: Int]

    init(_ statement: OpaquePointer) {
        let count = Int(sqlite3_column_count(statement))
        names = (0..<count).map { String(cString: sqlite3_column_name(statement, Int32($0))) }
        var indexes: [String: Int] = [:]
        // The leftmost of columns that share a name, as SQLite resolves them.
        for (index, name) in names.enumerated() where indexes[name] == nil { indexes[name] = index }
        self.indexes = indexes
    }

    init(names: [String]) {
        self.names = names
        var indexes: [String: Int] = [:]
        for (index, name) in names.enumerated() where indexes[name] == nil { indexes[name] = index }
        self.indexes = indexes
    }

    /// The column named `name`: exactly, else ignoring ASCII case, as SQL names are.
    func index(of name: String) -> Int? {
        if let index = indexes[name] { return index }
        let lowered = name.lowercased()
        return names.firstIndex { $0.lowercased() == lowered }
    }
}
