// The queries of Access Analyzer's policy generation jobs, beside their record.

// No cache is built from generation jobs: their writes touch nothing.
extension PolicyGenerationRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    /// The account's jobs started at or after `since`, newest first (as
    /// ListPolicyGenerations lists them), for one principal when given.
    public static func started(
        in accountId: String, since: Double, principalArn: String?, in tx: Transaction
    ) throws -> [PolicyGenerationRecord] {
        if let principalArn {
            return try PolicyGenerationRecord.fetchAll(
                tx.db,
                cached: "SELECT * FROM policyGeneration WHERE accountId = ? AND startedOn >= ? AND principalArn = ? ORDER BY startedOn DESC, jobId",
                arguments: [accountId, since, principalArn])
        }
        return try PolicyGenerationRecord.fetchAll(
            tx.db, cached: "SELECT * FROM policyGeneration WHERE accountId = ? AND startedOn >= ? ORDER BY startedOn DESC, jobId",
            arguments: [accountId, since])
    }

    /// The account's latest job started with this client token, if any.
    public static func started(in accountId: String, clientToken: String, in tx: Transaction) throws -> PolicyGenerationRecord? {
        try PolicyGenerationRecord.fetchOne(
            tx.db, cached: "SELECT * FROM policyGeneration WHERE accountId = ? AND clientToken = ? ORDER BY startedOn DESC LIMIT 1",
            arguments: [accountId, clientToken])
    }

    /// Forgets jobs started before `time` (no longer listed or read; this only reclaims their rows).
    public static func deleteStarted(before time: Double, in tx: Transaction) throws {
        try tx.db.execute(cached: "DELETE FROM policyGeneration WHERE startedOn < ?", arguments: [time])
    }
}
