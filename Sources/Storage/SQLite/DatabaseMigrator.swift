/// Applies the schema's migrations in order, each once, recording each in
/// `grdb_migrations`: the table GRDB's migrator kept, so data directories it
/// migrated continue from where it left them (and it from where this leaves them).
struct DatabaseMigrator {
    private var migrations: [(identifier: String, migrate: (Database) throws -> Void)] = []

    mutating func registerMigration(_ identifier: String, migrate: @escaping (Database) throws -> Void) {
        precondition(!migrations.contains { $0.identifier == identifier }, "migration \(identifier) registered twice")
        migrations.append((identifier, migrate))
    }

    func migrate(_ pool: DatabasePool) throws {
        try pool.writeWithoutTransaction { db in try migrate(db) }
    }

    /// Runs each migration not applied yet in its own transaction, with
    /// foreign keys off and checked before commit, as GRDB did (so that a
    /// migration may rebuild a table, as SQLite's ALTER TABLE guide says).
    func migrate(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        for migration in migrations where !applied.contains(migration.identifier) {
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            try db.execute(sql: "BEGIN IMMEDIATE")
            do {
                try migration.migrate(db)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
                if let violation = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                    throw DatabaseError(
                        resultCode: 787, message: "migration \(migration.identifier) broke a foreign key of table \(violation.databaseValue(at: 0))")
                }
                try db.execute(sql: "COMMIT")
            } catch {
                if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                throw error
            }
        }
    }

    /// The identifiers applied to `db`.
    static func appliedIdentifiers(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
    }
}
