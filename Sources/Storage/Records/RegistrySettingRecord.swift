/// One registry-wide setting of an account in a region (registry policy,
/// replication, scanning, account settings…): a JSON document by key.
public struct RegistrySettingRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "registrySetting"

    public var accountId: String
    public var region: String
    public var key: String
    public var value: String

    public init(accountId: String, region: String, key: String, value: String) {
        self.accountId = accountId
        self.region = region
        self.key = key
        self.value = value
    }

    public static func find(_ db: Database, accountId: String, region: String, key: String) throws -> RegistrySettingRecord? {
        try fetchOne(db, key: ["accountId": accountId, "region": region, "key": key])
    }
}
