import JSON

// Codable to and from the JSON target's values, for the record columns that
// hold a nested value as JSON text (see RecordCoding.swift). GRDB wrote those
// with Foundation's JSONEncoder (keys sorted, "/" escaped); the text written
// here is the same JSON, and either build reads the other's.

/// Encodes a Codable value to a JSONValue.
final class JSONValueEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What was encoded: set by a single value, or filled by a container.
    fileprivate var result: Box

    fileprivate final class Box {
        var value: JSONValue = .null
        var members: [(String, Box)]?
        var elements: [Box]?

        var json: JSONValue {
            if let members {
                // Sorted, as GRDB's JSONEncoder (.sortedKeys) wrote them.
                return .object(JSONObject(members.sorted { $0.0 < $1.0 }.map { ($0.0, $0.1.json) }))
            }
            if let elements { return .array(elements.map(\.json)) }
            return value
        }
    }

    fileprivate init(codingPath: [any CodingKey], result: Box = Box()) {
        self.codingPath = codingPath
        self.result = result
    }

    static func encode(_ value: some Encodable, codingPath: [any CodingKey] = []) throws -> JSONValue {
        let encoder = JSONValueEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        return encoder.result.json
    }

    /// Compact JSON text, slashes escaped as JSONEncoder does ("/" occurs only inside strings).
    static func text(of json: JSONValue) -> String {
        json.serialized.replacing("/", with: "\\/")
    }

    fileprivate static func primitive(_ value: some Encodable) -> JSONValue? {
        switch value {
        case let bool as Bool: .bool(bool)
        case let string as String: .string(string)
        case let int as Int: .number(JSONNumber(int))
        case let int as Int64: .number(JSONNumber(text: String(int)))
        case let int as Int32: .number(JSONNumber(text: String(int)))
        case let double as Double: .number(JSONNumber(text: JSONWriter.format(double)))
        default: nil
        }
    }

    fileprivate func encodeValue(_ value: some Encodable, into box: Box, key: (any CodingKey)?) throws {
        if let primitive = Self.primitive(value) {
            if case .number = primitive, let double = value as? Double, !double.isFinite {
                throw EncodingError.invalidValue(double, .init(codingPath: codingPath, debugDescription: "JSON has no \(double)"))
            }
            box.value = primitive
            return
        }
        try value.encode(to: JSONValueEncoder(codingPath: codingPath + (key.map { [$0] } ?? []), result: box))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if result.members == nil { result.members = [] }
        return KeyedEncodingContainer(Keyed(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if result.elements == nil { result.elements = [] }
        return Unkeyed(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: JSONValueEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        private func box(_ key: Key) -> Box {
            let box = Box()
            encoder.result.members?.removeAll { $0.0 == key.stringValue }
            encoder.result.members?.append((key.stringValue, box))
            return box
        }

        mutating func encodeNil(forKey key: Key) throws { box(key).value = .null }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.encodeValue(value, into: box(key), key: key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            JSONValueEncoder(codingPath: codingPath + [key], result: box(key)).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            JSONValueEncoder(codingPath: codingPath + [key], result: box(key)).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { JSONValueEncoder(codingPath: codingPath, result: box(Key(stringValue: "super")!)) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { JSONValueEncoder(codingPath: codingPath + [key], result: box(key)) }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: JSONValueEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int { encoder.result.elements?.count ?? 0 }

        private func box() -> Box {
            let box = Box()
            encoder.result.elements?.append(box)
            return box
        }

        mutating func encodeNil() throws { box().value = .null }
        mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value, into: box(), key: nil) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            JSONValueEncoder(codingPath: codingPath, result: box()).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            JSONValueEncoder(codingPath: codingPath, result: box()).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { JSONValueEncoder(codingPath: codingPath, result: box()) }
    }

    private struct Single: SingleValueEncodingContainer {
        let encoder: JSONValueEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.result.value = .null }
        mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value, into: encoder.result, key: nil) }
    }
}

/// Decodes a Codable value from a JSONValue.
struct JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    fileprivate static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(type), found a JSON \(value.kindName)"))
    }

    fileprivate static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, path: [any CodingKey]) throws -> T {
        switch type {
        case is Bool.Type:
            guard case .bool(let bool) = value else { throw mismatch(type, value, path) }
            return bool as! T
        case is String.Type:
            guard case .string(let string) = value else { throw mismatch(type, value, path) }
            return string as! T
        case is Double.Type:
            guard case .number(let number) = value, let double = number.double else { throw mismatch(type, value, path) }
            return double as! T
        case is Int.Type:
            guard case .number(let number) = value, let int = integer(number).flatMap({ Int(exactly: $0) }) else { throw mismatch(type, value, path) }
            return int as! T
        case is Int64.Type:
            guard case .number(let number) = value, let int = integer(number) else { throw mismatch(type, value, path) }
            return int as! T
        case is Int32.Type:
            guard case .number(let number) = value, let int = integer(number).flatMap({ Int32(exactly: $0) }) else { throw mismatch(type, value, path) }
            return int as! T
        default:
            return try T(from: JSONValueDecoder(value: value, codingPath: path))
        }
    }

    /// An integer written as such, or as a number with a zero fraction (`3.0`).
    private static func integer(_ number: JSONNumber) -> Int64? {
        if let int = number.int64 { return int }
        guard let double = number.double, double == double.rounded(), abs(double) < 9.0e18 else { return nil }
        return Int64(double)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw Self.mismatch([String: Any].self, value, codingPath) }
        return KeyedDecodingContainer(Keyed(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw Self.mismatch([Any].self, value, codingPath) }
        return Unkeyed(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(value: value, codingPath: codingPath) }

    private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let object: JSONObject
        let codingPath: [any CodingKey]

        var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }
        func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

        private func member(_ key: Key) throws -> JSONValue {
            guard let value = object[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no member \(key.stringValue)"))
            }
            return value
        }

        func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try JSONValueDecoder.decode(type, from: member(key), path: codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try JSONValueDecoder(value: member(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try JSONValueDecoder(value: member(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { JSONValueDecoder(value: object["super"] ?? .null, codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder { try JSONValueDecoder(value: member(key), codingPath: codingPath + [key]) }
    }

    private struct Unkeyed: UnkeyedDecodingContainer {
        let elements: [JSONValue]
        let codingPath: [any CodingKey]
        var currentIndex = 0

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        private mutating func next() throws -> JSONValue {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "the array has no more elements"))
            }
            defer { currentIndex += 1 }
            return elements[currentIndex]
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, elements[currentIndex] == .null else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONValueDecoder.decode(type, from: next(), path: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try JSONValueDecoder(value: next(), codingPath: codingPath).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try JSONValueDecoder(value: next(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder { try JSONValueDecoder(value: next(), codingPath: codingPath) }
    }

    private struct Single: SingleValueDecodingContainer {
        let value: JSONValue
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool { value == .null }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONValueDecoder.decode(type, from: value, path: codingPath) }
    }
}
