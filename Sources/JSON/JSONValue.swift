/// A parsed JSON document.
///
/// Objects keep their members in document order, duplicates included, because
/// AWS's policy grammar reports duplicate keys and the JSON 1.1 decoder must
/// tell a number from a string. Numbers keep their source text so that a
/// policy condition value `3600` compares as the string "3600", as AWS does.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member named `key` when this is an object (first occurrence).
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The name AWS uses for this kind of value in serialization errors.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON number as written in the document.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    public let text: String

    public init(text: String) { self.text = text }
    public init(_ value: Int) { self.text = String(value) }

    public var description: String { text }
    public var double: Double? { Double(text) }

    /// The value when the text is an integer literal (no fraction or exponent).
    public var int64: Int64? { Int64(text) }
}

/// A JSON object: ordered members and, when parsed, where it sits in the source.
public struct JSONObject: Sendable, Equatable {
    public var members: [(key: String, value: JSONValue)]
    /// Source position of the object, from its `{` to its `}`; nil when built in code.
    public var span: JSONSpan?

    public init(_ members: [(key: String, value: JSONValue)] = [], span: JSONSpan? = nil) {
        self.members = members
        self.span = span
    }

    public subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    public var keys: [String] { members.map(\.key) }
    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }

    /// Equality ignores where the objects were written.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (l, r) in zip(lhs.members, rhs.members) where l.key != r.key || l.value != r.value {
            return false
        }
        return true
    }
}

/// A position in JSON source text: 1-based line and column, 0-based byte offset.
public struct JSONPosition: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "line \(line), column \(column)" }
}

/// The source range of a value: `start` is its first character, `end` its last.
public struct JSONSpan: Sendable, Equatable, Hashable {
    public var start: JSONPosition
    public var end: JSONPosition

    public init(start: JSONPosition, end: JSONPosition) {
        self.start = start
        self.end = end
    }
}
