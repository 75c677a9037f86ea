import COpenSSL
import Synchronization

/// A SHA-256 that outlives one request: a blob uploaded in several PATCH
/// requests is hashed as its bytes arrive, so completing the upload does not
/// read the file again. Use from one task at a time.
public final class StreamingSHA256: @unchecked Sendable {
    private let context: OpaquePointer
    public private(set) var byteCount: Int64 = 0

    public init() {
        context = EVP_MD_CTX_new()!
        EVP_DigestInit_ex2(context, SHA256.algorithm, nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
        byteCount += Int64(bytes.count)
    }

    /// `sha256:HEX` of the bytes so far; the hasher goes on (an upload whose
    /// digest was refused can take more bytes, or be completed again).
    public func currentDigest() -> String {
        let copy = EVP_MD_CTX_new()!
        defer { EVP_MD_CTX_free(copy) }
        EVP_MD_CTX_copy_ex(copy, context)
        var out = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length: UInt32 = 0
        out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(copy, $0.baseAddress, &length) }
        return "sha256:" + Hex.encode(out)
    }
}
