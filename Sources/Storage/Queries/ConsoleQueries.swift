// The queries of the web console's sign-in and sessions, beside their records.

extension ConsoleSessionRecord: TrackedRecord {
    /// No cache holds sessions: a session is read on every console request.
    public var dependencies: [Dependency] { [] }

    /// Forgets sessions that expired before `time` (they are refused from
    /// their expiry on; this only reclaims their rows).
    public static func deleteExpired(before time: Double, in tx: Transaction) throws {
        try tx.db.execute(cached: "DELETE FROM consoleSession WHERE expiresAt < ?", arguments: [time])
    }
}

extension RootSignInRecord: TrackedRecord {
    public var dependencies: [Dependency] { [AccountRecord.settings(of: accountId)] }

    /// The root user whose email address this is (compared without regard to case, as AWS does).
    public static func withEmail(_ email: String, in tx: Transaction) throws -> RootSignInRecord? {
        try RootSignInRecord.fetchOne(tx.db, cached: "SELECT * FROM rootSignIn WHERE email = ?", arguments: [email])
    }
}

extension MFADeviceRecord {
    /// The devices assigned to a user, oldest first.
    public static func assigned(to userId: String, in tx: Transaction) throws -> [MFADeviceRecord] {
        try MFADeviceRecord.fetchAll(
            tx.db, cached: "SELECT * FROM mfaDevice WHERE userId = ? ORDER BY enabledAt, serialNumber", arguments: [userId])
    }
}
