import Dispatch
import Foundation
@testable import Storage
import Testing

/// Storage's own SQLite layer: how records are stored (as GRDB stored them,
/// so data directories it wrote still read), keys, transactions, errors and
/// the migrations' history.
@Suite("SQLite layer")
struct SQLiteLayerTests {
    enum Color: String, Codable, DatabaseValueConvertible {
        case red, green
    }

    struct Nested: Codable, Equatable {
        var label: String
        var weight: Double
        var count: Int?
    }

    /// Every kind of value a record holds, each set and unset where it may be.
    struct Sample: Codable, Equatable, FetchableRecord, PersistableRecord {
        static let databaseTableName = "sample"

        var id: String
        var text: String
        var int: Int
        var int64: Int64
        var double: Double
        var flag: Bool
        var bytes: Data
        var color: Color
        var list: [String]
        var nested: Nested
        var optionalText: String?
        var optionalInt: Int?
        var optionalDouble: Double?
        var optionalFlag: Bool?
        var optionalBytes: Data?
        var optionalNested: [Nested]?
    }

    static let sampleTable = """
        CREATE TABLE sample (
            id TEXT PRIMARY KEY NOT NULL, text TEXT NOT NULL, int INTEGER NOT NULL, int64 INTEGER NOT NULL, double REAL NOT NULL,
            flag INTEGER NOT NULL, bytes BLOB NOT NULL, color TEXT NOT NULL, list TEXT NOT NULL, nested TEXT NOT NULL,
            optionalText TEXT, optionalInt INTEGER, optionalDouble REAL, optionalFlag INTEGER, optionalBytes BLOB, optionalNested TEXT)
        """

    static let full = Sample(
        id: "full", text: "héllo \"quoted\" / slashed", int: -7, int64: Int64.max, double: 1.25, flag: true, bytes: Data([0, 1, 255]),
        color: .green, list: ["a/b", "c"], nested: Nested(label: "n", weight: 0.5, count: 3), optionalText: "t", optionalInt: 0,
        optionalDouble: -2.5, optionalFlag: false, optionalBytes: Data(), optionalNested: [Nested(label: "x", weight: 2, count: nil)])

    static let bare = Sample(
        id: "bare", text: "", int: 0, int64: 0, double: 0, flag: false, bytes: Data(), color: .red, list: [],
        nested: Nested(label: "", weight: 0, count: nil), optionalText: nil, optionalInt: nil, optionalDouble: nil, optionalFlag: nil,
        optionalBytes: nil, optionalNested: nil)

    static func sampleStore() throws -> Store {
        let store = try Store()
        try store.write { db in try db.execute(sql: sampleTable) }
        return store
    }

    @Test("a Codable record reads back as written, every kind of value set and unset")
    func roundTrip() throws {
        let store = try Self.sampleStore()
        try store.write { db in
            try Self.full.insert(db)
            try Self.bare.insert(db)
        }
        #expect(try store.read { db in try Sample.fetchOne(db, key: "full") } == Self.full)
        #expect(try store.read { db in try Sample.fetchOne(db, key: "bare") } == Self.bare)
        #expect(try store.read { db in try Sample.fetchAll(db, sql: "SELECT * FROM sample ORDER BY id") } == [Self.bare, Self.full])
        #expect(try store.read { db in try Sample.fetchOne(db, key: "none") } == nil)
    }

