/// A tag on any resource, keyed by the resource's id (IAM) or ARN (ECR).
public struct TagRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tag"

    public var resourceId: String
    public var key: String
    public var value: String

    public init(resourceId: String, key: String, value: String) {
        self.resourceId = resourceId
        self.key = key
        self.value = value
    }

    /// The tags of a resource, ordered by key as AWS lists them.
    public static func all(_ db: Database, of resourceId: String) throws -> [TagRecord] {
        try TagRecord.fetchAll(db, cached: "SELECT * FROM tag WHERE resourceId = ? ORDER BY key", arguments: [resourceId])
    }
}

extension TagRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        resourceId = row["resourceId"]
        key = row["key"]
        value = row["value"]
    }
}
