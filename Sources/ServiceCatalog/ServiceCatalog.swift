#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import Synchronization

/// Every AWS service's actions, resource types and condition keys, as the
/// Service Authorization Reference lists them (`seed/service-catalog.json`,
/// made by `scripts/import-service-catalog`, which records its source).
///
/// A service is parsed the first time it is asked for: the file holds about
/// 450 services and 20,000 actions, and most uses need one or two of them.
public final class ServiceCatalog: Sendable {
    /// How much an action lets its caller do, as the reference classifies it.
    public enum AccessLevel: String, Sendable, CaseIterable, Comparable {
        case list = "List"
        case read = "Read"
        case tagging = "Tagging"
        case write = "Write"
        case permissionsManagement = "Permissions management"

        public static func < (a: AccessLevel, b: AccessLevel) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public struct Action: Sendable, Equatable {
        /// `DescribeImages` (without the service prefix).
        public var name: String
        public var accessLevel: AccessLevel
        /// The resource types it acts on; empty when it takes none (it is then granted on `*`).
        public var resourceTypes: [ResourceTypeReference]
        public var conditionKeys: [String]
    }

    public struct ResourceTypeReference: Sendable, Equatable {
        public var name: String
        /// Whether the action always names a resource of this type.
        public var required: Bool

        public init(name: String, required: Bool) {
            self.name = name
            self.required = required
        }
    }

    public struct ResourceType: Sendable, Equatable {
        public var name: String
        /// `arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}`
        public var arnFormat: String
        public var conditionKeys: [String]
    }

    public struct ConditionKey: Sendable, Equatable {
        public var name: String
        public var type: String
    }

    public struct Service: Sendable, Equatable {
        /// `ecr`
        public var prefix: String
        /// `Amazon Elastic Container Registry`
        public var name: String
        public var actions: [Action]
        public var resourceTypes: [ResourceType]
        public var conditionKeys: [ConditionKey]

        /// The action named (without prefix), compared as IAM compares actions: ignoring case.
        public func action(_ name: String) -> Action? {
            // Compared byte by byte, folding ASCII letters: lowercasing every
            // name of a service per lookup was most of a policy validation's time.
            actions.first { Self.equalIgnoringASCIICase($0.name, name) }
        }

        static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
            a.utf8.elementsEqual(b.utf8) { ($0 &- 0x41 < 26 ? $0 | 0x20 : $0) == ($1 &- 0x41 < 26 ? $1 | 0x20 : $1) }
        }

        public func resourceType(_ name: String) -> ResourceType? { resourceTypes.first { $0.name == name } }
    }

    /// Where the data came from (the first line of the file).
    public let source: String
    /// Services by prefix, lowercased, as `(display name, its line of JSON)`.
    private let lines: [String: (name: String, text: Substring)]
    private let parsed = Mutex<[String: Service]>([:])

    /// Reads the catalog file; services are parsed on demand.
    public convenience init(file: URL) throws {
        self.init(text: try String(contentsOf: file, encoding: .utf8))
    }

    /// Reads the catalog's text (one service a line after its source line); services are parsed on demand.
    public init(text: String) {
        var source = ""
        var lines: [String: (name: String, text: Substring)] = [:]
        for line in text.split(separator: "\n") where !line.isEmpty {
            guard line.hasPrefix(#"{"prefix":""#) else {
                source = (try? JSONParser.parse(String(line)))?["source"]?.stringValue ?? ""
                continue
            }
            let rest = line.dropFirst(#"{"prefix":""#.count)
            guard let end = rest.firstIndex(of: "\"") else { continue }
            let prefix = String(rest[..<end])
            let name = Self.displayName(in: line) ?? prefix
            lines[prefix.lowercased()] = (name, line)
        }
        self.source = source
        self.lines = lines
    }

    /// The services, by prefix and display name, in prefix order.
    public var services: [(prefix: String, name: String)] {
        lines.map { ($0.key, $0.value.name) }.sorted { $0.prefix < $1.prefix }
    }

    /// One service's entry as stored, one JSON object: prefix, name, actions
    /// (`[name, access level, [resource type, "*" when required], [condition key]]`),
    /// resources (`[type, ARN format, [condition key]]`), conditions (`[key, type]`).
    public func entry(_ prefix: String) -> Substring? { lines[prefix.lowercased()]?.text }

    /// One service by its prefix (`ecr`), ignoring case.
    public func service(_ prefix: String) -> Service? {
        let key = prefix.lowercased()
        if let hit = parsed.withLock({ $0[key] }) { return hit }
        guard let line = lines[key], let service = Self.parse(line.text) else { return nil }
        parsed.withLock { $0[key] = service }
        return service
    }

    /// What an `Action` or `NotAction` value names: nothing when its service is
    /// unknown or no action of the service matches it (`*` and `?` are wildcards).
    public enum ActionCheck: Equatable, Sendable {
        case known
        case unknownService(String)
        case unknownAction
    }

    public func check(action value: String) -> ActionCheck {
        if value == "*" { return .known }
        let parts = value.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return .unknownService(value) }
        guard let service = service(String(parts[0])) else { return .unknownService(String(parts[0])) }
        let pattern = parts[1].lowercased()
        if !pattern.contains("*") && !pattern.contains("?") { return service.action(pattern) != nil ? .known : .unknownAction }
        return service.actions.contains { Self.matches(Array(pattern.utf8), Array($0.name.lowercased().utf8)) } ? .known : .unknownAction
    }

