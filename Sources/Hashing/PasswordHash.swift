import COpenSSL

/// Salted, slow password hashes (PBKDF2-HMAC-SHA256): what is stored for
/// console passwords and service-specific credentials, never the password.
///
/// Stored form: `pbkdf2-sha256$ITERATIONS$SALT-HEX$HASH-HEX`.
public enum PasswordHash {
    public static let iterations = 60_000

    public static func make(_ password: String, salt: [UInt8] = SecureRandom.bytes(16)) -> String {
        let hash = derive(password, salt: salt, iterations: iterations)
        return "pbkdf2-sha256$\(iterations)$\(Hex.encode(salt))$\(Hex.encode(hash))"
    }

    /// Whether `stored` has the stored form (any password, any salt).
    public static func isWellFormed(_ stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        return parts.count == 4 && parts[0] == "pbkdf2-sha256" && (Int(parts[1]) ?? 0) > 0
            && Hex.decode(parts[2]) != nil && Hex.decode(parts[3]).map { !$0.isEmpty } == true
    }

    /// Whether `password` is the one `stored` was made from.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0,
            let salt = Hex.decode(parts[2]), let expected = Hex.decode(parts[3])
        else { return false }
        let actual = derive(password, salt: salt, iterations: rounds)
        return ConstantTime.equals(actual, expected)
    }

    private static func derive(_ password: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        let secret = Array(password.utf8)
        var out = [UInt8](repeating: 0, count: 32)
        secret.withUnsafeBufferPointer { p in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    _ = p.withMemoryRebound(to: CChar.self) { chars in
                        PKCS5_PBKDF2_HMAC(
                            chars.baseAddress, Int32(chars.count), s.baseAddress, Int32(s.count), Int32(iterations),
                            EVP_sha256(), Int32(o.count), o.baseAddress)
                    }
                }
            }
        }
        return out
    }
}

extension Hex {
    /// Decodes hexadecimal of either case; nil on an odd length or a non-hex character.
    public static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var i = 0
        while i < bytes.count {
            guard let high = nibble(bytes[i]), let low = nibble(bytes[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}
