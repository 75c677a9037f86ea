/// One service action an IAM user or role was authenticated to, with the last
/// time and region (written by `UsageLedger`).
public struct ServiceAccess: Sendable, Equatable {
    public var entityId: String
    /// The service namespace (`iam`, `sts`, `ecr`).
    public var service: String
    /// The action's name without its namespace (`GetCallerIdentity`).
    public var action: String
    public var lastAt: Double
    public var region: String

    /// What these users and roles were authenticated to.
    public static func of(_ entityIds: [String], in tx: Transaction) throws -> [ServiceAccess] {
        var found: [ServiceAccess] = []
        for id in entityIds {
            let rows = try Row.fetchAll(
                tx.db, cached: "SELECT service, action, lastAt, region FROM serviceAccess WHERE entityId = ?", arguments: [id])
            for row in rows {
                found.append(ServiceAccess(
                    entityId: id, service: row["service"], action: row["action"], lastAt: row["lastAt"], region: row["region"]))
            }
        }
        return found
    }
}

extension AccountPreferenceRecord {
    /// The account's preferences, or the defaults when it has set none.
    public static func of(_ accountId: String, in tx: Transaction) throws -> AccountPreferenceRecord {
        try tx.fetch(AccountPreferenceRecord.self, key: accountId) ?? AccountPreferenceRecord(accountId: accountId)
    }
}

// No cache is built from preferences or report jobs: their writes touch nothing.
extension AccountPreferenceRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }
}

extension AccessReportJobRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }
}
