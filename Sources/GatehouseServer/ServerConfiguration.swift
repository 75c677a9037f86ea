#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ServiceKit

/// How an operator runs Gatehouse (`gatehouse serve` flags and environment).
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 4566
    public var dataDirectory: URL = URL(fileURLWithPath: ".gatehouse")
    /// The default seed (account, root key), the AWS managed policy catalog and the
    /// service catalog: compiled in, or overridden file by file from `--seed-dir`.
    public var dataSets: DataSets
    /// Extra seed files applied after the bundled seed.
    public var extraSeeds: [URL] = []
    public var logLevel: Logger.Level = .info
    /// Replaces the default account's id (000000000000).
    public var accountId: String?
    /// Maps unknown access keys to the default account's root (off by default).
    public var acceptUnknownKeys = false
    /// Lets non-loopback peers use the admin endpoints when they present it.
    public var adminToken: String?
    /// `host:port` written into ECR URIs; defaults to the listening address.
    public var advertisedHost: String?
    /// `ACCOUNT.dkr.ecr.REGION.<registryDomain>` addresses registries (needs wildcard DNS).
    public var registryDomain: String?
    /// Whether policy denials refuse requests.
    public var enforcement: EnforcementMode = .on
    /// A JSON-lines file every authorization decision is appended to.
    public var decisionLogFile: URL?
    /// How often abandoned uploads, unreferenced blobs and old sessions are collected (zero: never).
    public var housekeepingInterval: Duration = .seconds(600)
    /// How often ECR lifecycle policies are applied (zero: never).
    public var lifecycleInterval: Duration = .seconds(3600)

    /// How long a connection may go without the client sending a part of a
    /// request it owes: a request head after connecting or after the last
    /// answer, the next piece of a body. Then the connection is closed, so
    /// stalled clients cannot hold sockets forever.
    public var readTimeout: Duration = .seconds(60)
    /// After SIGTERM/SIGINT, how long requests in progress may take to finish
    /// before their connections are closed anyway.
    public var shutdownGrace: Duration = .seconds(10)

    public init(dataSets: DataSets = .embedded) {
        self.dataSets = dataSets
    }

    public static let version = "0.1.0"
}
