#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An account's credential report: `STARTED` until generated, then `COMPLETE` with its CSV.
public struct CredentialReportRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "credentialReport"

    public var accountId: String
    public var state: String
    public var requestedAt: Double
    public var generatedAt: Double?
    public var content: Data?

    public init(
        accountId: String, state: String, requestedAt: Double, generatedAt: Double? = nil, content: Data? = nil
    ) {
        self.accountId = accountId
        self.state = state
        self.requestedAt = requestedAt
        self.generatedAt = generatedAt
        self.content = content
    }
}
