import Foundation
@testable import Storage
import Testing

/// The migrated, empty database a fresh data directory starts from
/// (StateTemplate): it must be exactly what the migrations make, and a store
/// started from it must be one started by migrating.
@Suite("State template")
struct StateTemplateTests {
    /// Rewrites the committed template when set (after a new migration).
    static let recording = ProcessInfo.processInfo.environment["GATEHOUSE_RECORD_STATE_TEMPLATE"] == "1"
    static let committedPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/EmbeddedData/state-template").path

    @Test("the embedded template holds what the migrations make, and nothing else")
    func embeddedTemplateIsCurrent() throws {
        let migrated = try StateTemplate.migratedImage()
        if Self.recording {
            let compacted = StateTemplate.compacted(migrated.image, pageSize: migrated.pageSize)
            try Data(compacted).write(to: URL(fileURLWithPath: Self.committedPath))
            return
        }
        let embedded = try #require(
            StateTemplate.embedded,
            "no state template compiled in: run GATEHOUSE_RECORD_STATE_TEMPLATE=1 swift test --filter StateTemplateTests, then rebuild")
        let expected = try Self.describe(image: migrated.image)
        let actual = try Self.describe(image: embedded.image)
        #expect(
            actual == expected,
            "Sources/EmbeddedData/state-template is not what the migrations make: run GATEHOUSE_RECORD_STATE_TEMPLATE=1 swift test --filter StateTemplateTests, rebuild, and commit it")
    }

    @Test("compacting keeps every byte, and a start writes them all")
    func compactionRoundTrips() throws {
        let migrated = try StateTemplate.migratedImage()
        let compacted = StateTemplate.compacted(migrated.image, pageSize: migrated.pageSize)
        #expect(compacted.count < migrated.image.count / 4)
        try compacted.withUnsafeBufferPointer { compact in
            let template = try #require(StateTemplate(compact: compact))
            #expect(template.image == migrated.image)
            try Self.withTemporaryDirectory { directory in
                let path = directory.appendingPathComponent("state.sqlite").path
                try template.write(to: path)
                #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == migrated.image)
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["state.sqlite"])
            }
        }
        // Damaged input is refused rather than expanded into a broken database.
        #expect(compacted.dropLast(3).withUnsafeBufferPointer { StateTemplate(compact: $0) } == nil)
        #expect([0, 0, 0, 0].withUnsafeBufferPointer { StateTemplate(compact: $0) } == nil)
    }

    @Test("a store started from a template that predates migrations applies them")
    func staleTemplateIsMigrated() throws {
        // The oldest possible template: a database holding only the empty history table.
        let stale = try Self.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("state.sqlite").path
            do {
                let db = try Database(path: path)
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            }
            return try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let started = try Self.withTemporaryDirectory { directory in
            let compacted = StateTemplate.compacted(stale, pageSize: 4096)
            try compacted.withUnsafeBufferPointer { compact in
                try Store(directory: directory, template: StateTemplate(compact: compact)).checkpoint()
            }
            return try [UInt8](Data(contentsOf: directory.appendingPathComponent("state.sqlite")))
        }
        let expected = try Self.describe(image: StateTemplate.migratedImage().image)
        let actual = try Self.describe(image: started)
        #expect(actual.filter { !expected.contains($0) } == [])
        #expect(expected.filter { !actual.contains($0) } == [])
    }

    @Test("an existing database is opened, never replaced by the template")
    func existingDatabaseIsKept() throws {
        try Self.withTemporaryDirectory { directory in
            do {
                let store = try Store(directory: directory)
                try store.write { db in
                    try db.execute(sql: "INSERT INTO account (id, createdAt) VALUES ('123456789012', 0)")
                }
            }
            let reopened = try Store(directory: directory)
            let accounts = try reopened.read { db in try String.fetchAll(db, sql: "SELECT id FROM account") }
            #expect(accounts == ["123456789012"])
        }
    }

    /// What a database holds, as text to compare: its header settings, its
    /// schema and every row.
    static func describe(image: [UInt8]) throws -> [String] {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("state.sqlite").path
            try Data(image).write(to: URL(fileURLWithPath: path))
            let db = try Database(path: path, readOnly: true)
            var lines: [String] = []
            for pragma in ["page_size", "user_version", "application_id", "auto_vacuum", "encoding", "journal_mode"] {
                let value = try Row.fetchOne(db, sql: "PRAGMA \(pragma)")?.databaseValue(at: 0)
                lines.append("\(pragma) = \(value.map { "\($0)" } ?? "nil")")
            }
            let schema = try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
            lines += schema.map { row in (0..<4).map { "\(row.databaseValue(at: $0))" }.joined(separator: " | ") }
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)")
                lines += rows.map { row in
                    "\(table): " + (0..<row.columnNames.count).map { "\(row.databaseValue(at: $0))" }.joined(separator: ", ")
                }.sorted()
            }
            return lines
        }
    }

    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("state-template-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }
}
