import ArgumentParser
import ECR
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GatehouseServer
import Storage

/// `gatehouse gc`: what a server's housekeeping does every --gc-interval,
/// run once on a data directory no server holds.
struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Collect abandoned uploads, unreferenced layers and blobs, and long-expired sessions in a data directory.",
        discussion: """
            The same collection a running server does every --gc-interval seconds, with the same grace \
            periods (an upload is abandoned after a day without bytes, a layer waits a day for a manifest, \
            a blob file must be an hour old). A running server collects its own data directory; this \
            refuses one a server holds. Shows progress on a terminal.
            """)

    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        try await Console.reportingFailures {
            try data.requireState()
            let report = try data.withExclusiveStore(instead: "it collects its own garbage every --gc-interval seconds") { store in
                let progress = ProgressLine()
                defer { progress.finish() }
                return try Housekeeping.sweep(store, now: Date().timeIntervalSince1970) {
                    progress.show($0.phase, done: $0.done, total: $0.total)
                }
            }
            Console.line("collected \(report.uploads) abandoned upload(s), \(report.layers) unreferenced layer(s), \(report.blobs) blob(s)")
        }
    }
}
