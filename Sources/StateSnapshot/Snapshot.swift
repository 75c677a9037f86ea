import Hashing
import JSON
import PolicyEngine
import Storage

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why a snapshot cannot be read or imported, naming the place in it.
public struct SnapshotError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// The emulated world of some accounts, as one JSON document (format
/// `gatehouse-state/1`, docs/state-format.md): every IAM entity, policy
/// version, attachment, access key, ECR repository, policy and image
/// manifest. Blob bytes are not in the document but named by digest; they
/// travel in the data directory or an OCI layout beside the document.
///
/// Reading a snapshot validates all of it (fields and their types, policy
/// grammar, manifest digests, which account each row belongs to) before
/// anything is written; importing then replaces the snapshot's accounts in one
/// transaction, so a snapshot that fails changes nothing.
public struct Snapshot: Sendable {
    public static let format = "gatehouse-state/1"

    struct Row: Sendable {
        var values: [(column: String, value: DatabaseValue)]
        /// Where the row starts in the document it was read from.
        var line: Int?

        subscript(column: String) -> DatabaseValue? {
            values.first { $0.column == column }?.value
        }
    }

    /// The accounts the snapshot holds; an import replaces exactly these.
    public private(set) var accounts: [String]
    /// Rows by section path (`iam.roles`), in each section's key order.
    var rows: [String: [Row]]

    /// Blobs the snapshot's images need, by digest.
    public var blobs: [(digest: String, size: Int64)] {
        (rows["ecr.blobs"] ?? []).compactMap { row in
            guard let digest = String.fromDatabaseValue(row["digest"] ?? .null) else { return nil }
            return (digest, Int64.fromDatabaseValue(row["size"] ?? .null) ?? 0)
        }
    }

    /// The number of rows in all sections.
    public var rowCount: Int { rows.values.reduce(0) { $0 + $1.count } }

    // MARK: - Export

    /// The state of `accounts` (every account when nil).
    public static func export(from store: Store, accounts requested: [String]? = nil) throws -> Snapshot {
        let tables = try TableColumns.current()
        // Usage requests noted (last used, last accessed) is part of the world.
        try store.flushUsage()
        return try store.transaction(.read) { tx in
            let existing = try AccountRows.accountIds(in: tx)
            var seen: Set<String> = []
            let accounts = (requested ?? existing).filter { seen.insert($0).inserted }
            for account in accounts where !existing.contains(account) {
                throw SnapshotError("there is no account \(account)")
            }
            var rows: [String: [Row]] = [:]
            for section in SnapshotSection.all {
                let columns = try tables.columns(of: section.table)
                let key = columns.filter(\.isPrimaryKey).map(\.name)
                let found = try section.rows.rows(of: accounts, orderedBy: key.isEmpty ? columns.map(\.name) : key, in: tx)
                let sectionRows = found.map { row in
                    Row(values: columns.compactMap { column -> (String, DatabaseValue)? in
                        let value: DatabaseValue = row[column.name]
                        return value.isNull ? nil : (column.name, value)
                    })
                }
                if !sectionRows.isEmpty { rows[section.path] = sectionRows }
            }
            return Snapshot(accounts: accounts, rows: rows)
        }
    }

    /// The snapshot as JSON text: one row per line, so that snapshots kept in
    /// a repository diff well. Exporting what an import wrote gives the same bytes.
    public func serialized() -> [UInt8] {
        var out = "{\n  \"format\": \"\(Self.format)\""
        func rowLines(_ rows: [Row], _ section: SnapshotSection, indent: String) -> String {
            rows.map { indent + Self.json(of: $0, in: section) }.joined(separator: ",\n")
        }
        let top = SnapshotSection.all.filter { $0.service == nil }
        for section in top {
            out += ",\n  \"\(section.name)\": [\n" + rowLines(rows[section.path] ?? [], section, indent: "    ") + "\n  ]"
        }
        for service in SnapshotSection.services {
            let sections = SnapshotSection.all.filter { $0.service == service && rows[$0.path] != nil }
            guard !sections.isEmpty else { continue }
            out += ",\n  \"\(service)\": {"
            out += sections.map { section in
                "\n    \"\(section.name)\": [\n" + rowLines(rows[section.path] ?? [], section, indent: "      ") + "\n    ]"
            }.joined(separator: ",")
            out += "\n  }"
        }
        out += "\n}\n"
        return Array(out.utf8)
    }

