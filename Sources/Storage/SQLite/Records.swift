/// A type stored in one table.
public protocol TableRecord {
    static var databaseTableName: String { get }
}

/// A type read from a row. Codable records decode by column name
/// (`RowDecoder`); hot records decode by hand, by name or position.
public protocol FetchableRecord {
    init(row: Row) throws
}

extension FetchableRecord where Self: Decodable {
    public init(row: Row) throws {
        try self.init(from: RowDecoder(row: row))
    }
}

/// A Codable record written as one row: each coding key a column.
public protocol PersistableRecord: TableRecord, Encodable {}

/// Why a write of a record did nothing.
enum RecordError: Error, CustomStringConvertible {
    /// An update found no row under the record's primary key.
    case recordNotFound(table: String, key: [String: DatabaseValue])

    var description: String {
        switch self {
        case .recordNotFound(let table, let key):
            "no row in \(table) with key \(key.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))"
        }
    }
}

/// What an insert does when a row is already under the key.
enum ConflictResolution {
    case ignore
}

extension TableRecord {
    /// The row under a single-column primary key.
    static func fetchOne(_ db: Database, key: some DatabaseValueConvertible) throws -> Self? where Self: FetchableRecord {
        let primaryKey = try db.primaryKey(of: databaseTableName)
        guard primaryKey.count == 1 else { throw keyMismatch(primaryKey) }
        return try fetchOne(db, cached: "SELECT * FROM \(quotedTable) WHERE \(primaryKey[0].quotedDatabaseIdentifier) = ?", arguments: [key])
    }

    /// The row under a key of several columns (a primary key or another unique one), by column.
    static func fetchOne(_ db: Database, key: [String: (any DatabaseValueConvertible)?]) throws -> Self? where Self: FetchableRecord {
        let (condition, arguments) = Self.condition(key)
        return try fetchOne(db, cached: "SELECT * FROM \(quotedTable) WHERE \(condition)", arguments: arguments)
    }

    /// Deletes the row under a single-column primary key; false when there was none.
    @discardableResult
    static func deleteOne(_ db: Database, key: some DatabaseValueConvertible) throws -> Bool {
        let primaryKey = try db.primaryKey(of: databaseTableName)
        guard primaryKey.count == 1 else { throw keyMismatch(primaryKey) }
        try db.execute(cached: "DELETE FROM \(quotedTable) WHERE \(primaryKey[0].quotedDatabaseIdentifier) = ?", arguments: [key])
        return db.changesCount > 0
    }

    static func fetchCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM \(quotedTable)") ?? 0
    }

    static var quotedTable: String { databaseTableName.quotedDatabaseIdentifier }

    private static func condition(_ key: [String: (any DatabaseValueConvertible)?]) -> (String, StatementArguments) {
        // Sorted: one SQL text (one cached statement) per set of columns.
        let columns = key.keys.sorted()
        let condition = columns.map { "\($0.quotedDatabaseIdentifier) = ?" }.joined(separator: " AND ")
        return (condition, StatementArguments(columns.map { key[$0]!?.databaseValue ?? .null }))
    }

    private static func keyMismatch(_ primaryKey: [String]) -> DatabaseError {
        DatabaseError(resultCode: 21, message: "\(databaseTableName)'s primary key is \(primaryKey.joined(separator: ", ")), not one column")
    }
}

extension PersistableRecord {
    /// Inserts the row; a row already under its key is a constraint error,
    /// or with `.ignore` leaves that row as it is.
    func insert(_ db: Database, onConflict: ConflictResolution? = nil) throws {
        let values = try RecordEncoder.values(of: self)
        let columns = values.map(\.column.quotedDatabaseIdentifier).joined(separator: ", ")
        let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
        let verb = onConflict == .ignore ? "INSERT OR IGNORE" : "INSERT"
        try db.execute(
            cached: "\(verb) INTO \(Self.quotedTable) (\(columns)) VALUES (\(marks))", arguments: StatementArguments(values.map(\.value)))
    }

    /// Updates the row under the record's primary key; throws `RecordError.recordNotFound` when there is none.
    func update(_ db: Database) throws {
        let values = try RecordEncoder.values(of: self)
        let primaryKey = try db.primaryKey(of: Self.databaseTableName)
        let (keyColumns, keyValues) = try Self.key(primaryKey, in: values)
        let changed = values.filter { !primaryKey.contains($0.column) }
        if changed.isEmpty {
            // Nothing but the key: the row is up to date if it exists.
            let exists = try Bool.fetchOne(db, cached: "SELECT EXISTS (SELECT 1 FROM \(Self.quotedTable) WHERE \(keyColumns))", arguments: StatementArguments(keyValues))
            if exists != true { throw RecordError.recordNotFound(table: Self.databaseTableName, key: Self.keyDescription(primaryKey, keyValues)) }
            return
        }
        let assignments = changed.map { "\($0.column.quotedDatabaseIdentifier) = ?" }.joined(separator: ", ")
        try db.execute(
            cached: "UPDATE \(Self.quotedTable) SET \(assignments) WHERE \(keyColumns)",
            arguments: StatementArguments(changed.map(\.value) + keyValues))
        if db.changesCount == 0 { throw RecordError.recordNotFound(table: Self.databaseTableName, key: Self.keyDescription(primaryKey, keyValues)) }
    }

    /// Updates the row under the record's key, or inserts it when there is
    /// none (GRDB's `save`: never a REPLACE, whose delete would cascade).
    func save(_ db: Database) throws {
        do {
            try update(db)
        } catch RecordError.recordNotFound {
            try insert(db)
        }
    }

    /// Deletes the row under the record's primary key; false when there was none.
    @discardableResult
    func delete(_ db: Database) throws -> Bool {
        let values = try RecordEncoder.values(of: self)
        let primaryKey = try db.primaryKey(of: Self.databaseTableName)
        let (keyColumns, keyValues) = try Self.key(primaryKey, in: values)
        try db.execute(cached: "DELETE FROM \(Self.quotedTable) WHERE \(keyColumns)", arguments: StatementArguments(keyValues))
        return db.changesCount > 0
    }

    private static func key(_ primaryKey: [String], in values: [(column: String, value: DatabaseValue)]) throws -> (String, [DatabaseValue]) {
        let keyValues = try primaryKey.map { column in
            guard let value = values.first(where: { $0.column == column })?.value else {
                throw DatabaseError(resultCode: 21, message: "\(Self.self) does not encode \(databaseTableName)'s key column \(column)")
            }
            return value
        }
        return (primaryKey.map { "\($0.quotedDatabaseIdentifier) = ?" }.joined(separator: " AND "), keyValues)
    }

    private static func keyDescription(_ primaryKey: [String], _ values: [DatabaseValue]) -> [String: DatabaseValue] {
        Dictionary(zip(primaryKey, values), uniquingKeysWith: { first, _ in first })
    }
}
