import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import Synchronization

/// The AWS managed policies, from the seed catalog.
///
/// Loaded on first use, not at start-up: most runs never read it, and start-up
/// time and idle memory are part of what Gatehouse promises. AWS managed
/// policies are read-only; attachments to them are ordinary rows.
///
/// The seed (`scripts/import-managed-policies`) has each policy's recorded id,
/// dates and versions, in the order AWS's ListPolicies answered them. A
/// policy's newest version is kept whole and each older one as an edit of the
/// next newer one, kept as its JSON text: an edit is read, and an older
/// document rebuilt, only when that version is asked for.
public final class ManagedPolicyCatalog: Sendable {
    public struct Policy: Sendable, Equatable {
        public var name: String
        public var id: String
        public var path: String
        /// nil where the seed has none (its source does not record descriptions).
        public var description: String?
        public var defaultVersionId: String
        public var createDate: Timestamp
        public var updateDate: Timestamp
        /// Newest first, as ListPolicyVersions lists them.
        public var versions: [Version]

        public var arn: String { "arn:aws:iam::aws:policy\(path)\(name)" }

        /// The default version's document: the one AWS evaluates.
        public var document: String { document(of: defaultVersionId) ?? "" }

        /// A version's document text, nil when the policy has no such version.
        public func document(of versionId: String) -> String? {
            guard let index = versions.firstIndex(where: { $0.id == versionId }) else { return nil }
            return documents(through: index).last
        }

        /// Every version's document, newest first, rebuilt in one pass.
        public var documents: [String] { documents(through: versions.count - 1) }

        private func documents(through last: Int) -> [String] {
            var texts: [String] = []
            for version in versions[...last] {
                switch version.stored {
                case .whole(let whole): texts.append(whole)
                case .edit(let text): texts.append(Self.apply(Version.edits(text), to: texts.last ?? ""))
                }
            }
            return texts
        }

        /// Rebuilds an older document from the next newer one: a positive
        /// count keeps that many of its tokens, a negative one skips them, a
        /// string is inserted (the importer's `edit`).
        static func apply(_ operations: [Version.Edit], to newer: String) -> String {
            let tokens = Self.tokens(newer)
            var next = 0
            var out = ""
            for operation in operations {
                switch operation {
                case .insert(let text): out += text
                case .keep(let count):
                    out += tokens[min(next, tokens.count)..<min(next + count, tokens.count)].joined()
                    next += count
                case .skip(let count): next += count
                }
            }
            return out
        }

        /// The importer's tokens: each runs up to and including `,` `[` `]` `{` or `}`
        /// (ASCII bytes, so never inside a longer UTF-8 sequence).
        static func tokens(_ text: String) -> [Substring] {
            var tokens: [Substring] = []
            var start = text.startIndex
            let utf8 = text.utf8
            for index in utf8.indices {
                switch utf8[index] {
                case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                    let end = utf8.index(after: index)
                    tokens.append(text[start..<end])
                    start = end
                default: continue
                }
            }
            if start < text.endIndex { tokens.append(text[start...]) }
            return tokens
        }
    }

    public struct Version: Sendable, Equatable {
        public enum Edit: Sendable, Equatable {
            case keep(Int), skip(Int), insert(String)
        }

        enum Stored: Sendable, Equatable {
            case whole(String)
            /// The importer's edit as JSON text: `[keep, -skip, "insert", …]`.
            case edit(String)
        }

        /// An edit's operations; none when the text is not one (the importer checks that each edit rebuilds its version).
        static func edits(_ text: String) -> [Edit] {
            guard let operations = try? JSONParser.parse(text).arrayValue else { return [] }
            var edits: [Edit] = []
            for operation in operations {
                if let text = operation.stringValue {
                    edits.append(.insert(text))
                } else if case .number(let number) = operation, let count = number.int64.map(Int.init), count != 0 {
                    edits.append(count > 0 ? .keep(count) : .skip(-count))
                } else {
                    return []
                }
            }
            return edits
        }

        public var id: String
        public var createDate: Timestamp
        let stored: Stored
    }

    private struct Index: Sendable {
        var byArn: [String: Policy]
        /// In the order AWS's ListPolicies (Scope AWS) answered them.
        var listed: [Policy]
    }

    public static let arnPrefix = "arn:aws:iam::aws:policy/"

    private let dataSets: DataSets?
    private let index = Mutex<Index?>(nil)

    /// - Parameter dataSets: where `aws-managed-policies.json` is read from; nil for an empty catalog.
    public init(_ dataSets: DataSets?) {
        self.dataSets = dataSets
    }

    public static func isAWSManaged(_ arn: String) -> Bool { arn.hasPrefix(arnPrefix) }

    public func policy(arn: String) -> Policy? {
        guard Self.isAWSManaged(arn) else { return nil }
        return loaded().byArn[arn]
    }

    /// Every AWS managed policy, in the order AWS's ListPolicies answered them
    /// (recorded: the order they were made in, not by name).
    public var all: [Policy] { loaded().listed }

    private func loaded() -> Index {
        if let index = index.withLock({ $0 }) { return index }
        let built = Self.load(dataSets)
        index.withLock { $0 = built }
        return built
    }

    private static func load(_ dataSets: DataSets?) -> Index {
        guard let bytes = try? dataSets?.bytes(.managedPolicies), let root = try? JSONParser.parse(bytes) else {
            return Index(byArn: [:], listed: [])
        }
        var policies: [Policy] = []
        for entry in root["policies"]?.arrayValue ?? [] {
            guard let name = entry["PolicyName"]?.stringValue, let id = entry["PolicyId"]?.stringValue,
                let path = entry["Path"]?.stringValue, let defaultVersion = entry["DefaultVersionId"]?.stringValue,
                let created = entry["CreateDate"]?.stringValue.flatMap(Timestamp.init(iso8601:)),
                let updated = entry["UpdateDate"]?.stringValue.flatMap(Timestamp.init(iso8601:)),
                let versions = entry["Versions"]?.arrayValue.flatMap(Self.versions),
                versions.contains(where: { $0.id == defaultVersion })
            else { continue }
            policies.append(Policy(
                name: name, id: id, path: path, description: entry["Description"]?.stringValue, defaultVersionId: defaultVersion,
                createDate: created, updateDate: updated, versions: versions))
        }
        return Index(byArn: Dictionary(policies.map { ($0.arn, $0) }, uniquingKeysWith: { a, _ in a }), listed: policies)
    }

    /// `[id, date, text]` entries: the first text the document, the others edits.
    private static func versions(_ entries: [JSONValue]) -> [Version]? {
        var versions: [Version] = []
        for entry in entries {
            guard let parts = entry.arrayValue, parts.count == 3, let id = parts[0].stringValue,
                let date = parts[1].stringValue.flatMap(Timestamp.init(iso8601:)), let text = parts[2].stringValue
            else { return nil }
            versions.append(Version(id: id, createDate: date, stored: versions.isEmpty ? .whole(text) : .edit(text)))
        }
        return versions.isEmpty ? nil : versions
    }
}
