import Hashing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Secrets the server signs with, made once per data directory so that
/// what was signed (registry tokens, download URLs) survives a restart.
public enum ServerSecret {
    public static func value(named name: String, in store: Store) throws -> [UInt8] {
        let sql = "SELECT value FROM serverSecret WHERE name = ?"
        if let existing = try store.read({ db in try Data.fetchOne(db, cached: sql, arguments: [name]) }) {
            return Array(existing)
        }
        return try store.write { db in
            if let raced = try Data.fetchOne(db, cached: sql, arguments: [name]) { return Array(raced) }
            let fresh = Data(SecureRandom.bytes(32))
            try db.execute(cached: "INSERT INTO serverSecret (name, value) VALUES (?, ?)", arguments: [name, fresh])
            return Array(fresh)
        }
    }
}
