import AWSShapes
import Hashing
import Storage

/// The URLs GetDownloadUrlForLayer hands out: served by Gatehouse itself at
/// `/v2/_layers/DIGEST`, beside the registry that serves the same layers
/// (no repository name begins with `_`, so the path names none), signed and
/// expiring like the presigned URLs ECR returns, so they work without
/// credentials until they expire.
public struct DownloadURL: Sendable {
    public static let lifetime: Double = 3600
    public static let pathPrefix = "/v2/_layers/"
    private let key: [UInt8]

    public init(store: Store) throws {
        key = try ServerSecret.value(named: "download-url", in: store)
    }

    func url(host: String, digest: String, expires: Timestamp) -> String {
        let expiry = String(Int64(expires.secondsSince1970))
        return "http://\(host)\(Self.pathPrefix)\(digest)?expires=\(expiry)&signature=\(signature(digest, expiry))"
    }

    /// Whether a presented URL is one this server signed and it has not expired.
    public func verify(digest: String, expires: String, signature presented: String, now: Timestamp) -> Bool {
        guard let expiry = Double(expires), now.secondsSince1970 <= expiry else { return false }
        let expected = signature(digest, expires)
        guard expected.utf8.count == presented.utf8.count else { return false }
        return zip(expected.utf8, presented.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func signature(_ digest: String, _ expiry: String) -> String {
        Hex.encode(HMAC.sha256(key: key, message: digest + "\n" + expiry))
    }
}
