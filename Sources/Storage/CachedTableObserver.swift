import GRDB
import Synchronization

/// Notices when a write transaction changes a table that in-memory caches
/// are built from. A typed write that changed such a table but said nothing
/// about what it touched (a Storage query that forgot `tx.touch`) then
/// counts as touching everything: a forgotten touch costs warm caches, never
/// a stale permission.
final class CachedTableObserver: TransactionObserver, @unchecked Sendable {
    /// The tables credentials, principal policies and resource facts are read from.
    static let tables: Set<String> = [
        "accessKey", "sessionCredential", "user", "role", "iamGroup", "groupMembership", "managedPolicy", "policyVersion",
        "policyAttachment", "inlinePolicy", "tag", "repository", "account",
    ]

    // Only touched on the writer's queue, one transaction at a time; the
    // mutex keeps the compiler's sendability checks honest.
    private let changed = Mutex(false)

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { Self.tables.contains(eventKind.tableName) }

    func databaseDidChange(with event: DatabaseEvent) { changed.withLock { $0 = true } }

    func databaseDidCommit(_ db: Database) {}

    func databaseDidRollback(_ db: Database) {}

    /// Starts a transaction's watch.
    func reset() { changed.withLock { $0 = false } }

    /// Whether the transaction changed a cached table so far.
    var hasChanged: Bool { changed.withLock { $0 } }
}
