import Foundation
import JSON
import Synchronization

/// Every authorization decision, recent ones kept in memory (served at
/// `/_gatehouse/decisions`) and, when the operator asks, appended to a
/// JSON-lines file: who, what, which resource, the outcome and why.
public final class DecisionLog: Sendable {
    public struct Entry: Sendable {
        public var time: Double
        public var requestId: String
        public var principal: String
        public var action: String
        public var resource: String
        /// `allowed`, `explicitDeny`, `implicitDeny`.
        public var outcome: String
        /// Whether the request was refused (false in audit mode even when denied).
        public var enforced: Bool
        public var reason: String?
        /// `policy-id#statement` of the deciding statements.
        public var statements: [String]
        /// Position in the log since the server started, from 1; set by
        /// `record(_:)`, so that a reader can ask for what came after it.
        public var sequence: UInt64 = 0

        public var json: String {
            var w = JSONWriter()
            w.objectStart()
            w.key("sequence"); w.value(Int64(sequence))
            w.key("time"); w.value(time)
            w.key("requestId"); w.value(requestId)
            w.key("principal"); w.value(principal)
            w.key("action"); w.value(action)
            w.key("resource"); w.value(resource)
            w.key("outcome"); w.value(outcome)
            w.key("enforced"); w.value(enforced)
            if let reason { w.key("reason"); w.value(reason) }
            w.key("statements")
            w.arrayStart()
            for s in statements { w.value(s) }
            w.arrayEnd()
            w.objectEnd()
            return w.string
        }
    }

    private let capacity: Int
    private let entries = Mutex<(next: UInt64, list: [Entry])>((1, []))
    private let file: FileHandle?

    public init(capacity: Int = 1000, file: URL? = nil) {
        self.capacity = capacity
        if let file {
            if !FileManager.default.fileExists(atPath: file.path) {
                FileManager.default.createFile(atPath: file.path, contents: nil)
            }
            let handle = try? FileHandle(forWritingTo: file)
            _ = try? handle?.seekToEnd()
            self.file = handle
        } else {
            self.file = nil
        }
    }

    public func record(_ entry: Entry) {
        var entry = entry
        entries.withLock { entries in
            entry.sequence = entries.next
            entries.next += 1
            if entries.list.count >= capacity { entries.list.removeFirst(entries.list.count - capacity + 1) }
            entries.list.append(entry)
            // Written under the lock so lines never interleave.
            file?.write(Data((entry.json + "\n").utf8))
        }
    }

    /// Most recent last: the last `limit` entries that pass the filters —
    /// or, given `after`, the first `limit` whose sequence number follows it,
    /// so that a reader following the log pages forward without gaps.
    public func recent(limit: Int = 100, deniedOnly: Bool = false, principal: String? = nil, after: UInt64? = nil) -> [Entry] {
        let all = entries.withLock { $0.list }
        let filtered = all.filter { entry in
            (!deniedOnly || entry.outcome != "allowed") && (principal.map { entry.principal == $0 } ?? true)
                && (after.map { entry.sequence > $0 } ?? true)
        }
        return after == nil ? Array(filtered.suffix(limit)) : Array(filtered.prefix(limit))
    }
}
