/// A record whose writes go stale in-memory facts: what it belongs to.
public protocol TrackedRecord: PersistableRecord {
    /// What a cache built from this record depends on.
    var dependencies: [Dependency] { get }
}

extension Transaction {
    /// The record with this primary key, if any.
    public func fetch<Record: FetchableRecord & TableRecord>(_ type: Record.Type, key: String) throws -> Record? {
        try Record.fetchOne(db, key: key)
    }

    public func insert<Record: TrackedRecord>(_ record: Record) throws {
        try record.insert(db)
        for dependency in record.dependencies { touch(dependency) }
    }

    public func update<Record: TrackedRecord>(_ record: Record) throws {
        try record.update(db)
        for dependency in record.dependencies { touch(dependency) }
    }

    /// Inserts the record, or replaces the one under its primary key.
    public func save<Record: TrackedRecord>(_ record: Record) throws {
        try record.save(db)
        for dependency in record.dependencies { touch(dependency) }
    }

    /// Inserts the record unless one is already under its primary key.
    public func insertIfAbsent<Record: TrackedRecord>(_ record: Record) throws {
        try record.insert(db, onConflict: .ignore)
        for dependency in record.dependencies { touch(dependency) }
    }

    @discardableResult
    public func delete<Record: TrackedRecord>(_ record: Record) throws -> Bool {
        for dependency in record.dependencies { touch(dependency) }
        return try record.delete(db)
    }
}

extension TrackedRecord {
    /// Inserts the record, or replaces the one under its primary key.
    public func save(in tx: Transaction) throws { try tx.save(self) }
}

/// IAM tags and ECR tags share one table, keyed by the IAM entity's id or the ECR resource's ARN.
func tagOwner(_ resourceId: String) -> Dependency {
    resourceId.hasPrefix("arn:") ? .resource(resourceId) : .principal(resourceId)
}
