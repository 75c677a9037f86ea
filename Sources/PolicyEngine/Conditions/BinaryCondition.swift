/// `BinaryEquals`: "compares the value of the specified key byte for byte
/// against a base-64 encoded representation of the binary value in the
/// policy" (IAM User Guide, "Binary condition operators"). Request values
/// arrive base64-encoded too, as the simulator's context entries do.
struct BinaryCondition: Sendable, Hashable {
    private let values: [[UInt8]]

    init(values: [String]) {
        self.values = values.map { Self.decode($0) ?? Array($0.utf8) }
    }

    func matches(_ value: String) -> Bool {
        let bytes = Self.decode(value) ?? Array(value.utf8)
        return values.contains(bytes)
    }

    /// Standard base64 (RFC 4648 §4), padding optional.
    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        var sawPadding = false
        for byte in text.utf8 {
            let sextet: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextet = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextet = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextet = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): sextet = 62
            case UInt8(ascii: "/"): sextet = 63
            case UInt8(ascii: "="):
                sawPadding = true
                continue
            default:
                return nil
            }
            if sawPadding { return nil }
            buffer = buffer << 6 | UInt32(sextet)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return output
    }
}
