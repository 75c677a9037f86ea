#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Codable records to and from rows, as GRDB stored them: each coding key a
// column; a value that is a DatabaseValueConvertible (numbers, strings, Bool,
// Data, raw-value enums) in its column as such, and any other Codable value
// (arrays, nested structs) as JSON text. Data directories written by GRDB
// read back the same way.

/// A row as a keyed container: one column per key.
struct RowDecoder: Decoder {
    let row: Row

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Container(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row decodes keyed by column"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row decodes keyed by column"))
    }

    struct Container<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: Row

        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.columnNames.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { row.hasColumn(key.stringValue) }

        func decodeNil(forKey key: Key) throws -> Bool { row.databaseValue(named: key.stringValue).isNull }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try column(key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try column(key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try column(key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try column(key) as Double) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try column(key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try exactly(column(key) as Int64, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try exactly(column(key) as Int64, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try column(key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try column(key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try exactly(column(key) as Int64, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try exactly(column(key) as Int64, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try exactly(column(key) as Int64, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try exactly(column(key) as Int64, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try exactly(column(key) as Int64, key) }

        private func column<T: DatabaseValueConvertible>(_ key: Key) throws -> T {
            let value = row.databaseValue(named: key.stringValue)
            guard let decoded = T.fromDatabaseValue(value) else {
                throw DecodingError.typeMismatch(T.self, .init(codingPath: [key], debugDescription: "column \(key.stringValue) holds \(value)"))
            }
            return decoded
        }

        private func exactly<T: BinaryInteger>(_ value: Int64, _ key: Key) throws -> T {
            guard let exact = T(exactly: value) else {
                throw DecodingError.typeMismatch(T.self, .init(codingPath: [key], debugDescription: "column \(key.stringValue) holds \(value)"))
            }
            return exact
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let value = row.databaseValue(named: key.stringValue)
            if let convertible = T.self as? any DatabaseValueConvertible.Type {
                guard let decoded = convertible.fromDatabaseValue(value) as? T else {
                    throw DecodingError.typeMismatch(T.self, .init(codingPath: [key], debugDescription: "column \(key.stringValue) holds \(value)"))
                }
                return decoded
            }
            // A nested value: JSON text (or a blob of it).
            let bytes: [UInt8]
            switch value.storage {
            case .string(let text): bytes = Array(text.utf8)
            case .blob(let data): bytes = Array(data)
            default:
                throw DecodingError.valueNotFound(T.self, .init(codingPath: [key], debugDescription: "column \(key.stringValue) holds \(value), not JSON"))
            }
            do {
                return try JSONDecoder().decode(T.self, from: Data(bytes))
            } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "column \(key.stringValue): \(error)"))
            }
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "columns hold no nested containers"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "columns hold no nested containers"))
        }

        func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
    }
}

/// A record's columns and values, in coding order.
final class RecordEncoder: Encoder {
    private(set) var values: [(column: String, value: DatabaseValue)] = []

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func values(of record: some Encodable) throws -> [(column: String, value: DatabaseValue)] {
        let encoder = RecordEncoder()
        try record.encode(to: encoder)
        return encoder.values
    }

    fileprivate func set(_ column: String, _ value: DatabaseValue) {
        if let index = values.firstIndex(where: { $0.column == column }) {
            values[index].value = value
        } else {
            values.append((column, value))
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Container(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        fatalError("a record encodes keyed by column")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        fatalError("a record encodes keyed by column")
    }

    struct Container<Key: CodingKey>: KeyedEncodingContainerProtocol {
        /// Nested values as GRDB wrote them: its JSONEncoder is this one (keys
        /// sorted, "/" escaped as "\/"), so both builds read each other's text.
        static var nestedJSON: JSONEncoder {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return encoder
        }

        let encoder: RecordEncoder
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { encoder.set(key.stringValue, .null) }

        mutating func encode(_ value: Bool, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encode(_ value: String, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encode(_ value: Double, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encode(_ value: Float, forKey key: Key) throws { encoder.set(key.stringValue, Double(value).databaseValue) }
        mutating func encode(_ value: Int, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { encoder.set(key.stringValue, Int(value).databaseValue) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { encoder.set(key.stringValue, Int(value).databaseValue) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { encoder.set(key.stringValue, Int64(value).databaseValue) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { encoder.set(key.stringValue, Int(value).databaseValue) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { encoder.set(key.stringValue, Int(value).databaseValue) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { encoder.set(key.stringValue, Int(value).databaseValue) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { encoder.set(key.stringValue, Int64(value).databaseValue) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            if let convertible = value as? any DatabaseValueConvertible {
                encoder.set(key.stringValue, convertible.databaseValue)
                return
            }
            encoder.set(key.stringValue, DatabaseValue(storage: .string(String(decoding: try Self.nestedJSON.encode(value), as: UTF8.self))))
        }

        // Synthesized Codable skips a nil optional; a record writes NULL for it,
        // or an update would leave the column's old value.
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { encoder.set(key.stringValue, value.map(Double.init).databaseValue) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { encoder.set(key.stringValue, value.map(Int.init).databaseValue) }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { encoder.set(key.stringValue, value.map(Int.init).databaseValue) }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { encoder.set(key.stringValue, value.databaseValue) }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { encoder.set(key.stringValue, value.map { Int64($0) }.databaseValue) }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { encoder.set(key.stringValue, value.map(Int.init).databaseValue) }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { encoder.set(key.stringValue, value.map(Int.init).databaseValue) }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { encoder.set(key.stringValue, value.map(Int.init).databaseValue) }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { encoder.set(key.stringValue, value.map { Int64($0) }.databaseValue) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            fatalError("columns hold no nested containers")
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            fatalError("columns hold no nested containers")
        }

        mutating func superEncoder() -> any Encoder { encoder }
        mutating func superEncoder(forKey key: Key) -> any Encoder { encoder }
    }
}
