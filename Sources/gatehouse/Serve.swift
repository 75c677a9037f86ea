import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GatehouseServer
import Logging
import ServiceKit
import Platform

/// `gatehouse serve`: run the emulator on one port until SIGTERM/SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve IAM, STS, ECR and the registry on one port.",
        discussion: "Every option can also be set with an environment variable: GATEHOUSE_HOST, GATEHOUSE_PORT, GATEHOUSE_DATA_DIR, GATEHOUSE_SEED (comma-separated), GATEHOUSE_LOG_LEVEL, GATEHOUSE_ACCOUNT_ID, GATEHOUSE_ACCEPT_UNKNOWN_KEYS, GATEHOUSE_ADMIN_TOKEN, GATEHOUSE_ADVERTISED_HOST, GATEHOUSE_ENFORCE, GATEHOUSE_DECISION_LOG, GATEHOUSE_GC_INTERVAL, GATEHOUSE_LIFECYCLE_INTERVAL, GATEHOUSE_SEED_DIR.")

    @Option(help: "Address to listen on.")
    var host: String = Environment.value("GATEHOUSE_HOST") ?? "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = Environment.value("GATEHOUSE_PORT").flatMap(Int.init) ?? 4566

    @Option(help: "Where state lives; created and seeded when new.")
    var dataDir: String = Environment.value("GATEHOUSE_DATA_DIR") ?? ".gatehouse"

    @Option(help: "An extra seed file, or a state snapshot (JSON file or OCI layout directory from `state export`), applied to a fresh data directory (repeatable).")
    var seed: [String] = Environment.value("GATEHOUSE_SEED")?.split(separator: ",").map(String.init) ?? []

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = Environment.value("GATEHOUSE_LOG_LEVEL") ?? "info"

    @Option(help: "The default account's id (default 000000000000).")
    var accountId: String? = Environment.value("GATEHOUSE_ACCOUNT_ID")

    @Flag(help: "Treat unknown access keys as the default account's root (for tools that send fake keys).")
    var acceptUnknownKeys: Bool = Environment.flag("GATEHOUSE_ACCEPT_UNKNOWN_KEYS")

    @Option(help: "Token that lets non-loopback peers use /_gatehouse/reset.")
    var adminToken: String? = Environment.value("GATEHOUSE_ADMIN_TOKEN")

    @Option(help: "host:port written into ECR repository URIs (default: the listening address).")
    var advertisedHost: String? = Environment.value("GATEHOUSE_ADVERTISED_HOST")

    @Option(help: "DNS domain (with a wildcard record pointing here) under which registries are ACCOUNT.dkr.ecr.REGION.<domain>.")
    var registryDomain: String? = Environment.value("GATEHOUSE_REGISTRY_DOMAIN")

    @Option(help: "on: denials refuse requests; audit: log them only; off: no policy evaluation.")
    var enforce: String = Environment.value("GATEHOUSE_ENFORCE") ?? "on"

    @Option(help: "Append every authorization decision to this JSON-lines file.")
    var decisionLog: String? = Environment.value("GATEHOUSE_DECISION_LOG")

    @Option(help: "Seconds between collections of abandoned uploads, unreferenced blobs and old sessions (0: never).")
    var gcInterval: Int = Environment.value("GATEHOUSE_GC_INTERVAL").flatMap(Int.init) ?? 600

    @Option(help: "Seconds between applications of ECR lifecycle policies (0: never).")
    var lifecycleInterval: Int = Environment.value("GATEHOUSE_LIFECYCLE_INTERVAL").flatMap(Int.init) ?? 3600

    @Option(help: "Seconds a connection may wait for the client (a request head, the rest of a body) before it is closed.")
    var readTimeout: Int = Environment.value("GATEHOUSE_READ_TIMEOUT").flatMap(Int.init) ?? 60

    @Option(help: "A directory whose default.json, aws-managed-policies.json or service-catalog.json replace the copies compiled into the binary.")
    var seedDir: String? = Environment.value("GATEHOUSE_SEED_DIR")

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard gcInterval >= 0, lifecycleInterval >= 0 else { throw ValidationError("intervals must be 0 or more seconds") }
        guard readTimeout > 0 else { throw ValidationError("--read-timeout must be 1 or more seconds") }
        guard EnforcementMode(rawValue: enforce) != nil else { throw ValidationError("--enforce must be on, audit or off") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        if let accountId, accountId.count != 12 || !accountId.allSatisfy(\.isNumber) {
            throw ValidationError("--account-id must be 12 digits")
        }
    }

    func run() async throws {
        var configuration = ServerConfiguration(dataSets: DataSets(directory: seedDir.map { URL(fileURLWithPath: $0) }))
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = URL(fileURLWithPath: dataDir)
        configuration.extraSeeds = seed.map { URL(fileURLWithPath: $0) }
        configuration.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        configuration.accountId = accountId
        configuration.acceptUnknownKeys = acceptUnknownKeys
        configuration.adminToken = adminToken
        configuration.advertisedHost = advertisedHost
        configuration.registryDomain = registryDomain
        configuration.enforcement = EnforcementMode(rawValue: enforce) ?? .on
        configuration.decisionLogFile = decisionLog.map { URL(fileURLWithPath: $0) }
        configuration.housekeepingInterval = .seconds(gcInterval)
        configuration.lifecycleInterval = .seconds(lifecycleInterval)
        configuration.readTimeout = .seconds(readTimeout)
        LoggingSystem.bootstrap { label in
            var handler = StandardErrorLogHandler(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let host = self.host
        try await GatehouseServer(configuration: configuration).run { boundPort in
            let endpoint = "http://\(host):\(boundPort)"
            let line = "Gatehouse \(ServerConfiguration.version) serving IAM, STS, ECR and Access Analyzer at \(endpoint) — try: AWS_ENDPOINT_URL=\(endpoint) AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws sts get-caller-identity\n"
            // Written straight to the descriptor: stdout may be a pipe, and the line must not wait in a buffer.
            try? PlainFile.standardOutput.write(line)
        }
    }
}

enum Environment {
    static func value(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func flag(_ name: String) -> Bool {
        ["1", "true", "yes", "on"].contains(value(name)?.lowercased() ?? "")
    }
}
