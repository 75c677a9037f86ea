import JSON

/// Reads a JSON 1.1 request body into typed shapes.
///
/// A value of the wrong JSON type stops decoding with the
/// `SerializationException` text AWS's JSON services use; model constraints
/// (required, length, pattern, enum, range) are collected as violations, with
/// the same placeholder rule as `QueryDecoder`.
public struct JSONShapeDecoder {
    private var current: JSONValue
    private var path: [String] = []
    public private(set) var violations: [ConstraintViolation] = []
    private var suppressed = 0

    public init(_ value: JSONValue) {
        self.current = value
    }

    public static func decode<T: JSONInputShape>(_ type: T.Type, from value: JSONValue) throws(ShapeDecodingError) -> (T, [ConstraintViolation]) {
        var decoder = JSONShapeDecoder(value)
        let result = try T(json: &decoder)
        return (result, decoder.violations)
    }

    private var pathString: String { path.joined(separator: ".") }

    private mutating func record(_ violation: ConstraintViolation) {
        if suppressed == 0 { violations.append(violation) }
    }

    /// A structure must be a JSON object (or absent).
    public mutating func expectObject() throws(ShapeDecodingError) {
        switch current {
        case .object, .null: return
        default: throw Self.mismatch(current, expected: "structure")
        }
    }

    private func member(_ name: String) -> JSONValue? {
        guard case .object(let object) = current else { return nil }
        // The last occurrence wins, as in AWS's JSON readers.
        var found: JSONValue?
        for m in object.members where m.key == name { found = m.value }
        if case .null = found { return nil }
        return found
    }

    // MARK: - Members

    public mutating func required<T>(
        _ member: String, _ name: String, _ read: (inout JSONShapeDecoder) throws(ShapeDecodingError) -> T
    ) throws(ShapeDecodingError) -> T {
        let value = self.member(member)
        let saved = current
        path.append(name)
        defer {
            current = saved
            path.removeLast()
        }
        guard let value else {
            record(ConstraintViolation(path: pathString, value: nil, constraint: "Member must not be null"))
            suppressed += 1
            defer { suppressed -= 1 }
            current = .null
            return try read(&self)
        }
        current = value
        return try read(&self)
    }

    public mutating func optional<T>(
        _ member: String, _ name: String, _ read: (inout JSONShapeDecoder) throws(ShapeDecodingError) -> T
    ) throws(ShapeDecodingError) -> T? {
        guard let value = self.member(member) else { return nil }
        let saved = current
        path.append(name)
        defer {
            current = saved
            path.removeLast()
        }
        current = value
        return try read(&self)
    }

    // MARK: - Scalars

    public mutating func string(_ rule: StringRule) throws(ShapeDecodingError) -> String {
        switch current {
        case .null: return ""
        case .string(let value):
            if suppressed == 0 { rule.check(value, at: pathString, into: &violations) }
            return value
        default: throw Self.mismatch(current, expected: "String")
        }
    }

    public mutating func integer(_ rule: NumberRule) throws(ShapeDecodingError) -> Int {
        Int(try long(rule, typeName: "Integer"))
    }

    public mutating func long(_ rule: NumberRule) throws(ShapeDecodingError) -> Int64 {
        try long(rule, typeName: "Long")
    }

    private mutating func long(_ rule: NumberRule, typeName: String) throws(ShapeDecodingError) -> Int64 {
        switch current {
        case .null: return 0
        case .number(let number):
            // AWS's readers truncate fractional numbers for integer members.
            guard let value = number.int64 ?? number.double.flatMap({ Int64(exactly: $0.rounded(.towardZero)) }) else {
                throw ShapeDecodingError(message: "Numeric value (\(number.text)) out of range of \(typeName.lowercased())")
            }
            if suppressed == 0 { rule.check(Double(value), shown: String(value), at: pathString, into: &violations) }
            return value
        default: throw Self.mismatch(current, expected: typeName)
        }
    }

    public mutating func double(_ rule: NumberRule) throws(ShapeDecodingError) -> Double {
        switch current {
        case .null: return 0
        case .number(let number):
            let value = number.double ?? 0
            if suppressed == 0 { rule.check(value, shown: number.text, at: pathString, into: &violations) }
            return value
        default: throw Self.mismatch(current, expected: "Double")
        }
    }

    public mutating func boolean() throws(ShapeDecodingError) -> Bool {
        switch current {
        case .null: return false
        case .bool(let value): return value
        default: throw Self.mismatch(current, expected: "Boolean")
        }
    }

    /// JSON 1.1 timestamps are epoch seconds (fractions allowed).
    public mutating func timestamp() throws(ShapeDecodingError) -> Timestamp {
        switch current {
        case .null: return Timestamp(secondsSince1970: 0)
        case .number(let number): return Timestamp(secondsSince1970: number.double ?? 0)
        case .string(let text):
            if let t = Timestamp(iso8601: text) { return t }
            if let seconds = Double(text) { return Timestamp(secondsSince1970: seconds) }
            throw ShapeDecodingError(message: "STRING_VALUE can not be converted to a Timestamp")
        default: throw Self.mismatch(current, expected: "Timestamp")
        }
    }

