import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StateSnapshot
import Storage

/// `--data-dir` for the commands that open a data directory themselves.
struct DataDirectoryOption: ParsableArguments {
    @Option(help: "The data directory (or set GATEHOUSE_DATA_DIR).")
    var dataDir: String = Environment.value("GATEHOUSE_DATA_DIR") ?? ".gatehouse"

    var directory: URL { URL(fileURLWithPath: dataDir) }

    /// The store of a directory that already holds state. Reading it is safe
    /// while a server runs on it.
    func existingStore() throws -> Store {
        try requireState()
        return try Store(directory: directory)
    }

    func requireState() throws {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("state.sqlite").path) else {
            throw CommandRefusal("there is no Gatehouse state in \(directory.path)")
        }
    }

    /// Runs `body` on the store holding the directory's lock, which a running
    /// server holds too: its caches see only its own writes. `instead` says
    /// what to do when a server has the directory.
    func withExclusiveStore<T>(instead: String, _ body: (Store) throws -> T) throws -> T {
        let lock: DataDirectoryLock
        do {
            lock = try DataDirectoryLock(directory: directory)
        } catch is DataDirectoryLock.Held {
            throw CommandRefusal("a Gatehouse server is running on \(directory.path); \(instead)")
        }
        return try withExtendedLifetime(lock) { try body(try Store(directory: directory)) }
    }
}

/// Why a command could not do what it was asked (exit status 1).
struct CommandRefusal: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension Console {
    /// Runs a command's work and turns its failures into AWS-CLI-like exits:
    /// "error: …" on standard error, status 1 for a refusal (bad input, a
    /// server that said no), 2 when the server could not be reached.
    static func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as AdminClient.Failure {
            error("error: \(failure)")
            throw ExitCode(2)
        } catch let refusal where refusal is SnapshotError || refusal is CommandRefusal || refusal is AdminClient.Refused {
            error("error: \(refusal)")
            throw ExitCode.failure
        }
    }
}
