import COpenSSL

/// A public key that checks signatures: RSA (PKCS #1 v1.5) and ECDSA, as
/// JSON Web Tokens use them (RS256/384/512, ES256/384).
///
/// Keys are built from their JWK parts by encoding a DER SubjectPublicKeyInfo
/// and letting libcrypto parse it, which keeps this file free of OpenSSL's
/// macro-heavy parameter APIs.
public final class VerificationKey: @unchecked Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512", es256 = "ES256", es384 = "ES384"

        var isECDSA: Bool { self == .es256 || self == .es384 }

        var digest: OpaquePointer? {
            switch self {
            case .rs256, .es256: EVP_sha256()
            case .rs384, .es384: EVP_sha384()
            case .rs512: EVP_sha512()
            }
        }
    }

    private let key: OpaquePointer
    public let isRSA: Bool

    private init?(der: [UInt8], isRSA: Bool) {
        var pointer: UnsafePointer<UInt8>? = nil
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            pointer = buffer.baseAddress
            return d2i_PUBKEY(nil, &pointer, buffer.count)
        }
        guard let parsed else { return nil }
        key = parsed
        self.isRSA = isRSA
    }

    deinit { EVP_PKEY_free(key) }

    /// An RSA key from its modulus and public exponent (big-endian bytes).
    public convenience init?(rsaModulus modulus: [UInt8], exponent: [UInt8]) {
        let rsaKey = DER.sequence(DER.integer(modulus) + DER.integer(exponent))
        let algorithm = DER.sequence(DER.oid([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]) + [0x05, 0x00])
        self.init(der: DER.sequence(algorithm + DER.bitString(rsaKey)), isRSA: true)
    }

    /// An EC key on P-256 or P-384 from its affine coordinates.
    public convenience init?(curve: String, x: [UInt8], y: [UInt8]) {
        let curveOID: [UInt8]
        switch curve {
        case "P-256": curveOID = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
        case "P-384": curveOID = [0x2B, 0x81, 0x04, 0x00, 0x22]
        default: return nil
        }
        let algorithm = DER.sequence(DER.oid([0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]) + DER.oid(curveOID))
        self.init(der: DER.sequence(algorithm + DER.bitString([0x04] + x + y)), isRSA: false)
    }

    /// Whether `signature` is this key's over `message` with `algorithm`. ECDSA
    /// signatures arrive as JOSE writes them (r ‖ s) and are re-encoded as DER.
    public func verify(_ signature: [UInt8], message: [UInt8], algorithm: Algorithm) -> Bool {
        guard algorithm.isECDSA != isRSA else { return false }
        var sig = signature
        if algorithm.isECDSA {
            guard signature.count % 2 == 0, !signature.isEmpty else { return false }
            let half = signature.count / 2
            sig = DER.sequence(DER.integer(Array(signature[..<half])) + DER.integer(Array(signature[half...])))
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, algorithm.digest, nil, key) == 1 else { return false }
        let result = sig.withUnsafeBufferPointer { s in
            message.withUnsafeBufferPointer { m in
                EVP_DigestVerify(context, s.baseAddress, s.count, m.baseAddress, m.count)
            }
        }
        ERR_clear_error()
        return result == 1
    }
}

/// Just enough DER to write public keys and ECDSA signatures.
enum DER {
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var n = count
        while n > 0 {
            bytes.insert(UInt8(n & 0xFF), at: 0)
            n >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func tagged(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }
    static func sequence(_ content: [UInt8]) -> [UInt8] { tagged(0x30, content) }
    static func oid(_ encoded: [UInt8]) -> [UInt8] { tagged(0x06, encoded) }
    static func bitString(_ content: [UInt8]) -> [UInt8] { tagged(0x03, [0x00] + content) }

    /// A non-negative INTEGER: leading zeros dropped, one added when the high bit is set.
    static func integer(_ bytes: [UInt8]) -> [UInt8] {
        var value = Array(bytes.drop { $0 == 0 })
        if value.isEmpty { value = [0] }
        if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
        return tagged(0x02, value)
    }
}
