#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One SQLite value, of one of its storage classes.
public struct DatabaseValue: Sendable, Hashable, CustomStringConvertible {
    public enum Storage: Sendable, Hashable {
        case null
        case int64(Int64)
        case double(Double)
        case string(String)
        case blob(Data)
    }

    public let storage: Storage

    public static let null = DatabaseValue(storage: .null)

    init(storage: Storage) {
        self.storage = storage
    }

    public var isNull: Bool {
        if case .null = storage { return true }
        return false
    }

    public var description: String {
        switch storage {
        case .null: "NULL"
        case .int64(let int): "\(int)"
        case .double(let double): "\(double)"
        case .string(let string): "'\(string)'"
        case .blob(let data): "<\(data.count) bytes>"
        }
    }
}

/// A Swift value stored in one column. The encodings are the ones GRDB used,
/// which existing data directories hold: Bool as 0/1, Data as a BLOB.
public protocol DatabaseValueConvertible {
    var databaseValue: DatabaseValue { get }
    /// The value, or nil when `dbValue` is not one (or is NULL, for a non-optional type).
    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Self?
}

extension DatabaseValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> DatabaseValue? { dbValue }
}

extension String: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { DatabaseValue(storage: .string(self)) }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> String? {
        switch dbValue.storage {
        case .string(let string): string
        // SQLite reads a blob as text the same way.
        case .blob(let data): String(validating: data, as: UTF8.self)
        default: nil
        }
    }
}

extension Int64: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { DatabaseValue(storage: .int64(self)) }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Int64? {
        switch dbValue.storage {
        case .int64(let int): int
        case .double(let double): double >= Double(Int64.min) && double < Double(Int64.max) ? Int64(double) : nil
        default: nil
        }
    }
}

extension Int: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { DatabaseValue(storage: .int64(Int64(self))) }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Int? { Int64.fromDatabaseValue(dbValue).flatMap { Int(exactly: $0) } }
}

extension Int32: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { DatabaseValue(storage: .int64(Int64(self))) }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Int32? { Int64.fromDatabaseValue(dbValue).flatMap { Int32(exactly: $0) } }
}

extension Double: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { DatabaseValue(storage: .double(self)) }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Double? {
        switch dbValue.storage {
        case .int64(let int): Double(int)
        case .double(let double): double
        default: nil
        }
    }
}

extension Bool: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { DatabaseValue(storage: .int64(self ? 1 : 0)) }

    /// Any non-zero number is true, as SQL's boolean expressions say.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Bool? {
        switch dbValue.storage {
        case .int64(let int): int != 0
        case .double(let double): double != 0
        default: nil
        }
    }
}

extension Data: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { DatabaseValue(storage: .blob(self)) }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Data? {
        switch dbValue.storage {
        case .blob(let data): data
        case .string(let string): Data(string.utf8)
        default: nil
        }
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self?.databaseValue ?? .null }

    /// NULL is `.some(nil)`: a value that is absent, not a failed conversion.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Wrapped?? {
        if dbValue.isNull { return .some(nil) }
        return Wrapped.fromDatabaseValue(dbValue).map { .some($0) }
    }
}

/// An enum is stored as its raw value.
extension DatabaseValueConvertible where Self: RawRepresentable, RawValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Self? { RawValue.fromDatabaseValue(dbValue).flatMap(Self.init(rawValue:)) }
}

/// The values bound to a statement's parameters: positional (`?`, `?NNN`)
/// from an array literal, or named (`:name`) from a dictionary literal.
public struct StatementArguments: ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    enum Storage {
        case positional([DatabaseValue])
        case named([String: DatabaseValue])
    }

    let storage: Storage

    public init() {
        storage = .positional([])
    }

    public init(arrayLiteral elements: (any DatabaseValueConvertible)?...) {
        storage = .positional(elements.map { $0?.databaseValue ?? .null })
    }

    public init(dictionaryLiteral elements: (String, (any DatabaseValueConvertible)?)...) {
        storage = .named(Dictionary(elements.map { ($0.0, $0.1?.databaseValue ?? .null) }, uniquingKeysWith: { _, last in last }))
    }

    public init<S: Sequence>(_ values: S) where S.Element: DatabaseValueConvertible {
        storage = .positional(values.map(\.databaseValue))
    }

    /// Positional arguments followed by more.
    public static func += (lhs: inout StatementArguments, rhs: StatementArguments) {
        guard case .positional(let left) = lhs.storage, case .positional(let right) = rhs.storage else {
            preconditionFailure("only positional arguments are appended")
        }
        lhs = StatementArguments(storage: .positional(left + right))
    }

    private init(storage: Storage) {
        self.storage = storage
    }

    var isEmpty: Bool {
        switch storage {
        case .positional(let values): values.isEmpty
        case .named(let values): values.isEmpty
        }
    }
}
