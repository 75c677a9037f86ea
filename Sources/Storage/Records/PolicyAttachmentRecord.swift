/// Which kind of IAM identity a policy is attached to or embedded in.
public enum PrincipalType: String, Codable, Sendable, DatabaseValueConvertible {
    case user, role, group
}

public struct PolicyAttachmentRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "policyAttachment"

    public var principalId: String
    public var principalType: PrincipalType
    public var accountId: String
    public var policyArn: String
    public var attachedAt: Double

    public init(principalId: String, principalType: PrincipalType, accountId: String, policyArn: String, attachedAt: Double) {
        self.principalId = principalId
        self.principalType = principalType
        self.accountId = accountId
        self.policyArn = policyArn
        self.attachedAt = attachedAt
    }
}

public struct InlinePolicyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "inlinePolicy"

    public var principalId: String
    public var principalType: PrincipalType
    public var accountId: String
    public var name: String
    public var document: String

    public init(principalId: String, principalType: PrincipalType, accountId: String, name: String, document: String) {
        self.principalId = principalId
        self.principalType = principalType
        self.accountId = accountId
        self.name = name
        self.document = document
    }
}

extension PolicyAttachmentRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        principalId = row["principalId"]
        principalType = row["principalType"]
        accountId = row["accountId"]
        policyArn = row["policyArn"]
        attachedAt = row["attachedAt"]
    }
}

extension InlinePolicyRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        principalId = row["principalId"]
        principalType = row["principalType"]
        accountId = row["accountId"]
        name = row["name"]
        document = row["document"]
    }
}
