/// How replicating an image to one destination registry ended
/// (DescribeImageReplicationStatus), written when the push replicated it.
public struct ImageReplicationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "imageReplication"

    public var repositoryArn: String
    public var digest: String
    /// The destination registry: account and region.
    public var registryId: String
    public var region: String
    /// `COMPLETE` or `FAILED`.
    public var status: String
    public var failureCode: String?

    public init(repositoryArn: String, digest: String, registryId: String, region: String, status: String, failureCode: String?) {
        self.repositoryArn = repositoryArn
        self.digest = digest
        self.registryId = registryId
        self.region = region
        self.status = status
        self.failureCode = failureCode
    }
}

extension ImageReplicationRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    /// An image's replications, by destination.
    public static func all(repositoryArn: String, digest: String, in tx: Transaction) throws -> [ImageReplicationRecord] {
        try ImageReplicationRecord.fetchAll(
            tx.db, cached: "SELECT * FROM imageReplication WHERE repositoryArn = ? AND digest = ? ORDER BY registryId, region",
            arguments: [repositoryArn, digest])
    }
}
