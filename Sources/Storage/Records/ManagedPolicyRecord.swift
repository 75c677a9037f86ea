/// A customer managed policy (AWS managed ones live in the seed catalog).
public struct ManagedPolicyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "managedPolicy"

    public var arn: String
    public var id: String
    public var accountId: String
    public var name: String
    public var path: String
    public var description: String?
    public var defaultVersionId: String
    /// The number the next version gets (`v<n>`); versions are never renumbered.
    public var nextVersionNumber: Int
    public var createdAt: Double
    public var updatedAt: Double

    public init(
        arn: String, id: String, accountId: String, name: String, path: String, description: String?,
        defaultVersionId: String, nextVersionNumber: Int, createdAt: Double, updatedAt: Double
    ) {
        self.arn = arn
        self.id = id
        self.accountId = accountId
        self.name = name
        self.path = path
        self.description = description
        self.defaultVersionId = defaultVersionId
        self.nextVersionNumber = nextVersionNumber
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct PolicyVersionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "policyVersion"

    public var policyArn: String
    public var versionId: String
    public var document: String
    public var createdAt: Double

    public init(policyArn: String, versionId: String, document: String, createdAt: Double) {
        self.policyArn = policyArn
        self.versionId = versionId
        self.document = document
        self.createdAt = createdAt
    }
}

extension ManagedPolicyRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        arn = row["arn"]
        id = row["id"]
        accountId = row["accountId"]
        name = row["name"]
        path = row["path"]
        description = row["description"]
        defaultVersionId = row["defaultVersionId"]
        nextVersionNumber = row["nextVersionNumber"]
        createdAt = row["createdAt"]
        updatedAt = row["updatedAt"]
    }
}

extension PolicyVersionRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        policyArn = row["policyArn"]
        versionId = row["versionId"]
        document = row["document"]
        createdAt = row["createdAt"]
    }
}
