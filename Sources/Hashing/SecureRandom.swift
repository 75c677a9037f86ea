import COpenSSL

/// Cryptographically secure random bytes from libcrypto.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(ok == 1, "libcrypto could not produce random bytes")
        return out
    }

    /// A uniformly random string over `alphabet`.
    public static func string(length: Int, alphabet: [Character]) -> String {
        precondition(!alphabet.isEmpty && alphabet.count <= 256)
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - 256 % alphabet.count
        var result = ""
        result.reserveCapacity(length)
        while result.count < length {
            for byte in bytes(length * 2) where Int(byte) < limit {
                result.append(alphabet[Int(byte) % alphabet.count])
                if result.count == length { break }
            }
        }
        return result
    }
}