    /// JSON 1.1 blobs are base64 strings.
    public mutating func blob(_ rule: LengthRule) throws(ShapeDecodingError) -> [UInt8] {
        switch current {
        case .null: return []
        case .string(let text):
            guard let bytes = Base64.decode(text) else {
                throw ShapeDecodingError(message: "Base64 encoded value is malformed")
            }
            if suppressed == 0 { rule.check(count: bytes.count, shown: "", at: pathString, into: &violations) }
            return bytes
        default: throw Self.mismatch(current, expected: "Blob")
        }
    }

    public mutating func structure<T: JSONInputShape>(_ type: T.Type) throws(ShapeDecodingError) -> T {
        try expectObject()
        return try T(json: &self)
    }

    // MARK: - Collections

    public mutating func list<T>(
        _ rule: LengthRule, _ element: (inout JSONShapeDecoder) throws(ShapeDecodingError) -> T
    ) throws(ShapeDecodingError) -> [T] {
        let elements: [JSONValue]
        switch current {
        case .null: elements = []
        case .array(let array): elements = array
        default: throw Self.mismatch(current, expected: "list")
        }
        let saved = current
        defer { current = saved }
        var items: [T] = []
        items.reserveCapacity(elements.count)
        for (offset, value) in elements.enumerated() {
            path.append(String(offset + 1))
            path.append("member")
            current = value
            items.append(try element(&self))
            path.removeLast(2)
        }
        if suppressed == 0 {
            rule.check(count: items.count, shown: "[…]", at: pathString, into: &violations)
        }
        return items
    }

    /// A list of strings: an element that breaks its rule is reported once, at
    /// the list, naming every constraint of the element as AWS does.
    public mutating func stringList(_ rule: LengthRule, element elementRule: StringRule) throws(ShapeDecodingError) -> [String] {
        let elements: [JSONValue]
        switch current {
        case .null: elements = []
        case .array(let array): elements = array
        default: throw Self.mismatch(current, expected: "list")
        }
        var items: [String] = []
        var broken = false
        for value in elements {
            switch value {
            case .string(let s):
                if !elementRule.accepts(s) { broken = true }
                items.append(s)
            case .null:
                broken = true
            default:
                throw Self.mismatch(value, expected: "String")
            }
        }
        if suppressed == 0 {
            if broken {
                violations.append(ConstraintViolation(
                    path: pathString, value: "[" + items.joined(separator: ", ") + "]",
                    constraint: "Member must satisfy constraint: [" + elementRule.phrases.joined(separator: ", ") + "]"))
            }
            rule.check(count: items.count, shown: "[" + items.joined(separator: ", ") + "]", at: pathString, into: &violations)
        }
        return items
    }

    public mutating func map<V>(
        _ rule: LengthRule, key keyRule: StringRule, _ value: (inout JSONShapeDecoder) throws(ShapeDecodingError) -> V
    ) throws(ShapeDecodingError) -> [String: V] {
        let members: [(key: String, value: JSONValue)]
        switch current {
        case .null: members = []
        case .object(let object): members = object.members
        default: throw Self.mismatch(current, expected: "map")
        }
        let saved = current
        defer { current = saved }
        var result: [String: V] = [:]
        for m in members {
            if suppressed == 0 { keyRule.check(m.key, at: pathString, into: &violations) }
            current = m.value
            result[m.key] = try value(&self)
        }
        if suppressed == 0 {
            rule.check(count: result.count, shown: "{…}", at: pathString, into: &violations)
        }
        return result
    }

    /// The messages AWS's JSON 1.1 services return for a value of the wrong type.
    static func mismatch(_ found: JSONValue, expected: String) -> ShapeDecodingError {
        switch found {
        case .object:
            return ShapeDecodingError(message: "Start of structure or map found where not expected.")
        case .array:
            return ShapeDecodingError(message: "Start of list found where not expected")
        case .number:
            return ShapeDecodingError(message: "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an \(expected)")
        case .string:
            return ShapeDecodingError(message: "STRING_VALUE can not be converted to \(article(expected)) \(expected)")
        case .bool(let b):
            return ShapeDecodingError(message: "\(b ? "TRUE" : "FALSE")_VALUE can not be converted to \(article(expected)) \(expected)")
        case .null:
            return ShapeDecodingError(message: "NULL_VALUE can not be converted to \(article(expected)) \(expected)")
        }
    }

    private static func article(_ word: String) -> String {
        guard let first = word.lowercased().first else { return "a" }
        return "aeio".contains(first) ? "an" : "a"
    }
}
