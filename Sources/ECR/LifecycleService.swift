import Logging
import ServiceKit
import ServiceLifecycle
import Storage

/// Applies every repository's lifecycle policy on an interval, as ECR does
/// in the background (AWS: "within 24 hours"; here the operator sets the pace).
/// Expiring an image deletes it as BatchDeleteImage would. One transaction
/// per repository: a repository's sweep happens whole or not at all.
public struct LifecycleService: Service, CustomStringConvertible {
    let store: Store
    let clock: any ServiceKit.Clock
    let interval: Duration
    let logger: Logger

    /// ServiceLifecycle names every service "\(service)"; without a description
    /// that reflects each stored property through Mirror, part of every start.
    public var description: String { "LifecycleService" }

    /// - Parameter interval: time between sweeps; zero turns the sweeps off.
    public init(store: Store, clock: any ServiceKit.Clock, interval: Duration, logger: Logger) {
        self.store = store
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        guard interval > .zero else {
            // Off: stay a member of the group until it shuts down (returning
            // early would end the whole group).
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while true {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                await sweepLogging()
            }
        }
    }

    /// One pass over every repository with a policy; returns the images acted on.
    @discardableResult
    public func sweep() async throws -> Int {
        let repositories = try store.transaction(.read) { tx in try RepositoryRecord.withLifecyclePolicy(in: tx) }
        var expired = 0
        for repository in repositories {
            let now = clock.now().secondsSince1970
            expired += try store.transaction(.write) { tx in
                // Read again inside the transaction: the policy or the repository may have changed.
                guard let current = try tx.fetch(RepositoryRecord.self, key: repository.arn) else { return 0 }
                return try LifecyclePolicies.apply(to: current, now: now, tx)
            }
        }
        return expired
    }

    private func sweepLogging() async {
        do {
            let acted = try await sweep()
            if acted > 0 { logger.info("lifecycle policies expired or archived \(acted) image(s)") }
        } catch {
            logger.error("lifecycle sweep failed: \(error)")
        }
    }
}
