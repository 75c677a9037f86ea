/// A repository's last lifecycle policy preview: the policy it ran and the
/// images it would expire (JSON), as they were when it started.
public struct LifecyclePreviewRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "lifecyclePreview"

    public var repositoryArn: String
    public var policy: String
    public var results: String
    public var startedAt: Double

    public init(repositoryArn: String, policy: String, results: String, startedAt: Double) {
        self.repositoryArn = repositoryArn
        self.policy = policy
        self.results = results
        self.startedAt = startedAt
    }
}
