import ECR
import Logging
import ServiceKit
import ServiceLifecycle
import Storage

/// Background work of the server, run as a service of its ServiceGroup:
/// expired sessions are forgotten after a week (until then their use answers
/// ExpiredToken, as AWS does), and unreachable uploads and blobs are collected.
public struct Housekeeping: Service, CustomStringConvertible {
    let store: Store
    let clock: any Clock
    let interval: Duration
    let logger: Logger

    /// ServiceLifecycle names every service "\(service)"; without a description
    /// that reflects each stored property through Mirror, ~2 ms of every start.
    public var description: String { "Housekeeping" }

    /// How long an expired session is remembered.
    public static let expiredSessionRetention: Double = 7 * 24 * 3600

    public func run() async throws {
        guard interval > .zero else {
            // Off: stay in the group until it shuts down (a service that returns ends the group).
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            // A cancelled sleep is how a graceful shutdown reaches this loop: stop quietly.
            while (try? await Task.sleep(for: interval)) != nil {
                sweep()
            }
        }
    }

    /// One round of collection; also what `gatehouse gc` runs on a data
    /// directory no server holds.
    public static func sweep(
        _ store: Store, now: Double, progress: ((BlobCollector.Progress) -> Void)? = nil
    ) throws -> BlobCollector.Report {
        try store.transaction(.write) { tx in
            try SessionCredentialRecord.deleteExpired(before: now - expiredSessionRetention, in: tx)
            try ConsoleSessionRecord.deleteExpired(before: now, in: tx)
            try PolicyGenerationRecord.deleteStarted(before: now - PolicyGenerationRecord.retention, in: tx)
        }
        let report = try BlobCollector.collect(store, now: now, progress: progress, releasingLayers: UnreferencedLayers.release)
        try store.checkpoint()
        return report
    }

    func sweep() {
        do {
            let report = try Self.sweep(store, now: clock.now().secondsSince1970)
            if !report.isEmpty {
                logger.info(
                    "collected \(report.uploads) abandoned uploads, \(report.layers) unreferenced layers, \(report.blobs) blobs")
            }
        } catch {
            logger.error("housekeeping failed: \(error)")
        }
    }
}
