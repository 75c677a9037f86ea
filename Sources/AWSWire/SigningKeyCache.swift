import Synchronization

/// Derived SigV4 signing keys, by secret and scope: four HMACs saved per
/// request for a client that keeps signing with the same key on the same day.
public final class SigningKeyCache: Sendable {
    private struct Entry: Hashable {
        let secret: String
        let date: String
        let region: String
        let service: String
    }

    private let entries = Mutex<[Entry: [UInt8]]>([:])
    private let limit: Int

    public init(limit: Int = 4096) {
        self.limit = limit
    }

    public func key(secret: String, scope: SigV4.CredentialScope) -> [UInt8] {
        let entry = Entry(secret: secret, date: scope.date, region: scope.region, service: scope.service)
        if let key = entries.withLock({ $0[entry] }) { return key }
        let key = SigV4.signingKey(secret: secret, scope: scope)
        entries.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[entry] = key
        }
        return key
    }
}
