import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The state of one Gatehouse instance: a SQLite database (WAL) in the data
/// directory, migrated on open.
///
/// Every request's writes go through one write transaction, so a refused
/// request leaves nothing behind. Each committed write is recorded in
/// `changes` with what it touched, which in-memory caches (access keys,
/// compiled policies, resource facts) consult to stay exact without reading
/// the database per request.
public final class Store: Sendable {
    /// Only Storage reaches the connection: everyone else goes through `transaction`.
    let database: DatabasePool
    /// Image blob files, beside the database.
    public let blobs: BlobStore
    /// What committed writes touched, for caches.
    public let changes = ChangeLog()
    /// Usage noted by requests, not yet written (`flushUsage`).
    public let usage = UsageLedger()
    private let transactions = Atomic<UInt64>(0)
    private let cachedTables = CachedTableObserver()

    /// Opens (creating if needed) `state.sqlite` in `directory`.
    public convenience init(directory: URL) throws {
        try self.init(directory: directory, template: StateTemplate.embedded)
    }

    /// Opens `state.sqlite` in `directory`; when there is none yet, it starts
    /// as a copy of `template` (a migrated, empty database: StateTemplate).
    init(directory: URL, template: StateTemplate?) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("state.sqlite").path
        if let template, !FileManager.default.fileExists(atPath: path), !FileManager.default.fileExists(atPath: path + "-wal") {
            try template.write(to: path)
        }
        let pool = try DatabasePool(path: path) { db in
            // NORMAL is durable against a killed process (the WAL is in the OS
            // cache before COMMIT returns); only power loss could lose the tail.
            try db.execute(cached: "PRAGMA synchronous = NORMAL")
            // SQLite checkpoints the WAL inside the commit that crosses this many
            // pages, on the request's thread; at the default 1,000 a stream of small
            // writes paid a checkpoint every few hundred commits. Housekeeping
            // checkpoints in between (Store.checkpoint), so the WAL stays small.
            try db.execute(cached: "PRAGMA wal_autocheckpoint = 10000")
        }
        database = pool
        blobs = try BlobStore(root: directory)
        inMemory = false
        try Schema.migrator.migrate(pool)
        try pool.writeWithoutTransaction { db in cachedTables.observe(db) }
    }

    /// An in-memory database with blobs in a fresh temporary directory, for tests.
    public init() throws {
        let pool = try DatabasePool()
        database = pool
        blobs = try BlobStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-\(UUID().uuidString)"))
        inMemory = true
        try Schema.migrator.migrate(pool)
        try pool.writeWithoutTransaction { db in cachedTables.observe(db) }
    }

    private let inMemory: Bool

    /// Copies what the WAL holds into the database file, as far as no reader
    /// needs the WAL (a passive checkpoint): housekeeping's, between the
    /// automatic ones at 10,000 pages.
    public func checkpoint() throws {
        guard !inMemory else { return }
        try database.writeWithoutTransaction { db in try db.execute(cached: "PRAGMA wal_checkpoint(PASSIVE)") }
    }

    /// Calls `callback` with every statement the writer runs, expanded (for
    /// an in-memory store: every statement), until called with nil. For tests.
    func trace(_ callback: (@Sendable (String) -> Void)?) throws {
        try database.writeWithoutTransaction { db in db.trace(callback) }
    }

    /// How many transactions have run (benchmarks count them per request).
    public var transactionCount: UInt64 { transactions.load(ordering: .relaxed) }

    /// One transaction through which services read and write with the
    /// queries `Storage` defines. A write's thrown error rolls everything
    /// back; a committed write is recorded in `changes` with what it touched.
    ///
    /// Runs in place on the calling thread (see `read` below for why), and
    /// must not be nested: connections are not reentrant.
    public func transaction<T>(_ kind: Transaction.Kind, _ body: (Transaction) throws -> T) throws -> T {
        transactions.add(1, ordering: .relaxed)
        let sequence = changes.sequence
        switch kind {
        case .read:
            return try database.read { db in try body(Transaction(db, kind: .read, sequence: sequence)) }
        case .write:
            var committed: Set<Dependency>?
            let result = try database.write { db in
                cachedTables.reset()
                let transaction = Transaction(db, kind: .write, sequence: sequence, cachedTables: cachedTables)
                let result = try body(transaction)
                // Changed what caches hold without saying what: everything goes stale.
                committed = transaction.touched.isEmpty && cachedTables.hasChanged ? nil : transaction.touched
                return result
            }
            changes.record(committed)
            return result
        }
    }

    /// `body` in `transaction` when the caller is inside one, else in a new
    /// transaction of `kind`: for code that serves both.
    public func transaction<T>(_ kind: Transaction.Kind, within transaction: Transaction?, _ body: (Transaction) throws -> T) throws -> T {
        if let transaction { return try body(transaction) }
        return try self.transaction(kind, body)
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        transactions.add(1, ordering: .relaxed)
        return try database.read(body)
    }

    /// The async forms run the transaction synchronously on the calling thread.
    ///
    /// Async transactions that held a connection across a hop back to the
    /// cooperative pool (as the database library before this layer did)
    /// deadlocked under load: the pool's few threads blocked in synchronous
    /// calls waiting for a connection (seen at 8 concurrent requests on 2
    /// cores). Transactions here are short and never suspend, so running them
    /// in place is both safe and faster (no hop).
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try readInPlace(body)
    }

    /// One transaction of raw SQL; a thrown error rolls everything back. The
    /// store cannot tell what it changed, so every cache entry goes stale.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        transactions.add(1, ordering: .relaxed)
        defer { changes.record(nil) }
        return try database.write(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        transactions.add(1, ordering: .relaxed)
        defer { changes.record(nil) }
        return try writeInPlace(body)
    }

    /// A write that no in-memory cache depends on (pull times, last-used
    /// dates): it records no change, so caches stay warm.
    func bookkeeping(_ body: @escaping @Sendable (Database) throws -> Void) async throws {
        transactions.add(1, ordering: .relaxed)
        try writeInPlace(body)
    }

    // Synchronous by signature, so that an async caller runs the transaction in place.
    private func readInPlace<T>(_ body: (Database) throws -> T) throws -> T {
        transactions.add(1, ordering: .relaxed)
        return try database.read(body)
    }

    private func writeInPlace<T>(_ body: (Database) throws -> T) throws -> T {
        try database.write(body)
    }

    /// Tables that are not part of the emulated world: the server's own signing
    /// secrets survive a reset, or tokens minted after it would not verify.
    static let preservedOnErase: Set<String> = ["serverSecret"]

    func bookkeeping(sync body: (Database) throws -> Void) throws {
        transactions.add(1, ordering: .relaxed)
        try database.write(body)
    }

    /// Replaces the emulated world in one transaction: every row is removed
    /// and `refill` writes the new world, so a concurrent reader sees the old
    /// world or the new one, never an empty or half-filled store.
    public func replaceAll(_ refill: (Transaction) throws -> Void) throws {
        // Usage noted in the old world names entities and keys the new one may reuse.
        _ = usage.drain()
        try write { db in
            try db.execute(cached: "PRAGMA defer_foreign_keys = ON")
            // grdb_migrations is the schema's history: the name GRDB's migrator
            // gave it, kept for the data directories it wrote.
            let tables = try String.fetchAll(
                db, cached: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
            for table in tables where !Self.preservedOnErase.contains(table) {
                try db.execute(cached: "DELETE FROM \(table.quotedDatabaseIdentifier)")
            }
            try refill(Transaction(db, kind: .write, sequence: 0))
        }
    }
}
