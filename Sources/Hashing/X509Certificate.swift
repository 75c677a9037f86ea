import COpenSSL
import Glibc

/// A PEM X.509 certificate as libcrypto reads it: what IAM checks of
/// uploaded signing and server certificates.
public struct X509Certificate: Sendable {
    /// Validity, seconds since 1970.
    public let notBefore: Double
    public let notAfter: Double
    /// The DER encoding (what a certificate's SHA-1 thumbprint is taken over).
    public let der: [UInt8]

    /// Parses the first certificate of a PEM text; nil when there is none or it is malformed.
    public init?(pem: String) {
        guard let certificate = Self.read(pem) else { return nil }
        defer { X509_free(certificate) }
        guard let start = Self.seconds(X509_get0_notBefore(certificate)), let end = Self.seconds(X509_get0_notAfter(certificate))
        else { return nil }
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(certificate, &buffer)
        guard length > 0, let buffer else { return nil }
        der = Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
        CRYPTO_free(buffer, #file, #line)
        notBefore = start
        notAfter = end
    }

    /// How many PEM certificates a text holds, each parsed; nil when any block is malformed.
    public static func chainLength(_ pem: String) -> Int? {
        let marker = "-----BEGIN CERTIFICATE-----"
        let blocks = pem.split(separator: marker, omittingEmptySubsequences: false).dropFirst()
        guard !blocks.isEmpty else { return nil }
        for block in blocks where X509Certificate(pem: marker + block) == nil { return nil }
        return blocks.count
    }

    /// Whether a PEM private key parses and is the certificate's key; nil when the key is malformed.
    public static func privateKey(_ keyPEM: String, matches certificatePEM: String) -> Bool? {
        guard let certificate = read(certificatePEM) else { return false }
        defer { X509_free(certificate) }
        let key: OpaquePointer? = withBIO(keyPEM) { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
        guard let key else { return nil }
        defer { EVP_PKEY_free(key) }
        return X509_check_private_key(certificate, key) == 1
    }

    private static func read(_ pem: String) -> OpaquePointer? {
        let certificate: OpaquePointer? = withBIO(pem) { PEM_read_bio_X509($0, nil, nil, nil) }
        ERR_clear_error()
        return certificate
    }

    private static func withBIO<T>(_ text: String, _ body: (OpaquePointer) -> T?) -> T? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw -> T? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            let result = body(bio)
            ERR_clear_error()
            return result
        }
    }

    private static func seconds(_ time: UnsafePointer<ASN1_TIME>?) -> Double? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Double(timegm(&parts))
    }
}
