import CSQLite
import Glibc
import Synchronization

/// The store's connections, as GRDB's DatabasePool kept them: one writer,
/// whose transactions run one at a time, and readers, each read a
/// transaction of its own that sees one committed state while a write goes
/// on (WAL). An in-memory database has only the writer, which then serves
/// reads too, one transaction at a time.
///
/// Transactions run on the caller's thread; they must not nest (a write
/// inside a write on the same thread is a programming error, and traps).
final class DatabasePool: @unchecked Sendable {
    private let writer: Database
    private let writerLock = ConnectionLock()
    /// nil for an in-memory database.
    private let path: String?
    private let readersLock = ConnectionLock()
    private var idleReaders: [Database] = []
    /// Readers kept open between reads; more are opened when reads overlap, and closed after.
    private static let maximumIdleReaders = 4

    /// Opens (creating) the database file at `path` in WAL mode; `prepare`
    /// runs on every connection opened.
    init(path: String, prepare: @escaping (Database) throws -> Void) throws {
        writer = try Database(path: path)
        self.path = path
        self.prepare = prepare
        // WAL is a property of the file: readers opened later find it.
        guard try String.fetchOne(writer, sql: "PRAGMA journal_mode = WAL")?.lowercased() == "wal" else {
            throw DatabaseError(resultCode: SQLITE_ERROR, message: "could not put \(path) in WAL mode")
        }
        try prepare(writer)
    }

    /// A private in-memory database (tests).
    init() throws {
        writer = try Database(path: ":memory:")
        path = nil
        prepare = { _ in }
    }

    private let prepare: (Database) throws -> Void

    /// `body` in a read transaction (`BEGIN DEFERRED`): one snapshot throughout.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        guard path != nil else {
            return try writerLock.withLock { try Self.transaction(writer, begin: "BEGIN DEFERRED", body) }
        }
        let reader = try takeReader()
        defer { giveBack(reader) }
        return try Self.transaction(reader, begin: "BEGIN DEFERRED", body)
    }

    /// `body` in a write transaction (`BEGIN IMMEDIATE`), committed when it
    /// returns and rolled back when it throws.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try writerLock.withLock { try Self.transaction(writer, begin: "BEGIN IMMEDIATE", body) }
    }

    /// `body` with the writer and no transaction (migrations, checkpoints).
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try writerLock.withLock { try body(writer) }
    }

    private static func transaction<T>(_ db: Database, begin: String, _ body: (Database) throws -> T) throws -> T {
        try db.execute(cached: begin)
        let result: T
        do {
            result = try body(db)
            try db.execute(cached: "COMMIT")
        } catch {
            // A failed COMMIT (a deferred foreign key) leaves the transaction open.
            if db.isInsideTransaction { try? db.execute(cached: "ROLLBACK") }
            throw error
        }
        return result
    }

    private func takeReader() throws -> Database {
        if let reader = readersLock.withLock({ idleReaders.popLast() }) { return reader }
        let reader = try Database(path: path!, readOnly: true)
        try prepare(reader)
        return reader
    }

    private func giveBack(_ reader: Database) {
        // A reader left inside a transaction (a failed COMMIT) would pin an old snapshot.
        guard !reader.isInsideTransaction else { return }
        readersLock.withLock {
            if idleReaders.count < Self.maximumIdleReaders { idleReaders.append(reader) }
        }
    }
}

/// A mutex that traps, rather than deadlocks, when its holder takes it again
/// (a transaction nested in another on the same thread).
final class ConnectionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// The holding thread (pthread_t is an integer on Linux), 0 when free.
    private let owner = Atomic<UInt>(0)

    init() {
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        let me = UInt(pthread_self())
        if owner.load(ordering: .relaxed) == me {
            fatalError("a database transaction inside another on the same thread: connections are not reentrant")
        }
        pthread_mutex_lock(mutex)
        owner.store(me, ordering: .relaxed)
        defer {
            owner.store(0, ordering: .relaxed)
            pthread_mutex_unlock(mutex)
        }
        return try body()
    }
}