    /// The service an `Action` value names and its actions that the value
    /// matches (`*` and `?` are wildcards, case is ignored); nil for an unknown service.
    public func actions(matching value: String) -> (service: Service, actions: [Action])? {
        let parts = value.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let service = service(String(parts[0])) else { return nil }
        let pattern = Array(parts[1].lowercased().utf8)
        return (service, service.actions.filter { Self.matches(pattern, Array($0.name.lowercased().utf8)) })
    }

    /// The prefixes of the services that a statement's `Action` list (or,
    /// `negated`, its `NotAction` list) reaches: a service is reached when at
    /// least one of its actions is (IAM's "services this policy allows",
    /// ListPoliciesGrantingServiceAccess and the last accessed reports).
    public func services(reachedBy values: [String], negated: Bool) -> Set<String> {
        let patterns: [(service: [UInt8], action: [UInt8])] = values.map { value in
            let lowered = value.lowercased()
            guard let colon = lowered.firstIndex(of: ":") else { return (Array(lowered.utf8), Array(lowered.utf8)) }
            return (Array(lowered[..<colon].utf8), Array(lowered[lowered.index(after: colon)...].utf8))
        }
        func matching(_ prefix: String) -> [[UInt8]] {
            patterns.filter { Self.matches($0.service, Array(prefix.utf8)) }.map(\.action)
        }
        var reached: Set<String> = []
        for prefix in lines.keys {
            let relevant = matching(prefix)
            if negated {
                // Everything of the service is excluded only when `svc:*` (or `*`) is.
                if relevant.contains(where: { $0 == Array("*".utf8) }) { continue }
                if relevant.isEmpty { reached.insert(prefix); continue }
                guard let service = service(prefix) else { continue }
                let names = service.actions.map { Array($0.name.lowercased().utf8) }
                if names.contains(where: { name in !relevant.contains { Self.matches($0, name) } }) { reached.insert(prefix) }
            } else {
                guard !relevant.isEmpty else { continue }
                if relevant.contains(where: { $0 == Array("*".utf8) }) { reached.insert(prefix); continue }
                guard let service = service(prefix) else { continue }
                if service.actions.contains(where: { action in
                    let name = Array(action.name.lowercased().utf8)
                    return relevant.contains { Self.matches($0, name) }
                }) {
                    reached.insert(prefix)
                }
            }
        }
        return reached
    }

    // MARK: - Parsing

    private static func displayName(in line: Substring) -> String? {
        guard let range = line.firstRange(of: #","name":""#) else { return nil }
        let rest = line[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    private static func parse(_ line: Substring) -> Service? {
        guard let object = (try? JSONParser.parse(String(line)))?.objectValue,
            let prefix = object["prefix"]?.stringValue, let name = object["name"]?.stringValue
        else { return nil }
        func strings(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }
        let actions: [Action] = (object["actions"]?.arrayValue ?? []).compactMap { entry in
            guard let fields = entry.arrayValue, fields.count == 4, let actionName = fields[0].stringValue,
                let level = fields[1].stringValue.flatMap(AccessLevel.init(rawValue:))
            else { return nil }
            let types = strings(fields[2]).map { type in
                type.hasSuffix("*")
                    ? ResourceTypeReference(name: String(type.dropLast()), required: true)
                    : ResourceTypeReference(name: type, required: false)
            }
            return Action(name: actionName, accessLevel: level, resourceTypes: types, conditionKeys: strings(fields[3]))
        }
        let resources: [ResourceType] = (object["resources"]?.arrayValue ?? []).compactMap { entry in
            guard let fields = entry.arrayValue, fields.count == 3, let type = fields[0].stringValue, let arn = fields[1].stringValue
            else { return nil }
            return ResourceType(name: type, arnFormat: arn, conditionKeys: strings(fields[2]))
        }
        let conditions: [ConditionKey] = (object["conditions"]?.arrayValue ?? []).compactMap { entry in
            guard let fields = entry.arrayValue, fields.count == 2, let key = fields[0].stringValue, let type = fields[1].stringValue
            else { return nil }
            return ConditionKey(name: key, type: type)
        }
        return Service(prefix: prefix, name: name, actions: actions, resourceTypes: resources, conditionKeys: conditions)
    }

    /// Whether the action pattern `pattern` (`*` and `?` wildcards) matches
    /// `name`, ignoring case, as IAM matches Action values.
    public static func actionPattern(_ pattern: String, matches name: String) -> Bool {
        matches(Array(pattern.lowercased().utf8), Array(name.lowercased().utf8))
    }

    /// `*` (any run) and `?` (one character) against a name, both lowercased.
    static func matches(_ pattern: [UInt8], _ name: [UInt8]) -> Bool {
        var p = 0, n = 0, star = -1, mark = 0
        while n < name.count {
            if p < pattern.count && (pattern[p] == name[n] || pattern[p] == UInt8(ascii: "?")) {
                p += 1
                n += 1
            } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                star = p
                mark = n
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                n = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
