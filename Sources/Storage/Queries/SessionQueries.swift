#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The queries STS makes: the identities it issues sessions for, the keys and
// providers it verifies with.

extension MFADeviceRecord {
    /// The TOTP seed of the device with this serial number, when it is assigned to a user.
    public static func assignedSeed(serialNumber: String, in tx: Transaction) throws -> [UInt8]? {
        let seed = try Data?.fetchOne(
            tx.db, cached: "SELECT seed FROM mfaDevice WHERE serialNumber = ? AND userId IS NOT NULL", arguments: [serialNumber])
        return (seed ?? nil).map { Array($0) }
    }
}

extension SAMLProviderRecord {
    /// A SAML provider's metadata document, by the provider's ARN.
    public static func metadata(of arn: String, in tx: Transaction) throws -> String? {
        try String.fetchOne(tx.db, cached: "SELECT metadata FROM samlProvider WHERE arn = ?", arguments: [arn])
    }
}

extension OIDCProviderRecord {
    /// The account's OpenID Connect provider for an issuer URL (without `https://`).
    public static func forURL(_ url: String, account: String, in tx: Transaction) throws -> OIDCProviderRecord? {
        try OIDCProviderRecord.fetchOne(tx.db, cached: "SELECT * FROM oidcProvider WHERE accountId = ? AND url = ?", arguments: [account, url])
    }
}

/// A key an OpenID Connect issuer signs tokens with, as the operator registered it (a JWK).
public struct OIDCSigningKey: Sendable {
    public var issuer: String
    public var kid: String
    public var jwk: String

    public init(issuer: String, kid: String, jwk: String) {
        self.issuer = issuer
        self.kid = kid
        self.jwk = jwk
    }

    /// Registers the key, replacing one of the same issuer and key id.
    public func save(in tx: Transaction) throws {
        try tx.db.execute(
            cached: "INSERT OR REPLACE INTO oidcSigningKey (issuer, kid, jwk) VALUES (?, ?, ?)", arguments: [issuer, kid, jwk])
    }

    /// Every registered signing key.
    public static func all(in tx: Transaction) throws -> [OIDCSigningKey] {
        try Row.fetchAll(tx.db, cached: "SELECT issuer, kid, jwk FROM oidcSigningKey").map {
            OIDCSigningKey(issuer: $0["issuer"], kid: $0["kid"], jwk: $0["jwk"])
        }
    }
}

/// The account an access key belongs to: a long-term key's or a session's.
public func accountOfAccessKey(_ accessKeyId: String, in tx: Transaction) throws -> String? {
    try String.fetchOne(tx.db, cached: "SELECT accountId FROM accessKey WHERE id = ?", arguments: [accessKeyId])
        ?? String.fetchOne(tx.db, cached: "SELECT accountId FROM sessionCredential WHERE accessKeyId = ?", arguments: [accessKeyId])
}

extension SessionCredentialRecord {
    /// Forgets sessions that expired before `time` (they are refused from
    /// their expiry on; this only reclaims their rows).
    public static func deleteExpired(before time: Double, in tx: Transaction) throws {
        for key in try String.fetchAll(tx.db, cached: "SELECT accessKeyId FROM sessionCredential WHERE expiresAt < ?", arguments: [time]) {
            tx.touch(.credential(key))
        }
        try tx.db.execute(cached: "DELETE FROM sessionCredential WHERE expiresAt < ?", arguments: [time])
    }
}

extension AccountRecord {
    /// Whether the store holds no account yet (a fresh data directory).
    public static func none(in tx: Transaction) throws -> Bool {
        try AccountRecord.fetchCount(tx.db) == 0
    }
}
