/// `application/x-www-form-urlencoded` and RFC 3986 percent-encoding, as the
/// query protocol and SigV4 use them.
public enum FormEncoding {
    /// Parses `a=1&b=x%20y` (with `+` as space); the first value of a key wins.
    public static func decode(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in pairs(text) where result[key] == nil {
            result[key] = value
        }
        return result
    }

    /// Every `key=value` pair in order, decoded.
    public static func pairs(_ text: String) -> [(String, String)] {
        var out: [(String, String)] = []
        for part in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                out.append((percentDecode(part[part.startIndex..<eq], plusIsSpace: true),
                            percentDecode(part[part.index(after: eq)...], plusIsSpace: true)))
            } else {
                out.append((percentDecode(part[...], plusIsSpace: true), ""))
            }
        }
        return out
    }

    public static func percentDecode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let h = iterator.next(), let l = iterator.next(), let hi = hexValue(h), let lo = hexValue(l) else {
                    out.append(byte)
                    continue
                }
                out.append(hi << 4 | lo)
            } else if plusIsSpace && byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func percentDecode(_ text: String) -> String {
        percentDecode(Array(text.utf8), plusIsSpace: false)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// SigV4's URI encoding: unreserved characters kept, everything else `%XX`;
    /// `/` kept when `keepSlash` (canonical paths).
    public static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes parameters as a form body (keys sorted, for stable output).
    public static func encode(_ parameters: [String: String]) -> String {
        parameters.sorted { $0.key < $1.key }.map { uriEncode($0.key) + "=" + uriEncode($0.value) }.joined(separator: "&")
    }
}
