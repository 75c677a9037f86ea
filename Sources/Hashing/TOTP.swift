import COpenSSL

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP, HMAC-SHA1,
/// six digits, 30-second steps): what virtual MFA apps compute from a seed.
public enum TOTP {
    public static let step: Double = 30
    public static let digits = 6

    /// The counter (time step) a moment falls in.
    public static func counter(at secondsSince1970: Double) -> Int64 {
        Int64((secondsSince1970 / step).rounded(.down))
    }

    /// The six-digit code of one counter value, zero-padded.
    public static func code(seed: [UInt8], counter: Int64) -> String {
        let message = (0..<8).reversed().map { UInt8(truncatingIfNeeded: counter >> (Int64($0) * 8)) }
        let mac = hmacSHA1(key: seed, message: message)
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let value = String(binary % 1_000_000)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// RFC 2104 HMAC with SHA-1 (one-shot, over libcrypto).
    public static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
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

extension TOTP {
    /// The code for a moment (seconds since 1970).
    public static func code(seed: [UInt8], at time: Double) -> String {
        code(seed: seed, counter: counter(at: time))
    }

    /// Whether `code` is the current one, or the one a step before or after
    /// (clock drift between the device and the server).
    public static func accepts(_ code: String, seed: [UInt8], at time: Double) -> Bool {
        let now = counter(at: time)
        return (now - 1...now + 1).contains { $0 >= 0 && Self.code(seed: seed, counter: $0) == code }
    }
}
