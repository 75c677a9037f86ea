#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import JSON
import ServiceKit

/// A seed file: the accounts (and their root keys) a fresh data directory
/// starts with, and the signing keys of OpenID Connect issuers (Gatehouse is
/// offline: it cannot fetch an issuer's JWKS).
///
/// ```json
/// {"format": "gatehouse-seed/1", "defaultRegion": "us-east-1",
///  "accounts": [{"id": "000000000000", "rootAccessKeys": [{"accessKeyId": "test", "secretAccessKey": "test"}],
///                "rootEmail": "root@example.com", "rootPassword": "…", "rootPasswordHash": "pbkdf2-sha256$…"}],
///  "openIDConnectKeys": [{"issuer": "https://token.actions.githubusercontent.com", "jwks": {"keys": [...]}}]}
/// ```
struct SeedDocument: Sendable {
    struct Account: Sendable {
        var id: String
        var alias: String?
        var rootAccessKeys: [(id: String, secret: String)]
        /// How the root user signs in to the web console: the password, or
        /// its hash as PasswordHash stores it (which is used when given, so
        /// that a start needs no ~20 ms of hashing: the bundled seed has both).
        var rootSignIn: (email: String, password: String?, passwordHash: String?)?
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    static let format = "gatehouse-seed/1"

    var defaultRegion: String?
    var accounts: [Account]
    /// (issuer, key id, JWK as JSON text)
    var signingKeys: [(issuer: String, kid: String, jwk: String)] = []

    init(file: URL) throws {
        try self.init(json: try Self.parse(file), file: file)
    }

    /// The default seed (`default.json`) of the data sets.
    init(defaultSeed dataSets: DataSets) throws {
        let file = (dataSets.directory ?? URL(fileURLWithPath: "(compiled in)")).appendingPathComponent(DataSets.File.defaultSeed.rawValue)
        let root: JSONValue
        do {
            root = try JSONParser.parse(try dataSets.bytes(.defaultSeed))
        } catch {
            throw FormatError(description: "\(file.path): \(error)")
        }
        try self.init(json: root, file: file)
    }

    /// A seed file's JSON, read once: `--seed` also takes state snapshots,
    /// told apart by their `format`.
    static func parse(_ file: URL) throws -> JSONValue {
        let data = try Data(contentsOf: file)
        do {
            return try JSONParser.parse(Array(data))
        } catch {
            throw FormatError(description: "\(file.path): \(error)")
        }
    }

    init(json root: JSONValue, file: URL) throws {
        guard root["format"]?.stringValue == Self.format else {
            throw FormatError(description: "\(file.path): \"format\" must be \"\(Self.format)\" (or \"gatehouse-state/1\" for a state snapshot)")
        }
        defaultRegion = root["defaultRegion"]?.stringValue
        accounts = []
        for entry in root["accounts"]?.arrayValue ?? [] {
            guard let id = entry["id"]?.stringValue, id.count == 12, id.allSatisfy(\.isNumber) else {
                throw FormatError(description: "\(file.path): every account needs a 12-digit \"id\"")
            }
            var keys: [(String, String)] = []
            for key in entry["rootAccessKeys"]?.arrayValue ?? [] {
                guard let keyId = key["accessKeyId"]?.stringValue, let secret = key["secretAccessKey"]?.stringValue else {
                    throw FormatError(description: "\(file.path): root access keys need accessKeyId and secretAccessKey")
                }
                keys.append((keyId, secret))
            }
            var rootSignIn: (String, String?, String?)?
            let passwordHash = entry["rootPasswordHash"]?.stringValue
            if let passwordHash, !PasswordHash.isWellFormed(passwordHash) {
                throw FormatError(description: "\(file.path): rootPasswordHash must be a pbkdf2-sha256$ITERATIONS$SALT$HASH hash")
            }
            switch (entry["rootEmail"]?.stringValue, entry["rootPassword"]?.stringValue) {
            case (let email?, let password):
                guard email.contains("@"), password.map({ !$0.isEmpty }) ?? (passwordHash != nil) else {
                    throw FormatError(description: "\(file.path): rootEmail must be an email address and rootPassword not empty")
                }
                rootSignIn = (email, password, passwordHash)
            case (nil, nil) where passwordHash == nil:
                rootSignIn = nil
            default:
                throw FormatError(description: "\(file.path): give both rootEmail and rootPassword, or neither")
            }
            accounts.append(Account(id: id, alias: entry["alias"]?.stringValue, rootAccessKeys: keys, rootSignIn: rootSignIn))
        }
        for entry in root["openIDConnectKeys"]?.arrayValue ?? [] {
            guard let issuer = entry["issuer"]?.stringValue, let keys = entry["jwks"]?["keys"]?.arrayValue else {
                throw FormatError(description: "\(file.path): openIDConnectKeys entries need an issuer and a jwks with keys")
            }
            for key in keys {
                guard key["kty"]?.stringValue != nil else {
                    throw FormatError(description: "\(file.path): every JWK needs a kty")
                }
                signingKeys.append((issuer, key["kid"]?.stringValue ?? "", key.serialized))
            }
        }
    }
}