    @Test("values are stored as GRDB stored them: Bool 0/1, Data a blob, Double real, enums their raw value, nested values sorted JSON, nil NULL")
    func storageClasses() throws {
        let store = try Self.sampleStore()
        try store.write { db in
            try Self.full.insert(db)
            try Self.bare.insert(db)
        }
        let full = try #require(try store.read { db in
            try Row.fetchOne(db, sql: """
                SELECT typeof(int64), typeof(double), flag, typeof(flag), typeof(bytes), hex(bytes), color, list, nested, optionalNested,
                       typeof(optionalBytes), length(optionalBytes)
                FROM sample WHERE id = 'full'
                """)
        })
        #expect(full[0] as String == "integer")
        #expect(full[1] as String == "real")
        #expect(full[2] as Int == 1 && full[3] as String == "integer")
        #expect(full[4] as String == "blob" && full[5] as String == "0001FF")
        #expect(full[6] as String == "green")
        #expect(full[7] as String == #"["a\/b","c"]"#)
        #expect(full[8] as String == #"{"count":3,"label":"n","weight":0.5}"#)
        #expect(full[9] as String == #"[{"label":"x","weight":2}]"#)
        #expect(full[10] as String == "blob" && full[11] as Int == 0)
        let nulls = try store.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sample WHERE id = 'bare' AND optionalText IS NULL AND optionalInt IS NULL AND optionalDouble IS NULL
                  AND optionalFlag IS NULL AND optionalBytes IS NULL AND optionalNested IS NULL
                """)
        }
        #expect(nulls == 1)
    }

    @Test("update writes every column, nil ones as NULL; save updates or inserts; delete says whether there was a row")
    func updateSaveDelete() throws {
        let store = try Self.sampleStore()
        try store.write { db in try Self.full.insert(db) }
        var cleared = Self.bare
        cleared.id = "full"
        try store.write { db in try cleared.update(db) }
        #expect(try store.read { db in try Sample.fetchOne(db, key: "full") } == cleared)

        var missing = Self.bare
        missing.id = "missing"
        #expect(throws: RecordError.self) { try store.write { db in try missing.update(db) } }
        try store.write { db in try missing.save(db) }
        missing.text = "saved again"
        try store.write { db in try missing.save(db) }
        #expect(try store.read { db in try Sample.fetchAll(db, sql: "SELECT * FROM sample WHERE id = 'missing'") } == [missing])

        #expect(try store.write { db in try missing.delete(db) })
        #expect(try !store.write { db in try missing.delete(db) })
        #expect(try store.read { db in try Sample.fetchCount(db) } == 1)
        #expect(try store.write { db in try Sample.deleteOne(db, key: "full") })
        #expect(try store.read { db in try Sample.fetchCount(db) } == 0)
    }

    @Test("records under a composite key are found, updated, saved and deleted by all of it")
    func compositeKeys() throws {
        let store = try Store()
        let setting = RegistrySettingRecord(accountId: "000000000000", region: "us-east-1", key: "policy", value: "{}")
        let other = RegistrySettingRecord(accountId: "000000000000", region: "eu-west-1", key: "policy", value: "[]")
        try store.write { db in
            try AccountRecord(id: "000000000000", createdAt: 0).insert(db)
            try setting.insert(db)
            try other.insert(db)
        }
        #expect(try store.read { db in try RegistrySettingRecord.find(db, accountId: "000000000000", region: "us-east-1", key: "policy") } == setting)
        var changed = setting
        changed.value = #"{"changed":true}"#
        try store.write { db in try changed.save(db) }
        #expect(try store.read { db in
            try RegistrySettingRecord.fetchOne(db, key: ["accountId": "000000000000", "region": "us-east-1", "key": "policy"])
        } == changed)
        #expect(try store.read { db in try RegistrySettingRecord.fetchOne(db, key: ["accountId": "000000000000", "region": "eu-west-1", "key": "policy"]) } == other)
        #expect(try store.write { db in try changed.delete(db) })
        #expect(try store.read { db in try RegistrySettingRecord.fetchCount(db) } == 1)
        // Insert-if-absent leaves the row already under the key as it is.
        var duplicate = other
        duplicate.value = "ignored"
        try store.write { db in try duplicate.insert(db, onConflict: .ignore) }
        #expect(try store.read { db in try RegistrySettingRecord.fetchAll(db, sql: "SELECT * FROM registrySetting") } == [other])
    }

    @Test("a write that throws leaves nothing behind, and records no change")
    func rollback() throws {
        struct Refused: Error {}
        let store = try Store()
        let sequence = store.changes.sequence
        #expect(throws: Refused.self) {
            try store.transaction(.write) { tx in
                try tx.insert(AccountRecord(id: "000000000000", createdAt: 0))
                try tx.db.execute(sql: "INSERT INTO user (id, accountId, name, path, createdAt) VALUES ('AIDA', '000000000000', 'u', '/', 0)")
                throw Refused()
            }
        }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM account) + (SELECT count(*) FROM user)") } == 0)
        #expect(store.changes.sequence == sequence)
        // The connection is usable again at once.
        try store.transaction(.write) { tx in try tx.insert(AccountRecord(id: "000000000000", createdAt: 0)) }
        #expect(try store.read { db in try AccountRecord.fetchCount(db) } == 1)
    }

    @Test("constraint violations are DatabaseErrors that say which kind, and roll the write back")
    func constraints() throws {
        let store = try Store()
        try store.write { db in try AccountRecord(id: "000000000000", createdAt: 0).insert(db) }
        let duplicate = #expect(throws: DatabaseError.self) {
            try store.write { db in try AccountRecord(id: "000000000000", createdAt: 1).insert(db) }
        }
        #expect(duplicate?.isUniqueViolation == true)
        #expect(duplicate?.isForeignKeyViolation == false)
        let orphan = #expect(throws: DatabaseError.self) {
            try store.write { db in
                try UserRecord(id: "AIDAOK", accountId: "000000000000", name: "ok", path: "/", createdAt: 0).insert(db)
                try UserRecord(id: "AIDAORPHAN", accountId: "999999999999", name: "orphan", path: "/", createdAt: 0).insert(db)
            }
        }
        #expect(orphan?.isForeignKeyViolation == true)
        #expect(try store.read { db in try UserRecord.fetchCount(db) } == 0)
        // Foreign keys cascade: removing the account removes its users.
        try store.write { db in try UserRecord(id: "AIDAOK", accountId: "000000000000", name: "ok", path: "/", createdAt: 0).insert(db) }
        try store.write { db in try AccountRecord.deleteOne(db, key: "000000000000") }
        #expect(try store.read { db in try UserRecord.fetchCount(db) } == 0)
    }

    @Test("every migration is recorded in grdb_migrations, in order, and none runs twice")
    func migrationsRecorded() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-sqlite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = try {
            var identifiers: [String] = []
            let store = try Store(directory: directory)
            try store.read { db in identifiers = try DatabaseMigrator.appliedIdentifiers(db) }
            try store.write { db in try AccountRecord(id: "000000000000", createdAt: 0).insert(db) }
            return identifiers
        }()
        #expect(expected.count == 17)
        #expect(expected.first == "v1: accounts and IAM")
        #expect(expected.last == "access-analyzer-1: policy generation jobs")
        // Reopened: nothing migrates again, and what was written is there.
        let reopened = try Store(directory: directory)
        #expect(try reopened.read { db in try DatabaseMigrator.appliedIdentifiers(db) } == expected)
        #expect(try reopened.read { db in try AccountRecord.fetchCount(db) } == 1)
        #expect(try reopened.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") } == true)
        #expect(try reopened.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a read sees the last committed state while a write is in progress, and the write once it commits")
    func readDuringWrite() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-sqlite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(directory: directory)
        try store.write { db in try AccountRecord(id: "000000000000", createdAt: 0).insert(db) }

        let written = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? store.write { db in
                try AccountRecord(id: "111111111111", createdAt: 0).insert(db)
                written.signal()
                release.wait()
            }
            done.signal()
        }
        written.wait()
        // The write holds its transaction open; reads go on beside it.
        #expect(try store.read { db in try AccountRecord.fetchCount(db) } == 1)
        let snapshot = try store.transaction(.read) { tx in
            let before = try AccountRecord.fetchCount(tx.db)
            release.signal()
            done.wait()
            // Committed meanwhile, but this read's snapshot began before.
            return (before, try AccountRecord.fetchCount(tx.db))
        }
        #expect(snapshot == (1, 1))
        #expect(try store.read { db in try AccountRecord.fetchCount(db) } == 2)
    }

    @Test("cached statements serve many queries, each with its own arguments")
    func cachedStatements() throws {
        let store = try Store()
        try store.write { db in
            for id in ["000000000000", "111111111111", "222222222222"] { try AccountRecord(id: id, createdAt: 0).insert(db) }
        }
        let sql = "SELECT id FROM account WHERE id > ? ORDER BY id"
        let (first, second, named) = try store.read { db in
            (try String.fetchAll(db, cached: sql, arguments: ["000000000000"]),
             try String.fetchAll(db, cached: sql, arguments: ["111111111111"]),
             try String.fetchOne(db, sql: "SELECT :a || :b", arguments: ["a": "x", "b": "y"]))
        }
        #expect(first == ["111111111111", "222222222222"])
        #expect(second == ["222222222222"])
        #expect(named == "xy")
        #expect(throws: DatabaseError.self) { try store.read { db in try String.fetchAll(db, cached: sql, arguments: []) } }
    }
}
