/// The last scan asked for on an image, and how it ended.
public struct ImageScanRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "imageScan"

    public var repositoryArn: String
    public var digest: String
    /// An `ImageScanStatus` status: `FAILED`, `UNSUPPORTED_IMAGE`, …
    public var status: String
    public var description: String?
    public var startedAt: Double

    public init(repositoryArn: String, digest: String, status: String, description: String?, startedAt: Double) {
        self.repositoryArn = repositoryArn
        self.digest = digest
        self.status = status
        self.description = description
        self.startedAt = startedAt
    }
}
