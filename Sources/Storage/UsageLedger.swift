import Synchronization

/// Who used what, noted as requests arrive and written later in one
/// transaction: the service last accessed data of users and roles, a role's
/// last use, an access key's last use.
///
/// Requests only touch memory (a lock and a dictionary entry, coalesced per
/// entity, service and action), so the hot path pays no SQLite write; the
/// store writes what is pending when a report reads it (`Store.flushUsage`),
/// every second from the server's flusher, and once more at shutdown. None of
/// it is anything an authorization decision depends on.
public final class UsageLedger: Sendable {
    public enum EntityType: String, Sendable {
        case user
        case role
    }

    /// What a report reads usage of, so that it writes pending usage only
    /// when some concerns it (GetRole on a busy account must not become a
    /// write per request).
    public enum Subject: Hashable, Sendable {
        /// A role by account and name (IAM names ignore case).
        case role(account: String, name: String)
        case accessKey(String)

        static func role(_ account: String, _ name: String) -> Subject { .role(account: account, name: name.lowercased()) }
    }

    struct EntityKey: Hashable {
        var entityId: String
        var accountId: String
        var type: EntityType
        var service: String
        var action: String
    }

    struct Seen {
        var time: Double
        var region: String
    }

    struct KeyUse {
        var time: Double
        var service: String
        var region: String
    }

    struct Batch {
        var entities: [EntityKey: Seen] = [:]
        var keys: [String: KeyUse] = [:]
        var subjects: Set<Subject> = []
        var isEmpty: Bool { entities.isEmpty && keys.isEmpty }
    }

    private let pending = Mutex(Batch())

    init() {}

    /// Notes one request: by an IAM user or role (`entity`: its id, type and
    /// name), with a long-term access key (`accessKeyId`), to `service:action`.
    public func record(
        entity: (id: String, type: EntityType, name: String)?, accountId: String, accessKeyId: String?, service: String,
        action: String, region: String, at time: Double
    ) {
        pending.withLock { batch in
            if let entity {
                let key = EntityKey(entityId: entity.id, accountId: accountId, type: entity.type, service: service, action: action)
                if (batch.entities[key]?.time ?? -.infinity) <= time { batch.entities[key] = Seen(time: time, region: region) }
                if entity.type == .role { batch.subjects.insert(.role(accountId, entity.name)) }
            }
            if let accessKeyId, (batch.keys[accessKeyId]?.time ?? -.infinity) <= time {
                batch.keys[accessKeyId] = KeyUse(time: time, service: service, region: region)
                batch.subjects.insert(.accessKey(accessKeyId))
            }
        }
    }

    /// Whether usage of any of `subjects` is pending.
    func concerns(_ subjects: [Subject]) -> Bool {
        pending.withLock { batch in subjects.contains { batch.subjects.contains($0) } }
    }

    /// Takes what is pending, leaving nothing.
    func drain() -> Batch {
        pending.withLock { batch in
            defer { batch = Batch() }
            return batch
        }
    }

    /// Puts back a batch whose write failed, keeping the later of each entry.
    func restore(_ failed: Batch) {
        pending.withLock { batch in
            for (key, seen) in failed.entities where (batch.entities[key]?.time ?? -.infinity) < seen.time {
                batch.entities[key] = seen
            }
            for (key, use) in failed.keys where (batch.keys[key]?.time ?? -.infinity) < use.time { batch.keys[key] = use }
            batch.subjects.formUnion(failed.subjects)
        }
    }

    /// Writes a batch; an entity or key deleted since its request is skipped.
    static func write(_ batch: Batch, _ db: Database) throws {
        for (key, seen) in batch.entities {
            let table = key.type == .user ? "user" : "role"
            try db.execute(
                cached: """
                    INSERT INTO serviceAccess (entityId, accountId, service, action, lastAt, region)
                    SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM \(table) WHERE id = ?1)
                    ON CONFLICT (entityId, service, action) DO UPDATE SET lastAt = excluded.lastAt, region = excluded.region
                    WHERE excluded.lastAt >= serviceAccess.lastAt
                    """,
                arguments: [key.entityId, key.accountId, key.service, key.action, seen.time, seen.region])
            if key.type == .role {
                // RoleLastUsed: "when a role was last used to make an AWS request" (AWS Security Blog,
                // "Identify unused IAM roles … with the last used timestamp", 2019).
                try db.execute(
                    cached: "UPDATE role SET lastUsedAt = ?1, lastUsedRegion = ?2 WHERE id = ?3 AND (lastUsedAt IS NULL OR lastUsedAt <= ?1)",
                    arguments: [seen.time, seen.region, key.entityId])
            }
        }
        for (id, use) in batch.keys {
            try db.execute(
                cached: """
                    UPDATE accessKey SET lastUsedAt = ?1, lastUsedService = ?2, lastUsedRegion = ?3
                    WHERE id = ?4 AND (lastUsedAt IS NULL OR lastUsedAt <= ?1)
                    """,
                arguments: [use.time, use.service, use.region, id])
        }
    }
}

extension Store {
    /// Writes the usage noted so far, in one transaction that no cache
    /// depends on; nothing when nothing is pending, or when none of it
    /// concerns `subjects` (nil: whatever it concerns). Called before anything
    /// reports usage, so a caller sees its own requests at once.
    public func flushUsage(concerning subjects: [UsageLedger.Subject]? = nil) throws {
        if let subjects, !usage.concerns(subjects) { return }
        let batch = usage.drain()
        guard !batch.isEmpty else { return }
        do {
            try bookkeeping(sync: { db in try UsageLedger.write(batch, db) })
        } catch {
            usage.restore(batch)
            throw error
        }
    }
}
