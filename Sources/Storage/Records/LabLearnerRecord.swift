/// One learner of an instructor's lab (`gatehouse lab create`): an account of
/// their own with a console user and keys. The roster keeps the password and
/// the key as handed out, so that `gatehouse lab reset` gives the learner the
/// same sign-in back (the instructor's table and CSV hold them too).
public struct LabLearnerRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "labLearner"

    /// `learner-01`, …
    public var name: String
    public var accountId: String
    public var userName: String
    public var password: String
    public var accessKeyId: String
    public var secretAccessKey: String
    /// The lab seed the account starts from (its JSON text), for resets.
    public var seed: String
    public var createdAt: Double

    public init(
        name: String, accountId: String, userName: String, password: String, accessKeyId: String, secretAccessKey: String,
        seed: String, createdAt: Double
    ) {
        self.name = name
        self.accountId = accountId
        self.userName = userName
        self.password = password
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.seed = seed
        self.createdAt = createdAt
    }
}

extension LabLearnerRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    /// Every learner, in the order they were created.
    public static func roster(in tx: Transaction) throws -> [LabLearnerRecord] {
        try LabLearnerRecord.fetchAll(tx.db, cached: "SELECT * FROM labLearner ORDER BY createdAt, name")
    }
}