    private static func json(of row: Row, in section: SnapshotSection) -> String {
        var w = JSONWriter()
        w.objectStart()
        for (column, value) in row.values {
            w.key(column)
            switch value.storage {
            case .null: w.null()
            case .int64(let int): w.value(int)
            case .double(let double): w.value(double)
            case .string(let string): w.value(string)
            case .blob(let data): w.value(data.base64EncodedString())
            }
        }
        w.objectEnd()
        return w.string
    }

    // MARK: - Reading

    /// Reads and validates a snapshot against the schema of this build.
    /// `source` names the document in messages.
    public init(bytes: [UInt8], source: String) throws {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw SnapshotError("\(source): not JSON: \(error)")
        }
        try self.init(json: root, source: source)
    }

    /// A snapshot from an already parsed document (a seed file told apart by its `format`).
    public init(json root: JSONValue, source: String) throws {
        try self.init(json: root, source: source, tables: TableColumns.current())
    }

    init(accounts: [String], rows: [String: [Row]]) {
        self.accounts = accounts
        self.rows = rows
    }

    init(json root: JSONValue, source: String, tables: TableColumns) throws {
        guard let object = root.objectValue else { throw SnapshotError("\(source): a snapshot is a JSON object") }
        guard object["format"]?.stringValue == Self.format else {
            throw SnapshotError("\(source): \"format\" must be \"\(Self.format)\"")
        }
        let topNames = Set(["format"] + SnapshotSection.services + SnapshotSection.all.filter { $0.service == nil }.map(\.name))
        for key in object.keys where !topNames.contains(key) {
            throw SnapshotError("\(source): unknown member \"\(key)\" (expected \(topNames.sorted().joined(separator: ", ")))")
        }
        for service in SnapshotSection.services {
            guard let members = object[service] else { continue }
            guard let members = members.objectValue else { throw SnapshotError("\(source): \"\(service)\" must be an object") }
            let names = Set(SnapshotSection.all.filter { $0.service == service }.map(\.name))
            for key in members.keys where !names.contains(key) {
                throw SnapshotError("\(source): \(service) has no section \"\(key)\" (expected \(names.sorted().joined(separator: ", ")))")
            }
        }

        var rows: [String: [Row]] = [:]
        for section in SnapshotSection.all {
            let value = section.service.map { object[$0]?[section.name] } ?? object[section.name]
            guard let value else { continue }
            guard let elements = value.arrayValue else { throw SnapshotError("\(source): \(section.path) must be an array") }
            let columns = try tables.columns(of: section.table)
            rows[section.path] = try elements.enumerated().map { index, element in
                try Self.row(element, columns: columns, at: "\(source): \(section.path)[\(index)]", section: section)
            }
        }
        let accounts = (rows["accounts"] ?? []).compactMap { String.fromDatabaseValue($0["id"] ?? .null) }
        self.init(accounts: accounts, rows: rows)
        try checkAccounts(source: source)
    }

    /// A row from its JSON object: known columns only, each of its column's
    /// type, required ones present, policies and manifests as AWS would take them.
    private static func row(_ element: JSONValue, columns: [TableColumns.Column], at place: String, section: SnapshotSection) throws -> Row {
        guard let object = element.objectValue else { throw SnapshotError("\(place): a row is a JSON object") }
        let line = object.span?.start.line
        let at = line.map { "\(place) (line \($0))" } ?? place
        var values: [(String, DatabaseValue)] = []
        for key in object.keys where !columns.contains(where: { $0.name == key }) {
            throw SnapshotError("\(at): unknown field \"\(key)\" (fields: \(columns.map(\.name).joined(separator: ", ")))")
        }
        if Set(object.keys).count != object.keys.count {
            throw SnapshotError("\(at): a field appears twice")
        }
        for column in columns {
            guard let json = object[column.name], json != .null else {
                if column.isRequired { throw SnapshotError("\(at): missing required field \"\(column.name)\"") }
                continue
            }
            let value: DatabaseValue
            switch (column.kind, json) {
            case (.text, .string(let string)):
                value = string.databaseValue
            case (.integer, .number(let number)):
                guard let int = number.int64 else { throw SnapshotError("\(at): \"\(column.name)\" must be an integer") }
                value = int.databaseValue
            case (.integer, .bool(let bool)):
                value = bool.databaseValue
            case (.real, .number(let number)):
                guard let double = number.double, double.isFinite else { throw SnapshotError("\(at): \"\(column.name)\" must be a number") }
                value = double.databaseValue
            case (.blob, .string(let string)):
                guard let data = Data(base64Encoded: string) else {
                    throw SnapshotError("\(at): \"\(column.name)\" must be base64")
                }
                value = data.databaseValue
            default:
                throw SnapshotError("\(at): \"\(column.name)\" must be \(column.kind.expected), not \(json.kindName)")
            }
            values.append((column.name, value))
        }
        let row = Row(values: values, line: line)
        try check(row, at: at, section: section)
        return row
    }

    /// What the schema cannot say: policy grammar, digests, account ids.
    private static func check(_ row: Row, at: String, section: SnapshotSection) throws {
        for (column, kind) in section.policies {
            guard let text = String.fromDatabaseValue(row[column] ?? .null) else { continue }
            do {
                _ = try PolicyDocument.parse(text, kind: kind)
            } catch {
                throw SnapshotError("\(at): \"\(column)\" is not a policy IAM accepts: \(error.message)")
            }
        }
        switch section.table {
        case "account":
            let id = String.fromDatabaseValue(row["id"] ?? .null) ?? ""
            guard id.count == 12, id.allSatisfy(\.isASCII), id.allSatisfy(\.isNumber) else {
                throw SnapshotError("\(at): an account id is 12 digits, not \"\(id)\"")
            }
        case "blob", "repositoryBlob":
            let digest = String.fromDatabaseValue(row["digest"] ?? .null) ?? ""
            guard BlobStore.isValidDigest(digest) else { throw SnapshotError("\(at): \"\(digest)\" is not a sha256 digest") }
        case "image":
            let digest = String.fromDatabaseValue(row["digest"] ?? .null) ?? ""
            let manifest = Data.fromDatabaseValue(row["manifest"] ?? .null) ?? Data()
            let actual = ManifestDigest.of(Array(manifest))
            guard actual == digest else {
                throw SnapshotError("\(at): the manifest's digest is \(actual), not \(digest)")
            }
        default:
            break
        }
    }

    /// Rows that say whose they are must belong to the snapshot's accounts.
    private func checkAccounts(source: String) throws {
        let accountSet = Set(accounts)
        guard accountSet.count == accounts.count else { throw SnapshotError("\(source): an account appears twice") }
        for section in SnapshotSection.all where section.table != "account" {
            for (index, row) in (rows[section.path] ?? []).enumerated() {
                guard let account = row["accountId"].flatMap(String.fromDatabaseValue) else { continue }
                guard accountSet.contains(account) else {
                    throw SnapshotError("\(source): \(section.path)[\(index)] belongs to account \(account), which is not in \"accounts\"")
                }
            }
        }
    }
}

