import AWSShapes
import Hashing

/// An RSA public key as IAM takes SSH keys: OpenSSH (`ssh-rsa AAAA…`) or PEM
/// (PKCS#1 `RSA PUBLIC KEY` or SubjectPublicKeyInfo `PUBLIC KEY`).
struct RSAPublicKey {
    /// Big-endian magnitudes, without leading zeros.
    let modulus: [UInt8]
    let exponent: [UInt8]
    /// The OpenSSH text to store: as uploaded when it came in that form.
    let openSSH: String

    init(_ text: String) throws(AWSError) {
        let trimmed = text.trimmingWhitespace
        if trimmed.hasPrefix("ssh-rsa ") {
            let fields = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let blob = Base64.decode(String(fields[1])) else { throw IAMError.invalidPublicKey }
            var reader = SSHWireReader(blob)
            guard reader.string() == Array("ssh-rsa".utf8), let e = reader.string(), let n = reader.string(), reader.atEnd
            else { throw IAMError.invalidPublicKey }
            exponent = Self.stripped(e)
            modulus = Self.stripped(n)
            openSSH = trimmed
        } else if trimmed.hasPrefix("-----BEGIN") {
            guard let der = Self.pemBody(trimmed), let (n, e) = Self.rsaIntegers(der) else { throw IAMError.invalidPublicKey }
            modulus = n
            exponent = e
            openSSH = "ssh-rsa " + Base64.encode(Self.wireBlob(n: n, e: e))
        } else {
            throw IAMError.unrecognizedPublicKeyEncoding
        }
        guard modulus.count * 8 >= SSHPublicKeys.minimumModulusBits, !exponent.isEmpty else { throw IAMError.invalidPublicKey }
    }

    /// The MD5 fingerprint of the key's SSH wire form, colon-separated hex, as IAM shows it.
    var fingerprint: String {
        Digest.md5(Self.wireBlob(n: modulus, e: exponent)).map { Hex.encode([$0]) }.joined(separator: ":")
    }

    /// PKCS#1, the form `ssh-keygen -e -m PEM` writes.
    var pem: String {
        let der = DER.sequence(DER.integer(modulus) + DER.integer(exponent))
        let base64 = Array(Base64.encode(der))
        var lines: [String] = []
        var i = 0
        while i < base64.count {
            lines.append(String(base64[i..<min(i + 64, base64.count)]))
            i += 64
        }
        return "-----BEGIN RSA PUBLIC KEY-----\n" + lines.joined(separator: "\n") + "\n-----END RSA PUBLIC KEY-----\n"
    }

    private static func stripped(_ bytes: [UInt8]) -> [UInt8] { Array(bytes.drop { $0 == 0 }) }

    private static func wireBlob(n: [UInt8], e: [UInt8]) -> [UInt8] {
        func field(_ bytes: [UInt8]) -> [UInt8] {
            let count = UInt32(bytes.count)
            return [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)] + bytes
        }
        func mpint(_ bytes: [UInt8]) -> [UInt8] { field((bytes.first ?? 0) & 0x80 != 0 ? [0] + bytes : bytes) }
        return field(Array("ssh-rsa".utf8)) + mpint(e) + mpint(n)
    }

    private static func pemBody(_ text: String) -> [UInt8]? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace }
        guard let first = lines.first, let last = lines.last, first.hasPrefix("-----BEGIN"), last.hasPrefix("-----END") else { return nil }
        return Base64.decode(lines.dropFirst().dropLast().joined())
    }

    /// (n, e) from PKCS#1 RSAPublicKey or from SubjectPublicKeyInfo around one.
    private static func rsaIntegers(_ der: [UInt8]) -> ([UInt8], [UInt8])? {
        var outer = DER.Reader(der)
        guard var sequence = outer.element(tag: 0x30) else { return nil }
        if sequence.peek == 0x30 {
            // SubjectPublicKeyInfo: AlgorithmIdentifier, then the key as a BIT STRING.
            guard sequence.element(tag: 0x30) != nil, let bits = sequence.element(tag: 0x03)?.rest, bits.first == 0 else { return nil }
            return rsaIntegers(Array(bits.dropFirst()))
        }
        guard let n = sequence.element(tag: 0x02)?.rest, let e = sequence.element(tag: 0x02)?.rest else { return nil }
        return (stripped(n), stripped(e))
    }
}

/// The length-prefixed strings of the SSH wire format (RFC 4251).
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func string() -> [UInt8]? {
        guard offset + 4 <= bytes.count else { return nil }
        let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        offset += 4
        guard length >= 0, offset + length <= bytes.count else { return nil }
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }
}

/// Just enough DER for RSA public keys.
enum DER {
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var value = count
        while value > 0 { bytes.insert(UInt8(value & 0xFF), at: 0); value >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func sequence(_ content: [UInt8]) -> [UInt8] { [0x30] + length(content.count) + content }

    static func integer(_ magnitude: [UInt8]) -> [UInt8] {
        let body = (magnitude.first ?? 0x80) & 0x80 != 0 ? [0] + magnitude : magnitude
        return [0x02] + length(body.count) + body
    }

    struct Reader {
        private let bytes: [UInt8]
        private var offset = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }
        var rest: [UInt8] { Array(bytes[offset...]) }

        /// The next element's content, when it has `tag`.
        mutating func element(tag: UInt8) -> Reader? {
            guard offset + 2 <= bytes.count, bytes[offset] == tag else { return nil }
            var position = offset + 1
            var length = Int(bytes[position])
            position += 1
            if length & 0x80 != 0 {
                let count = length & 0x7F
                guard count > 0, count <= 4, position + count <= bytes.count else { return nil }
                length = bytes[position..<position + count].reduce(0) { $0 << 8 | Int($1) }
                position += count
            }
            guard position + length <= bytes.count else { return nil }
            offset = position + length
            return Reader(Array(bytes[position..<position + length]))
        }
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
