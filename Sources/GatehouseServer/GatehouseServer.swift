import AWSShapes
import ECR
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import IAM
import Registry
import Logging
import NIOCore
import STS
import ServiceKit
import ServiceLifecycle
import Storage

/// Assembles Gatehouse: opens (and seeds) the state, builds the services and
/// the one HTTP listener, and runs them until SIGTERM/SIGINT.
public struct GatehouseServer: Sendable {
    public let configuration: ServerConfiguration

    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
    }

    /// Runs until a termination signal; `onReady` gets the bound port.
    public func run(onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var logger = Logger(label: "gatehouse")
        logger.logLevel = configuration.logLevel

        let clock = SystemClock()
        let seeder = try Seeder(configuration: configuration)
        // Held until run returns: no second server or offline import may write under this one's caches.
        let lock = try DataDirectoryLock(directory: configuration.dataDirectory)
        defer { withExtendedLifetime(lock) {} }
        let store = try Store(directory: configuration.dataDirectory)
        try seeder.seedIfEmpty(store, now: clock.now().secondsSince1970)

        let advertisedHost = configuration.advertisedHost ?? "\(configuration.host):\(configuration.port)"
        let catalog = ManagedPolicyCatalog(configuration.dataSets)
        let authorizer = PolicyAuthorizer(
            store: store, catalog: catalog, providers: [IAMResources(), ECRResources()], mode: configuration.enforcement,
            log: DecisionLog(file: configuration.decisionLogFile))
        let environment = ServiceEnvironment(
            store: store, clock: clock, ids: SecureIdentifierGenerator(), authorizer: authorizer,
            managedPolicies: catalog,
            settings: .init(
                defaultAccountId: seeder.defaultAccountId, defaultRegion: seeder.defaultRegion,
                advertisedHost: advertisedHost, registryDomain: configuration.registryDomain),
            services: ServiceCatalogFile(configuration.dataSets))

        let edge = try Edge(
            environment: environment, iam: IAMService.make(), sts: STSService.make(), ecr: ECRService.make(),
            credentials: CredentialResolver(store: store), seeder: seeder, decisions: authorizer.log,
            adminToken: configuration.adminToken, acceptUnknownKeys: configuration.acceptUnknownKeys)

        let app = Application(
            router: edge.router(),
            // Hummingbird's idle timeout runs whenever a connection waits for the client:
            // no request yet, half a head, a body that stopped arriving.
            server: .http1(configuration: .init(
                additionalChannelHandlers: [ExpectContinueHandler()],
                idleTimeout: TimeAmount(configuration.readTimeout))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            services: [
                Housekeeping(store: store, clock: clock, interval: configuration.housekeepingInterval, logger: logger),
                LifecycleService(store: store, clock: clock, interval: configuration.lifecycleInterval, logger: logger),
                UsageFlusher(store: store, interval: .seconds(1), logger: logger),
            ],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                if configuration.advertisedHost == nil {
                    environment.settings.advertise("\(configuration.host):\(port)")
                }
                onReady(port)
            },
            logger: logger)
        // As Application.runService, with a bound on the graceful part: a request
        // still in progress when it ends is cancelled and its connection closed.
        var group = ServiceGroupConfiguration(
            services: [.init(service: app, serviceName: "Gatehouse")], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = configuration.shutdownGrace
        try await ServiceGroup(configuration: group).run()
        // Requests the listener finished after the flusher's last round.
        try store.flushUsage()
    }
}
