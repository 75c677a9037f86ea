/// Reads a query-protocol request (`Action=…&RoleName=…&Tags.member.1.Key=…`)
/// into typed shapes, collecting every model-constraint violation on the way.
///
/// Generated initializers call `required`/`optional` for each member, then a
/// scalar reader (`string`, `integer`, …) or a nested shape. A missing required
/// member is recorded as AWS records it ("Member must not be null") and
/// decoding continues with a placeholder, so the caller can report every
/// violation at once and never sees the placeholder: it checks `violations`.
public struct QueryDecoder {
    public let parameters: [String: String]
    /// The parameter key of the value being read (`Tags.member.1.Key`).
    private var key: String = ""
    /// Member path for error messages (`tags.1.member.key`).
    private var path: [String] = []
    public private(set) var violations: [ConstraintViolation] = []
    /// While positive, values are placeholders under a missing parent: no checks.
    private var suppressed = 0

    public init(parameters: [String: String]) {
        self.parameters = parameters
    }

    /// Decodes a whole input shape from the top-level parameters.
    public static func decode<T: QueryInputShape>(_ type: T.Type, from parameters: [String: String]) -> (T, [ConstraintViolation]) {
        var decoder = QueryDecoder(parameters: parameters)
        // Query decoding never throws: type problems are violations.
        let value = (try? T(query: &decoder)) ?? { fatalError("query decoding threw") }()
        return (value, decoder.violations)
    }

    private var pathString: String { path.joined(separator: ".") }

    private func child(_ member: String) -> String {
        key.isEmpty ? member : key + "." + member
    }

    /// Whether any parameter lives at `fullKey` or below it.
    private func isPresent(_ fullKey: String) -> Bool {
        if parameters[fullKey] != nil { return true }
        let prefix = fullKey + "."
        for k in parameters.keys where k.hasPrefix(prefix) { return true }
        return false
    }

    private mutating func enter(_ member: String, _ name: String) -> (String, Int) {
        let saved = (key, path.count)
        key = child(member)
        path.append(name)
        return saved
    }

    private mutating func leave(_ saved: (String, Int)) {
        key = saved.0
        path.removeLast(path.count - saved.1)
    }

    private mutating func record(_ violation: ConstraintViolation) {
        if suppressed == 0 { violations.append(violation) }
    }

    // MARK: - Members

    public mutating func required<T>(
        _ member: String, _ name: String, _ read: (inout QueryDecoder) throws(ShapeDecodingError) -> T
    ) throws(ShapeDecodingError) -> T {
        let saved = enter(member, name)
        defer { leave(saved) }
        if !isPresent(key) {
            record(ConstraintViolation(path: pathString, value: nil, constraint: "Member must not be null"))
            suppressed += 1
            defer { suppressed -= 1 }
            return try read(&self)
        }
        return try read(&self)
    }

    public mutating func optional<T>(
        _ member: String, _ name: String, _ read: (inout QueryDecoder) throws(ShapeDecodingError) -> T
    ) throws(ShapeDecodingError) -> T? {
        let saved = enter(member, name)
        defer { leave(saved) }
        guard isPresent(key) else { return nil }
        return try read(&self)
    }

    // MARK: - Scalars at the current key

    public mutating func string(_ rule: StringRule) -> String {
        guard let value = parameters[key] else { return "" }
        if suppressed == 0 { rule.check(value, at: pathString, into: &violations) }
        return value
    }

    public mutating func integer(_ rule: NumberRule) -> Int {
        guard let text = parameters[key] else { return 0 }
        guard let value = Int(text.trimmingSpaces) else {
            record(ConstraintViolation(path: pathString, value: text, constraint: "Member must be a number"))
            return 0
        }
        if suppressed == 0 { rule.check(Double(value), shown: String(value), at: pathString, into: &violations) }
        return value
    }

    public mutating func long(_ rule: NumberRule) -> Int64 {
        Int64(integer(rule))
    }

    public mutating func double(_ rule: NumberRule) -> Double {
        guard let text = parameters[key] else { return 0 }
        guard let value = Double(text.trimmingSpaces) else {
            record(ConstraintViolation(path: pathString, value: text, constraint: "Member must be a number"))
            return 0
        }
        if suppressed == 0 { rule.check(value, shown: text, at: pathString, into: &violations) }
        return value
    }

    public mutating func boolean() -> Bool {
        guard let text = parameters[key] else { return false }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            record(ConstraintViolation(path: pathString, value: text, constraint: "Member must be a boolean"))
            return false
        }
    }

    public mutating func timestamp() -> Timestamp {
        guard let text = parameters[key] else { return Timestamp(secondsSince1970: 0) }
        if let t = Timestamp(iso8601: text) { return t }
        if let seconds = Double(text) { return Timestamp(secondsSince1970: seconds) }
        record(ConstraintViolation(path: pathString, value: text, constraint: "Member must be a timestamp"))
        return Timestamp(secondsSince1970: 0)
    }

    public mutating func blob(_ rule: LengthRule) -> [UInt8] {
        guard let text = parameters[key] else { return [] }
        guard let bytes = Base64.decode(text) else {
            record(ConstraintViolation(path: pathString, value: nil, sensitive: true, constraint: "Member must be base64-encoded"))
            return []
        }
        if suppressed == 0 { rule.check(count: bytes.count, shown: "", at: pathString, into: &violations) }
        return bytes
    }

    public mutating func structure<T: QueryInputShape>(_ type: T.Type) throws(ShapeDecodingError) -> T {
        try T(query: &self)
    }

    // MARK: - Collections at the current key

    /// `Key.member.1`, `Key.member.2`, …; `Key=` (empty) is an empty list.
    public mutating func list<T>(
        _ rule: LengthRule, _ element: (inout QueryDecoder) throws(ShapeDecodingError) -> T
    ) throws(ShapeDecodingError) -> [T] {
        var items: [T] = []
        var index = 1
        while true {
            let elementKey = key + ".member." + String(index)
            guard isPresent(elementKey) else { break }
            let saved = (key, path.count)
            key = elementKey
            path.append(String(index))
            path.append("member")
            items.append(try element(&self))
            leave(saved)
            index += 1
        }
        if suppressed == 0 {
            rule.check(count: items.count, shown: "[…]", at: pathString, into: &violations)
        }
        return items
    }

    /// A list of strings: an element that breaks its rule is reported once, at
    /// the list, naming every constraint of the element as AWS does.
    public mutating func stringList(_ rule: LengthRule, element elementRule: StringRule) -> [String] {
        var items: [String] = []
        var index = 1
        var broken = false
        while true {
            let elementKey = key + ".member." + String(index)
            guard let value = parameters[elementKey] else { break }
            if !elementRule.accepts(value) { broken = true }
            items.append(value)
            index += 1
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

    /// `Key.entry.1.key` / `Key.entry.1.value`, …
    public mutating func map<V>(
        _ rule: LengthRule, key keyRule: StringRule, _ value: (inout QueryDecoder) throws(ShapeDecodingError) -> V
    ) throws(ShapeDecodingError) -> [String: V] {
        var result: [String: V] = [:]
        var index = 1
        while true {
            let entryKey = key + ".entry." + String(index)
            guard isPresent(entryKey) else { break }
            let saved = (key, path.count)
            key = entryKey + ".key"
            path.append(String(index))
            let name = string(keyRule)
            key = entryKey + ".value"
            result[name] = try value(&self)
            leave(saved)
            index += 1
        }
        if suppressed == 0 {
            rule.check(count: result.count, shown: "{…}", at: pathString, into: &violations)
        }
        return result
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var s = self[...]
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
