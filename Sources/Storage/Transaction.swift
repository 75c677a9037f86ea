/// One database transaction, as services see it: the queries of `Storage`'s
/// records take one, and it notes what a write touches so that caches drop
/// only what changed.
///
/// It exists only inside `Store.transaction`; it must not escape.
public final class Transaction {
    public enum Kind: Sendable {
        case read
        case write
    }

    public let kind: Kind
    /// The store's change sequence when the transaction began: what caches
    /// filled from this transaction are stamped with.
    public let sequence: UInt64
    let db: Database
    private(set) var touched: Set<Dependency> = []
    private let cachedTables: CachedTableObserver?

    init(_ db: Database, kind: Kind, sequence: UInt64, cachedTables: CachedTableObserver? = nil) {
        self.db = db
        self.kind = kind
        self.sequence = sequence
        self.cachedTables = cachedTables
    }

    /// Notes that this write changed what `dependency` names.
    public func touch(_ dependency: Dependency) {
        touched.insert(dependency)
    }

    /// Whether this write has changed anything yet.
    public var hasChanges: Bool { !touched.isEmpty || cachedTables?.hasChanged == true }
}
