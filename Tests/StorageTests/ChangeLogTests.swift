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
            // Changes the role table and says nothing of it.
            try tx.db.execute(sql: "UPDATE role SET lastUsedAt = 1 WHERE id = 'AROAAPP'")
        }
        #expect(!store.changes.isCurrent(since: before, [.principal("AIDAALICE")]))
    }

    @Test("writing noted usage (last used dates, last accessed services) leaves every cache warm")
    func usageIsBookkeeping() throws {
        let store = try Self.store()
        let before = store.changes.sequence
        store.usage.record(
            entity: ("AIDAALICE", .user, "alice"), accountId: "000000000000", accessKeyId: "AKIAALICE", service: "iam",
            action: "ListRoles", region: "us-east-1", at: 5)
        try store.flushUsage()
        #expect(store.changes.isCurrent(since: before, [.principal("AIDAALICE"), .credential("AKIAALICE")]))
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
