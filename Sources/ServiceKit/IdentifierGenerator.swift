import Hashing
import Synchronization

/// Makes the identifiers AWS hands out: unique ids with their prefixes,
/// access keys, secrets, session tokens and request ids.
///
/// Injected so tests can be deterministic; the default draws from libcrypto.
public protocol IdentifierGenerator: Sendable {
    func randomBytes(_ count: Int) -> [UInt8]
}

public struct SecureIdentifierGenerator: IdentifierGenerator {
    /// libcrypto's per-call cost (locking its generator) dominated drawing the
    /// 16 bytes of every request id, so bytes are drawn a page at a time.
    private final class Reservoir: Sendable {
        let state = Mutex<(bytes: [UInt8], next: Int)>(([], 0))
    }

    private static let pageSize = 4096
    private let reservoir = Reservoir()

    public init() {}

    public func randomBytes(_ count: Int) -> [UInt8] {
        guard count <= Self.pageSize / 4 else { return SecureRandom.bytes(count) }
        return reservoir.state.withLock { state in
            if state.next + count > state.bytes.count {
                state = (SecureRandom.bytes(Self.pageSize), 0)
            }
            defer { state.next += count }
            return Array(state.bytes[state.next..<state.next + count])
        }
    }
}

/// The prefixes of IAM's unique ids (IAM User Guide, "Unique identifiers").
public enum IdentifierPrefix: String, Sendable {
    case user = "AIDA"
    case role = "AROA"
    case group = "AGPA"
    case managedPolicy = "ANPA"
    case instanceProfile = "AIPA"
    case serverCertificate = "ASCA"
    case sshPublicKey = "APKA"
    case signingCertificate = "ASCB"
    case serviceCredential = "ACCA"
    case accessKey = "AKIA"
    case temporaryAccessKey = "ASIA"
}

extension IdentifierGenerator {
    private static var base32: [Character] { Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") }
    private static var secretAlphabet: [Character] {
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    }

    private func string(_ length: Int, from alphabet: [Character]) -> String {
        // 32 and 64 divide 256: no bias from the modulo.
        String(randomBytes(length).map { alphabet[Int($0) % alphabet.count] })
    }

    /// A 21-character unique id: prefix plus 17 base32 characters.
    public func uniqueId(_ prefix: IdentifierPrefix) -> String {
        prefix.rawValue + string(17, from: Self.base32)
    }

    /// A 20-character access key id (`AKIA…`, `ASIA…`).
    public func accessKeyId(_ prefix: IdentifierPrefix) -> String {
        prefix.rawValue + string(16, from: Self.base32)
    }

    /// A 40-character secret access key.
    public func secretAccessKey() -> String {
        string(40, from: Self.secretAlphabet)
    }

    /// An opaque session token, of the length and alphabet STS tokens have.
    public func sessionToken() -> String {
        "IQoJb3JpZ2luX2VjE" + string(343, from: Self.secretAlphabet)
    }

    /// A version-4 UUID, lower case, as AWS request ids are written.
    public func uuid() -> String {
        var b = randomBytes(16)
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, digit) in Hex.encode(b).utf8.enumerated() {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
