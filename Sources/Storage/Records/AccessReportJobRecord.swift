/// A service last accessed job (GenerateServiceLastAccessedDetails): it
/// completes as it is created, and keeps the report it produced (JSON that
/// IAM writes and reads), so later use does not change an earlier report.
public struct AccessReportJobRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "accessReportJob"

    public var id: String
    public var accountId: String
    /// The user, role, group or policy reported on.
    public var arn: String
    /// `SERVICE_LEVEL` or `ACTION_LEVEL`.
    public var granularity: String
    public var createdAt: Double
    public var report: String

    public init(id: String, accountId: String, arn: String, granularity: String, createdAt: Double, report: String) {
        self.id = id
        self.accountId = accountId
        self.arn = arn
        self.granularity = granularity
        self.createdAt = createdAt
        self.report = report
    }
}
