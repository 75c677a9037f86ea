import COpenSSL

/// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps,
/// 6 digits), as virtual MFA devices produce them.
public enum TOTP {
    public static let step: Double = 30

    /// The code for `time` (seconds since 1970).
    public static func code(seed: [UInt8], at time: Double) -> String {
        code(seed: seed, counter: UInt64(max(0, time) / step))
    }

    /// Whether `code` is the current code, or the one a step before or after
    /// (clock drift between the device and the server).
    public static func accepts(_ code: String, seed: [UInt8], at time: Double) -> Bool {
        let counter = Int64(max(0, time) / step)
        return (counter - 1...counter + 1).contains { $0 >= 0 && Self.code(seed: seed, counter: UInt64($0)) == code }
    }

    static func code(seed: [UInt8], counter: UInt64) -> String {
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * $0)) }
        let mac = hmacSHA1(key: seed, message: message)
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        let value = binary % 1_000_000
        let digits = String(value)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 20
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                out.withUnsafeMutableBufferPointer { o in
                    _ = COpenSSL.HMAC(
                        EVP_sha1(), k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count,
                        o.baseAddress, &length)
                }
            }
        }
        return out
    }
}
