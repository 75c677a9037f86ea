#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who may write a data directory. A running server keeps in-memory caches
/// (access keys, compiled policies) that only its own writes invalidate, so
/// no other process may write under it: the server holds an exclusive lock on
/// `DIR/lock` while it runs, and offline tools (`state import`) take the same
/// lock. The kernel drops the lock when its holder dies, even by `kill -9`.
public final class DataDirectoryLock: Sendable {
    public struct Held: Error, CustomStringConvertible {
        public let directory: URL
        public var description: String { "another Gatehouse process is using the data directory \(directory.path)" }
    }

    private let descriptor: Int32

    /// Takes the lock or throws `Held` at once (never waits).
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let descriptor = open(directory.appendingPathComponent("lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Held(directory: directory)
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
