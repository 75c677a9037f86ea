import Foundation
@testable import Storage
import Testing

/// What committed writes touched, as caches see it.
@Suite("Change log")
struct ChangeLogTests {
    static func store() throws -> Store {
        let store = try Store()
        try store.write { db in
            try AccountRecord(id: "000000000000", alias: nil, createdAt: 0).insert(db)
            for id in ["AIDAALICE", "AIDABOB"] {
                try UserRecord(id: id, accountId: "000000000000", name: id, path: "/", createdAt: 0).insert(db)
            }
            try RoleRecord(
                id: "AROAAPP", accountId: "000000000000", name: "app", path: "/", trustPolicy: "{}", description: nil,
                maxSessionDuration: 3600, createdAt: 0
            ).insert(db)
        }
        return store
    }

    @Test("a write that tags one user leaves what was read about another current, and not what was read about the tagged one")
    func touchedOnly() throws {
        let store = try Self.store()
        let before = store.changes.sequence
        try store.transaction(.write) { tx in
            try TagRecord.replace(of: "AIDAALICE", with: [TagRecord(resourceId: "AIDAALICE", key: "team", value: "a")], in: tx)
        }
        #expect(store.changes.isCurrent(since: before, [.principal("AIDABOB")]))
        #expect(!store.changes.isCurrent(since: before, [.principal("AIDAALICE")]))
        #expect(store.changes.isCurrent(since: store.changes.sequence, [.principal("AIDAALICE")]))
    }

    @Test("raw SQL, or a typed write that changed a cached table without saying what it touched, makes everything stale")
    func unknownWritesInvalidateEverything() throws {
        let store = try Self.store()
        var before = store.changes.sequence
        try store.write { db in try db.execute(sql: "UPDATE user SET path = '/x/' WHERE id = 'AIDABOB'") }
        #expect(!store.changes.isCurrent(since: before, [.principal("AIDAALICE")]))

        before = store.changes.sequence
        try store.transaction(.write) { tx in
            // Bookkeeping on its own: changes the role table and touches nothing.
            try RoleRecord.recordUse("AROAAPP", at: 1, region: "us-east-1", in: tx)
        }
        #expect(!store.changes.isCurrent(since: before, [.principal("AIDAALICE")]))
    }

    @Test("a read transaction or a rolled-back write changes nothing a cache holds")
    func readsAndRollbacks() throws {
        let store = try Self.store()
        let before = store.changes.sequence
        _ = try store.transaction(.read) { tx in try UserRecord.named("AIDAALICE", account: "000000000000", in: tx) }
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try store.transaction(.write) { tx in
                try TagRecord.replace(of: "AIDAALICE", with: [TagRecord(resourceId: "AIDAALICE", key: "k", value: "v")], in: tx)
                throw Refused()
            }
        }
        #expect(store.changes.isCurrent(since: before, [.principal("AIDAALICE"), .principal("AIDABOB")]))
        #expect(try store.transaction(.read) { tx in try TagRecord.all(of: "AIDAALICE", in: tx) }.isEmpty)
    }
}
