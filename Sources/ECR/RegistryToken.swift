import AWSShapes
import Hashing
import JSON
import Storage

/// The registry password: who asked for it (access key and principal), for
/// which registry (account and region), until when — signed by the server.
///
/// Verifying it re-checks the access key on every registry request, so a
/// deleted key or an expired session stops working at once.
public struct RegistryToken: Sendable, Equatable {
    /// ECR's tokens last 12 hours.
    public static let lifetime: Double = 12 * 3600

    public var accessKeyId: String
    public var principalArn: String
    public var account: String
    public var region: String
    public var expires: Double

    public struct Signer: Sendable {
        private let key: [UInt8]

        public init(store: Store) throws {
            key = try ServerSecret.value(named: "registry-token", in: store)
        }

        public func token(accessKeyId: String, principalArn: String, account: String, region: String, expires: Timestamp) -> String {
            var w = JSONWriter()
            w.objectStart()
            w.key("k"); w.value(accessKeyId)
            w.key("p"); w.value(principalArn)
            w.key("a"); w.value(account)
            w.key("r"); w.value(region)
            w.key("e"); w.value(Int64(expires.secondsSince1970))
            w.objectEnd()
            let payload = Self.base64url(w.bytes)
            return payload + "." + Self.base64url(HMAC.sha256(key: key, message: payload))
        }

        /// The token's claims when the signature is ours; expiry is the caller's to check.
        public func verify(_ password: String) -> RegistryToken? {
            let parts = password.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let payload = String(parts[0])
            let expected = Self.base64url(HMAC.sha256(key: key, message: payload))
            guard expected.utf8.count == parts[1].utf8.count,
                zip(expected.utf8, parts[1].utf8).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0,
                let bytes = Base64.decode(payload), let json = try? JSONParser.parse(bytes),
                let key = json["k"]?.stringValue, let principal = json["p"]?.stringValue, let account = json["a"]?.stringValue,
                let region = json["r"]?.stringValue, case .number(let expiry)? = json["e"], let expires = expiry.double
            else { return nil }
            return RegistryToken(accessKeyId: key, principalArn: principal, account: account, region: region, expires: expires)
        }

        static func base64url(_ bytes: [UInt8]) -> String {
            String(Base64.encode(bytes).compactMap { c -> Character? in
                switch c {
                case "+": "-"
                case "/": "_"
                case "=": nil
                default: c
                }
            })
        }
    }
}
