import CSQLite
import Synchronization

/// Notices when a write transaction changes a table that in-memory caches
/// are built from. A typed write that changed such a table but said nothing
/// about what it touched (a Storage query that forgot `tx.touch`) then
/// counts as touching everything: a forgotten touch costs warm caches, never
/// a stale permission.
///
/// SQLite's update hook on the writer tells it of every row inserted, updated
/// or deleted (cascades included), as GRDB's transaction observers heard them.
final class CachedTableObserver: Sendable {
    /// The tables credentials, principal policies and resource facts are read from.
    static let tables: Set<String> = [
        "accessKey", "sessionCredential", "user", "role", "iamGroup", "groupMembership", "managedPolicy", "policyVersion",
        "policyAttachment", "inlinePolicy", "tag", "repository", "account",
    ]

    // Only touched on the writer's thread, one transaction at a time; the
    // atomic keeps the compiler's sendability checks honest.
    private let changed = Atomic<Bool>(false)

    /// Listens to `db`'s changes for as long as both live (the store holds both).
    func observe(_ db: Database) {
        sqlite3_update_hook(db.handle, { context, _, _, table, _ in
            guard let context, let table else { return }
            let observer = Unmanaged<CachedTableObserver>.fromOpaque(context).takeUnretainedValue()
            if !observer.changed.load(ordering: .relaxed), CachedTableObserver.tables.contains(String(cString: table)) {
                observer.changed.store(true, ordering: .relaxed)
            }
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Starts a transaction's watch.
    func reset() { changed.store(false, ordering: .relaxed) }

    /// Whether the transaction changed a cached table so far.
    var hasChanged: Bool { changed.load(ordering: .relaxed) }
}
