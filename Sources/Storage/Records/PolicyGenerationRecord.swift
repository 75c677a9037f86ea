/// An IAM Access Analyzer policy generation job (StartPolicyGeneration). It
/// completes as it is created, from the decisions the server has logged, and
/// keeps the calls it read, so later activity does not change an earlier
/// job's policy (GetGeneratedPolicy renders them in the form it is asked for).
public struct PolicyGenerationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "policyGeneration"
    /// ListPolicyGenerations lists "the policy generations requested in the last
    /// seven days" (AWS CLI example; the quota "generated policy visible: 7 days").
    public static let retention: Double = 7 * 86_400

    public var jobId: String
    public var accountId: String
    public var principalArn: String
    /// `SUCCEEDED`, `FAILED`, `CANCELED` (`IN_PROGRESS` is never stored: a job completes as it starts).
    public var status: String
    public var startedOn: Double
    public var completedOn: Double?
    /// The request's `clientToken`: a retry with it answers the same job.
    public var clientToken: String?
    /// The request's `cloudTrailDetails` as GetGeneratedPolicy echoes them
    /// (JSON: `trails`, `accessRole`, `startTime`, `endTime`), nil when it had none.
    public var cloudTrail: String?
    /// The distinct calls read (JSON lines of `[action, resource, outcome]`).
    public var calls: String
    public var errorCode: String?
    public var errorMessage: String?

    public init(
        jobId: String, accountId: String, principalArn: String, status: String, startedOn: Double, completedOn: Double?,
        clientToken: String?, cloudTrail: String?, calls: String, errorCode: String? = nil, errorMessage: String? = nil
    ) {
        self.jobId = jobId
        self.accountId = accountId
        self.principalArn = principalArn
        self.status = status
        self.startedOn = startedOn
        self.completedOn = completedOn
        self.clientToken = clientToken
        self.cloudTrail = cloudTrail
        self.calls = calls
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}
