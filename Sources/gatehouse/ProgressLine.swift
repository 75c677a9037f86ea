#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StateSnapshot
import Synchronization
import Platform

/// A progress line on standard error, redrawn in place, only on a terminal
/// (in a pipe or a CI log it would be noise).
final class ProgressLine: Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let drawn = Atomic<Bool>(false)

    func show(_ text: String) {
        guard enabled else { return }
        drawn.store(true, ordering: .relaxed)
        try? PlainFile.standardError.write("\r\(text)\u{1B}[K")
    }

    func show(_ label: String, done: Int, total: Int) {
        show("\(label): \(done)/\(total)")
    }

    func show(_ label: String, _ progress: ImportProgress) {
        let mib = { (bytes: Int64) in (Double(bytes) / 1_048_576).fixed(1) }
        show("\(label): \(progress.blobsDone)/\(progress.blobsTotal), \(mib(progress.bytesDone)) of \(mib(progress.bytesTotal)) MiB")
    }

    /// Ends the line, if one was drawn, so that what follows starts clean.
    func finish() {
        if drawn.load(ordering: .relaxed) { try? PlainFile.standardError.write("\n") }
    }
}
