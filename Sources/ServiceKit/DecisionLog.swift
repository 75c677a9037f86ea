#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import PolicyGeneration
import Synchronization
import Platform

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
        /// For a denial, every policy that was weighed (`identity-based user-managed ARN`,
        /// `permissions boundary ARN`, `resource-based ARN`, …); empty for an allow.
        public var evaluated: [String]
        /// Position in the log since the server started, from 1; set by
        /// `record(_:)`, so that a reader can ask for what came after it.
        public var sequence: UInt64 = 0

        public init(
            time: Double, requestId: String, principal: String, action: String, resource: String, outcome: String,
            enforced: Bool, reason: String?, statements: [String], evaluated: [String] = [], sequence: UInt64 = 0
        ) {
            self.time = time
            self.requestId = requestId
            self.principal = principal
            self.action = action
            self.resource = resource
            self.outcome = outcome
            self.enforced = enforced
            self.reason = reason
            self.statements = statements
            self.evaluated = evaluated
            self.sequence = sequence
        }

        /// Reads what `json` wrote (the `/_gatehouse/decisions` answer, a decision-log line).
        public init?(json value: JSONValue) {
            guard case .object(let object) = value, let principal = object["principal"]?.stringValue,
                let action = object["action"]?.stringValue, let outcome = object["outcome"]?.stringValue
            else { return nil }
            func number(_ key: String) -> JSONNumber? {
                if case .number(let n) = object[key] { return n }
                return nil
            }
            var enforced = false
            if case .bool(let b) = object["enforced"] { enforced = b }
            self.init(
                time: number("time")?.double ?? 0, requestId: object["requestId"]?.stringValue ?? "", principal: principal,
                action: action, resource: object["resource"]?.stringValue ?? "", outcome: outcome, enforced: enforced,
                reason: object["reason"]?.stringValue,
                statements: object["statements"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                evaluated: object["evaluated"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                sequence: number("sequence")?.int64.map { UInt64(max(0, $0)) } ?? 0)
        }

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
            if !evaluated.isEmpty {
                w.key("evaluated")
                w.arrayStart()
                for p in evaluated { w.value(p) }
                w.arrayEnd()
            }
            w.objectEnd()
            return w.string
        }
    }

    private let capacity: Int
    /// The last `capacity` entries in a ring: recording stays O(1) once full
    /// (it runs on every authorized request).
    private let entries = Mutex<(next: UInt64, ring: [Entry], oldest: Int)>((1, [], 0))
    private let file: PlainFile?

    public init(capacity: Int = 1000, file: URL? = nil) {
        self.capacity = capacity
        self.file = file.flatMap { try? PlainFile.appending($0.path) }
    }

    /// The decisions made for one request (an operation may authorize several actions).
    public func decisions(forRequest requestId: String) -> [Entry] {
        entries.withLock { $0.ring.filter { $0.requestId == requestId } }.sorted { $0.sequence < $1.sequence }
    }

    public func record(_ entry: Entry) {
        var entry = entry
        entries.withLock { entries in
            entry.sequence = entries.next
            entries.next += 1
            if entries.ring.count < capacity {
                entries.ring.append(entry)
            } else {
                entries.ring[entries.oldest] = entry
                entries.oldest = (entries.oldest + 1) % capacity
            }
            // Written under the lock so lines never interleave (and stay in sequence order).
            try? file?.write(entry.json + "\n")
        }
    }

    /// Most recent last: the last `limit` entries that pass the filters —
    /// or, given `after`, the first `limit` whose sequence number follows it,
    /// so that a reader following the log pages forward without gaps.
    /// - Parameter principals: only these callers' decisions (ARNs), when given.
    public func recent(
        limit: Int = 100, deniedOnly: Bool = false, principal: String? = nil, principals: Set<String>? = nil, after: UInt64? = nil
    ) -> [Entry] {
        let all = entries.withLock { $0.ring[$0.oldest...] + $0.ring[..<$0.oldest] }
        let filtered = all.filter { entry in
            (!deniedOnly || entry.outcome != "allowed") && (principal.map { entry.principal == $0 } ?? true)
                && (principals.map { $0.contains(entry.principal) } ?? true)
                && (after.map { entry.sequence > $0 } ?? true)
        }
        return after == nil ? Array(filtered.suffix(limit)) : Array(filtered.prefix(limit))
    }
}

extension Sequence<DecisionLog.Entry> {
    /// The calls `principal` made (a role's: its sessions' too) at or after
    /// `since` (seconds since 1970), as policy generation reads them.
    public func calls(by principal: String, since: Double = -.infinity) -> [ObservedCall] {
        let scope = PrincipalScope(principal)
        return compactMap { entry in
            guard entry.time >= since, scope.contains(entry.principal),
                let outcome = ObservedCall.Outcome(rawValue: entry.outcome)
            else { return nil }
            return ObservedCall(action: entry.action, resource: entry.resource, outcome: outcome)
        }
    }
}
