import COpenSSL

/// One-shot digests other than SHA-256 that AWS formats are defined over:
/// MD5 (SSH key fingerprints) and SHA-1 (certificate thumbprints, TOTP).
public enum Digest {
    nonisolated(unsafe) static let md5Algorithm: OpaquePointer? = EVP_MD_fetch(nil, "MD5", nil)
    nonisolated(unsafe) static let sha1Algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA1", nil)

    public static func md5(_ bytes: some Collection<UInt8>) -> [UInt8] { digest(bytes, md5Algorithm, size: 16) }

    public static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] { digest(bytes, sha1Algorithm, size: 20) }

    private static func digest(_ bytes: some Collection<UInt8>, _ algorithm: OpaquePointer?, size: Int) -> [UInt8] {
        let input = Array(bytes)
        var out = [UInt8](repeating: 0, count: size)
        var length: UInt32 = 0
        input.withUnsafeBytes { i in
            out.withUnsafeMutableBufferPointer { o in
                _ = EVP_Digest(i.baseAddress, i.count, o.baseAddress, &length, algorithm, nil)
            }
        }
        return out
    }
}
