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
    /// SDKs decode them back. Encoded straight into the output: the result
    /// holds nothing XML would escape.
    public mutating func urlEncodedElement(_ name: String, _ value: String) {
        newline()
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
        Self.appendPercentEncoded(value, to: &bytes)
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
        justOpened = false
    }

    public static func percentEncode(_ value: String) -> String {
        var out: [UInt8] = []
        appendPercentEncoded(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a byte stays as it is in a percent-encoded value (RFC 3986
    /// unreserved: `A-Z a-z 0-9 - _ . ~`), as two bit masks over ASCII.
    @inline(__always)
    private static func unreserved(_ byte: UInt8) -> Bool {
        // Bits 45 '-', 46 '.', 48-57 '0'-'9'.
        let low: UInt64 = 0x03FF_6000_0000_0000
        // Bits (less 64) 1-26 'A'-'Z', 31 '_', 33-58 'a'-'z', 62 '~'.
        let high: UInt64 = 0x47FF_FFFE_87FF_FFFE
        return byte < 64 ? (low >> UInt64(byte)) & 1 == 1 : byte < 128 && (high >> UInt64(byte - 64)) & 1 == 1
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x37 + nibble }

    /// Sized first, then written in place: no per-byte append.
    private static func appendPercentEncoded(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { utf8 in
            var length = utf8.count
            for byte in utf8 where !unreserved(byte) { length += 2 }
            let start = out.count
            out.append(contentsOf: repeatElement(0, count: length))
            out.withUnsafeMutableBufferPointer { buffer in
                var i = start
                for byte in utf8 {
                    if unreserved(byte) {
                        buffer[i] = byte
                        i += 1
                    } else {
                        buffer[i] = UInt8(ascii: "%")
                        buffer[i + 1] = hexDigit(byte >> 4)
                        buffer[i + 2] = hexDigit(byte & 0xF)
                        i += 3
                    }
                }
            }
        }
    }

    /// The text with `&`, `<`, `>`, quotes and carriage returns escaped; runs
    /// between them are copied whole, from contiguous UTF-8.
    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            var run = 0
            for i in 0..<utf8.count {
                let entity: StaticString
                switch utf8[i] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&apos;"
                case 0x0D: entity = "&#xD;"
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i]))
                entity.withUTF8Buffer { bytes.append(contentsOf: $0) }
                run = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
    }
}
