/// Writes compact JSON into a byte buffer.
///
/// Callers drive it structurally (`objectStart`, `key`, values, `objectEnd`);
/// commas are placed for them. Generated output encoders and the admin
/// endpoints both write through it, so escaping lives in one place.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// One entry per open container: whether it already holds a value.
    private var needsComma: [Bool] = []
    private var afterKey = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        if let last = needsComma.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            needsComma[needsComma.count - 1] = true
        }
    }

    public mutating func objectStart() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func objectEnd() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func arrayStart() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func arrayEnd() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func key(_ name: String) {
        beforeValue()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func value(_ string: String) {
        beforeValue()
        appendQuoted(string)
    }

    public mutating func value(_ bool: Bool) {
        beforeValue()
        bytes.append(contentsOf: bool ? Array("true".utf8) : Array("false".utf8))
    }

    public mutating func value(_ int: Int) {
        beforeValue()
        bytes.append(contentsOf: Array(String(int).utf8))
    }

    public mutating func value(_ int: Int64) {
        beforeValue()
        bytes.append(contentsOf: Array(String(int).utf8))
    }

    /// A double as JSON: integral values without a fraction, others in Swift's
    /// shortest round-trip form.
    public mutating func value(_ double: Double) {
        beforeValue()
        bytes.append(contentsOf: Array(Self.format(double).utf8))
    }

    public mutating func null() {
        beforeValue()
        bytes.append(contentsOf: Array("null".utf8))
    }

    /// Writes a parsed value back out.
    public mutating func value(_ json: JSONValue) {
        switch json {
        case .null: null()
        case .bool(let b): value(b)
        case .number(let n):
            beforeValue()
            bytes.append(contentsOf: Array(n.text.utf8))
        case .string(let s): value(s)
        case .array(let elements):
            arrayStart()
            for element in elements { value(element) }
            arrayEnd()
        case .object(let object):
            objectStart()
            for member in object.members {
                key(member.key)
                value(member.value)
            }
            objectEnd()
        }
    }

    public static func format(_ double: Double) -> String {
        if double.isFinite, double == double.rounded(), abs(double) < 1e15 {
            return String(Int64(double))
        }
        return "\(double)"
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Compact JSON text of this value.
    public var serialized: String {
        var writer = JSONWriter()
        writer.value(self)
        return writer.string
    }
}

extension JSONValue {
    /// Indented JSON text of this value, as AWS's console shows a policy:
    /// four spaces per level, one member or element per line.
    public func pretty(indent: Int = 4) -> String {
        var out = ""
        write(into: &out, level: 0, indent: indent)
        return out
    }

    private func write(into out: inout String, level: Int, indent: Int) {
        let pad = String(repeating: " ", count: (level + 1) * indent)
        let close = String(repeating: " ", count: level * indent)
        switch self {
        case .array(let elements) where !elements.isEmpty:
            out += "[\n"
            for (i, element) in elements.enumerated() {
                out += pad
                element.write(into: &out, level: level + 1, indent: indent)
                out += i < elements.count - 1 ? ",\n" : "\n"
            }
            out += close + "]"
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            for (i, member) in object.members.enumerated() {
                out += pad + JSONValue.string(member.key).serialized + ": "
                member.value.write(into: &out, level: level + 1, indent: indent)
                out += i < object.members.count - 1 ? ",\n" : "\n"
            }
            out += close + "}"
        default:
            out += serialized
        }
    }
}
