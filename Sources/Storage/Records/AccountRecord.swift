public struct AccountRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "account"

    public var id: String
    public var alias: String?
    public var createdAt: Double

    public init(id: String, alias: String? = nil, createdAt: Double) {
        self.id = id
        self.alias = alias
        self.createdAt = createdAt
    }
}
