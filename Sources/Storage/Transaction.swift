import GRDB

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
    private(set) var touchedEverything = false
    private let cachedTables: CachedTableObserver?

    init(_ db: Database, kind: Kind, sequence: UInt64, cachedTables: CachedTableObserver? = nil) {
        self.db = db
        self.kind = kind
        self.sequence = sequence
        self.cachedTables = cachedTables
    }

    /// The connection itself, for code whose queries have not moved into
    /// `Storage` yet. In a write transaction, using it counts as touching
    /// everything: the store cannot tell what raw SQL changed.
    public var database: Database {
        if kind == .write { touchedEverything = true }
        return db
    }

    /// The typed queries for code that still holds a raw connection from
    /// `Store.read` / `Store.write`. Stamped with sequence 0, so nothing a
    /// cache keeps from it is ever taken as current.
    public static func bridging(_ db: Database) -> Transaction {
        Transaction(db, kind: .read, sequence: 0)
    }

    /// Notes that this write changed what `dependency` names.
    public func touch(_ dependency: Dependency) {
        touched.insert(dependency)
    }

    /// Whether this write has changed anything yet (or may have, through `database`).
    public var hasChanges: Bool { touchedEverything || !touched.isEmpty || cachedTables?.hasChanged == true }

    /// What the store records when this transaction commits.
    var changes: Set<Dependency>? { touchedEverything ? nil : touched }
}
