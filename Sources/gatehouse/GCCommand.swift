import ArgumentParser
import ECR
import Foundation
import GatehouseServer
import Storage

/// `gatehouse gc`: what a server's housekeeping does every --gc-interval,
/// run once on a data directory no server holds.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Collect abandoned uploads, unreferenced layers and blobs, and long-expired sessions in a data directory.",
        discussion: """
            The same collection a running server does every --gc-interval seconds, with the same grace \
            periods (an upload is abandoned after a day without bytes, a layer waits a day for a manifest, \
            a blob file must be an hour old). A running server collects its own data directory; this \
            refuses one a server holds. Shows progress on a terminal.
            """)

    @Option(help: "The data directory (or set GATEHOUSE_DATA_DIR).")
    var dataDir: String = Environment.value("GATEHOUSE_DATA_DIR") ?? ".gatehouse"

    func run() throws {
        let directory = URL(fileURLWithPath: dataDir)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("state.sqlite").path) else {
            throw ValidationError("there is no Gatehouse state in \(directory.path)")
        }
        let lock: DataDirectoryLock
        do {
            lock = try DataDirectoryLock(directory: directory)
        } catch is DataDirectoryLock.Held {
            Console.error("error: a Gatehouse server is running on \(directory.path); it collects its own garbage every --gc-interval seconds")
            throw ExitCode.failure
        }
        let store = try Store(directory: directory)
        let progress = ProgressLine()
        let report = try Housekeeping.sweep(store, now: Date().timeIntervalSince1970) {
            progress.show($0.phase, done: $0.done, total: $0.total)
        }
        progress.finish()
        withExtendedLifetime(lock) {}
        Console.line("collected \(report.uploads) abandoned upload(s), \(report.layers) unreferenced layer(s), \(report.blobs) blob(s)")
    }
}
