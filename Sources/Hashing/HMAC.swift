import COpenSSL

/// HMAC-SHA256 (one-shot; not deprecated in OpenSSL 3.0).
public enum HMAC {
    public static func sha256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        let key = Array(key)
        let message = Array(message)
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                out.withUnsafeMutableBufferPointer { o in
                    _ = COpenSSL.HMAC(
                        SHA256.algorithm, k.baseAddress, Int32(k.count),
                        m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count, o.baseAddress, &length)
                }
            }
        }
        return out
    }

    public static func sha256(key: some Collection<UInt8>, message: String) -> [UInt8] {
        sha256(key: key, message: Array(message.utf8))
    }
}
