#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import AWSShapes
import Platform

/// Log lines on standard error: `time level label: message key=value…`.
///
/// swift-log's `StreamLogHandler` re-renders its metadata every time a key
/// is set; the server sets a request id on every request's logger, so that
/// rendering showed up in profiles of requests that log nothing. Here
/// metadata is only rendered when a line is actually written.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "\(Timestamp(secondsSince1970: Date().timeIntervalSince1970).iso8601) \(event.level) \(label): \(event.message)"
        for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
        line += "\n"
        try? PlainFile.standardError.write(line)
    }
}
