#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import COpenSSL
import Hashing

/// A message digest XML-DSig names by URI.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case sha1
    case sha256
    case sha384
    case sha512

    /// The `DigestMethod` algorithm URI, or nil if this library does not implement it.
    init?(digestMethodURI uri: String) {
        switch uri {
        case "http://www.w3.org/2000/09/xmldsig#sha1": self = .sha1
        case "http://www.w3.org/2001/04/xmlenc#sha256": self = .sha256
        case "http://www.w3.org/2001/04/xmldsig-more#sha384": self = .sha384
        case "http://www.w3.org/2001/04/xmlenc#sha512": self = .sha512
        default: return nil
        }
    }

    /// The digest of an RSA `SignatureMethod` URI. Only RSA (PKCS #1 v1.5)
    /// methods are taken: HMAC ones would let a public key serve as a secret.
    init?(rsaSignatureMethodURI uri: String) {
        switch uri {
        case "http://www.w3.org/2000/09/xmldsig#rsa-sha1": self = .sha1
        case "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": self = .sha256
        case "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": self = .sha384
        case "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": self = .sha512
        default: return nil
        }
    }

    fileprivate var evp: OpaquePointer {
        switch self {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
    }

    public func hash(_ bytes: [UInt8]) -> [UInt8] {
        if self == .sha256 { return SHA256.hash(bytes) }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, evp, nil)
            }
        }
        precondition(ok == 1, "libcrypto could not compute a digest")
        return Array(out.prefix(Int(length)))
    }
}

/// An X.509 certificate from IdP metadata or a signature's `KeyInfo`.
public struct SAMLCertificate: Sendable, Hashable {
    /// The DER encoding, as the base64 of `X509Certificate` carries it.
    public let der: [UInt8]
    public let notBefore: Date?
    public let notAfter: Date?
    /// Whether the subject key is an RSA key (the only kind this library verifies with).
    public let isRSA: Bool
    /// The key size in bits.
    public let keyBits: Int

    /// Parses a DER certificate; nil if libcrypto cannot read it or it has no public key.
    public init?(der: [UInt8]) {
        guard !der.isEmpty, let certificate = Self.parse(der) else { return nil }
        defer { X509_free(certificate) }
        guard let key = X509_get_pubkey(certificate) else { return nil }
        defer { EVP_PKEY_free(key) }
        self.der = der
        isRSA = EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA
        keyBits = Int(EVP_PKEY_get_bits(key))
        notBefore = Self.date(X509_get0_notBefore(certificate))
        notAfter = Self.date(X509_get0_notAfter(certificate))
    }

    /// The base64 text of the DER encoding, as metadata writes it.
    public var base64: String { Base64.encode(der) }

    private static func parse(_ der: [UInt8]) -> OpaquePointer? {
        der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let certificate = d2i_X509(nil, &cursor, buffer.count)
            if certificate == nil { ERR_clear_error() }
            // Trailing bytes after the certificate mean this is not one DER certificate.
            if let certificate, cursor != buffer.baseAddress! + buffer.count {
                X509_free(certificate)
                return nil
            }
            return certificate
        }
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return CivilTime.date(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
                              hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Double(parts.tm_sec))
    }

    /// Whether `signature` is a valid RSA PKCS #1 v1.5 signature over `data` by this certificate's key.
    func verifies(signature: [UInt8], over data: [UInt8], digest: DigestAlgorithm) -> Bool {
        guard isRSA, let certificate = Self.parse(der) else { return false }
        defer { X509_free(certificate) }
        guard let key = X509_get_pubkey(certificate) else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(context, nil, digest.evp, nil, key) == 1 else { return false }
        let result = signature.withUnsafeBufferPointer { signatureBytes in
            data.withUnsafeBufferPointer { dataBytes in
                EVP_DigestVerify(context, signatureBytes.baseAddress, signatureBytes.count,
                                 dataBytes.baseAddress, dataBytes.count)
            }
        }
        return result == 1
    }
}
