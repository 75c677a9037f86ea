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

        public var json: String {
            var w = JSONWriter()
            w.objectStart()
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
    private let entries = Mutex<[Entry]>([])
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
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeFirst(entries.count - capacity + 1) }
            entries.append(entry)
            // Written under the lock so lines never interleave.
            file?.write(Data((entry.json + "\n").utf8))
        }
    }

    /// Most recent last.
    public func recent(limit: Int = 100, deniedOnly: Bool = false, principal: String? = nil) -> [Entry] {
        let all = entries.withLock { $0 }
        let filtered = all.filter { entry in
            (!deniedOnly || entry.outcome != "allowed") && (principal.map { entry.principal == $0 } ?? true)
        }
        return Array(filtered.suffix(limit))
    }
}
