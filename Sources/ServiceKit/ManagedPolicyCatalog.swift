import AWSShapes
import Foundation
import JSON
import Synchronization

/// The AWS managed policies, from the seed catalog.
///
/// Loaded on first use, not at start-up: most runs never read it, and start-up
/// time and idle memory are part of what Gatehouse promises. AWS managed
/// policies are read-only; attachments to them are ordinary rows.
public final class ManagedPolicyCatalog: Sendable {
    public struct Policy: Sendable, Equatable {
        public var name: String
        public var id: String
        public var path: String
        public var defaultVersionId: String
        public var createDate: Timestamp
        public var updateDate: Timestamp
        public var document: String

        public var arn: String { "arn:aws:iam::aws:policy\(path)\(name)" }
    }

    private struct Index: Sendable {
        var byArn: [String: Policy]
        var sorted: [Policy]
    }

    public static let arnPrefix = "arn:aws:iam::aws:policy/"

    private let file: URL?
    private let index = Mutex<Index?>(nil)

    /// - Parameter file: `seed/aws-managed-policies.json`; nil for an empty catalog.
    public init(file: URL?) {
        self.file = file
    }

    public static func isAWSManaged(_ arn: String) -> Bool { arn.hasPrefix(arnPrefix) }

    public func policy(arn: String) -> Policy? {
        guard Self.isAWSManaged(arn) else { return nil }
        return loaded().byArn[arn]
    }

    /// Every AWS managed policy, ordered by name.
    public var all: [Policy] { loaded().sorted }

    private func loaded() -> Index {
        if let index = index.withLock({ $0 }) { return index }
        let built = Self.load(file)
        index.withLock { $0 = built }
        return built
    }

    private static func load(_ file: URL?) -> Index {
        guard let file, let data = try? Data(contentsOf: file), let root = try? JSONParser.parse(Array(data)) else {
            return Index(byArn: [:], sorted: [])
        }
        var policies: [Policy] = []
        for entry in root["policies"]?.arrayValue ?? [] {
            guard let name = entry["PolicyName"]?.stringValue, let id = entry["PolicyId"]?.stringValue,
                let path = entry["Path"]?.stringValue, let version = entry["DefaultVersionId"]?.stringValue,
                let created = entry["CreateDate"]?.stringValue.flatMap(Timestamp.init(iso8601:)),
                let updated = entry["UpdateDate"]?.stringValue.flatMap(Timestamp.init(iso8601:)),
                let document = entry["Document"]?.stringValue
            else { continue }
            policies.append(Policy(
                name: name, id: id, path: path, defaultVersionId: version, createDate: created, updateDate: updated,
                document: document))
        }
        policies.sort { $0.name < $1.name }
        return Index(byArn: Dictionary(policies.map { ($0.arn, $0) }, uniquingKeysWith: { a, _ in a }), sorted: policies)
    }
}
