#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A virtual MFA device (`name`, `path`, `seed` set) or a hardware one enabled by serial number.
public struct MFADeviceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "mfaDevice"

    public var serialNumber: String
    public var accountId: String
    public var name: String?
    public var path: String?
    public var seed: Data?
    public var userId: String?
    public var enabledAt: Double?
    public var createdAt: Double

    public init(
        serialNumber: String, accountId: String, name: String? = nil, path: String? = nil, seed: Data? = nil,
        userId: String? = nil, enabledAt: Double? = nil, createdAt: Double
    ) {
        self.serialNumber = serialNumber
        self.accountId = accountId
        self.name = name
        self.path = path
        self.seed = seed
        self.userId = userId
        self.enabledAt = enabledAt
        self.createdAt = createdAt
    }
}
