/// One result row. Rows that records decode are read straight from the
/// statement as it steps (no copy); `Row.fetchAll` copies each row's values.
public struct Row {
    private let statement: Statement?
    private let values: [DatabaseValue]
    let columns: Columns

    /// The statement's current row; valid until it steps again.
    init(statement: Statement) {
        self.statement = statement
        self.values = []
        self.columns = statement.columns
    }

    init(columns: Columns, values: [DatabaseValue]) {
        self.statement = nil
        self.values = values
        self.columns = columns
    }

    /// The row's values, copied out of the statement.
    func copy() -> Row {
        guard let statement else { return self }
        return Row(columns: columns, values: (0..<columns.names.count).map { statement.value(at: Int32($0)) })
    }

    public var columnNames: [String] { columns.names }

    /// The value of column `index` (0 is the first).
    public func databaseValue(at index: Int) -> DatabaseValue {
        if let statement { return statement.value(at: Int32(index)) }
        return values[index]
    }

    /// The value of the column named `name` (ignoring case), NULL when the row has no such column.
    public func databaseValue(named name: String) -> DatabaseValue {
        guard let index = columns.index(of: name) else { return .null }
        return databaseValue(at: index)
    }

    func hasColumn(_ name: String) -> Bool { columns.index(of: name) != nil }

    /// Column `index` as `Value`; a value of another kind is a programming error, as a NULL is for a non-optional `Value`.
    public subscript<Value: DatabaseValueConvertible>(_ index: Int) -> Value {
        Self.convert(databaseValue(at: index), column: columns.names[index])
    }

    public subscript<Value: DatabaseValueConvertible>(_ name: String) -> Value {
        Self.convert(databaseValue(named: name), column: name)
    }

    static func convert<Value: DatabaseValueConvertible>(_ value: DatabaseValue, column: String) -> Value {
        guard let converted = Value.fromDatabaseValue(value) else {
            fatalError("could not read \(Value.self) from column \(column), which holds \(value)")
        }
        return converted
    }
}