/// The columns of Gatehouse's tables, as the migrations made them.
struct TableColumns: Sendable {
    struct Column: Sendable {
        enum Kind: Sendable {
            case text, integer, real, blob

            var expected: String {
                switch self {
                case .text: "a string"
                case .integer: "an integer"
                case .real: "a number"
                case .blob: "a base64 string"
                }
            }
        }

        let name: String
        let kind: Kind
        let isRequired: Bool
        let isPrimaryKey: Bool
    }

    private var tables: [String: [Column]] = [:]

    /// The schema the migrations make, read once from a scratch in-memory database.
    static func current() throws -> TableColumns {
        try scratchSchema.get()
    }

    private static let scratchSchema = Result {
        let schema = try Schema.tableColumns()
        var columns = TableColumns()
        for table in Set(SnapshotSection.all.map(\.table)) {
            guard let info = schema[table] else { continue }
            columns.tables[table] = info.map { info in
                let kind: Column.Kind = switch info.type.uppercased() {
                case "INTEGER": .integer
                case "REAL": .real
                case "BLOB": .blob
                default: .text
                }
                return Column(
                    name: info.name, kind: kind, isRequired: info.isNotNull && info.defaultValueSQL == nil,
                    isPrimaryKey: info.primaryKeyIndex > 0)
            }
        }
        return columns
    }

    func columns(of table: String) throws -> [Column] {
        guard let columns = tables[table] else { throw SnapshotError("no table \(table)") }
        return columns
    }
}
