/// Writes the XML of query-protocol responses (`<CreateRoleResponse>` …).
///
/// Elements only, no attributes except the namespace on the root; text is
/// escaped. Policy documents are written URL-encoded, as IAM writes them.
/// Indented by two spaces per level with a newline after the root, the layout
/// AWS's query services send.
public struct XMLWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var depth = 0
    /// Whether the last thing written was an opening tag (so a close is inline).
    private var justOpened = false

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func newline() {
        guard !bytes.isEmpty else { return }
        bytes.append(0x0A)
        for _ in 0..<depth { bytes.append(contentsOf: [0x20, 0x20]) }
    }

    public mutating func open(_ name: String) {
        newline()
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
        depth += 1
        justOpened = true
    }

    public mutating func open(_ name: String, namespace: String) {
        newline()
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: " xmlns=\"".utf8)
        appendEscaped(namespace)
        bytes.append(contentsOf: "\">".utf8)
        depth += 1
        justOpened = true
    }

    public mutating func close(_ name: String) {
        depth -= 1
        if !justOpened { newline() }
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
        justOpened = false
        if depth == 0 { bytes.append(0x0A) }
    }

    public mutating func element(_ name: String, _ value: String) {
        newline()
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
        appendEscaped(value)
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
        justOpened = false
    }

    public mutating func element(_ name: String, _ value: Int) {
        element(name, String(value))
    }

    public mutating func element(_ name: String, _ value: Int64) {
        element(name, String(value))
    }

    public mutating func element(_ name: String, _ value: Double) {
        element(name, NumberRule.format(value))
    }

    public mutating func element(_ name: String, _ value: Bool) {
        element(name, value ? "true" : "false")
    }

    public mutating func element(_ name: String, _ value: Timestamp) {
        element(name, value.iso8601)
    }

    public mutating func element(_ name: String, _ value: [UInt8]) {
        element(name, Base64.encode(value))
    }

    /// IAM returns policy documents URL-encoded (RFC 3986 unreserved kept);
    /// SDKs decode them back.
    public mutating func urlEncodedElement(_ name: String, _ value: String) {
        element(name, Self.percentEncode(value))
    }

    public static func percentEncode(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count * 3 / 2)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func appendEscaped(_ text: String) {
        let utf8 = text.utf8
        // Most values (names, ids, URL-encoded documents) need no escaping: one copy.
        if !utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0x0D }) {
            bytes.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&apos;".utf8)
            case 0x0D: bytes.append(contentsOf: "&#xD;".utf8)
            default: bytes.append(byte)
            }
        }
    }
}
