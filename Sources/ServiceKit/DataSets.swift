import EmbeddedData
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The data sets Gatehouse serves from — the default seed, the AWS managed
/// policy catalog and the Service Authorization Reference — as compiled into
/// the binary (`EmbeddedData`, from the repository's `seed/`), or read from a
/// directory that overrides them (`--seed-dir`). A binary copied anywhere
/// needs nothing beside it.
public struct DataSets: Sendable {
    public enum File: String, Sendable, CaseIterable {
        case defaultSeed = "default.json"
        case managedPolicies = "aws-managed-policies.json"
        case serviceCatalog = "service-catalog.json"
    }

    /// Files found here override the compiled-in copies; nil: the compiled-in copies.
    public let directory: URL?

    public init(directory: URL? = nil) {
        self.directory = directory
    }

    /// The copies compiled into this binary.
    public static let embedded = DataSets()

    /// The file's bytes: from the directory when one is given, else the compiled-in copy.
    public func bytes(_ file: File) throws -> [UInt8] {
        if let overriding = overriding(file) { return Array(try Data(contentsOf: overriding)) }
        return Array(Self.compiledIn(file))
    }

    /// A data set's first line: where it came from, as its importer recorded it, for `gatehouse --version`.
    public func provenance(_ file: File) -> String {
        // Only the head is read: the managed policies are one 4 MB line, and this
        // runs on every start (ArgumentParser builds the version text eagerly).
        let head: [UInt8]
        if let overriding = overriding(file) {
            head = Array(((try? Data(contentsOf: overriding)) ?? Data()).prefix(Self.provenanceHead))
        } else {
            head = Array(Self.compiledIn(file).prefix(Self.provenanceHead))
        }
        let firstLine = head.prefix { $0 != UInt8(ascii: "\n") }
        // The importers write `{"source": …}` (service catalog) or `{"provenance": {"source": …}` followed by
        // the data's first key (managed policies): the source is the first string after "source".
        let line = String(decoding: firstLine, as: UTF8.self)
        var source = line
        if let key = line.firstRange(of: #""source":""#), let end = line[key.upperBound...].firstIndex(of: "\"") {
            source = String(line[key.upperBound..<end])
        }
        return source + (overriding(file).map { " (from \($0.path))" } ?? "")
    }

    private static let provenanceHead = 2048

    private func overriding(_ file: File) -> URL? {
        guard let path = directory?.appendingPathComponent(file.rawValue), FileManager.default.fileExists(atPath: path.path) else {
            return nil
        }
        return path
    }

    private static func compiledIn(_ file: File) -> UnsafeBufferPointer<UInt8> {
        let embedded: GatehouseEmbeddedFile
        switch file {
        case .defaultSeed: embedded = gatehouse_embedded_default_seed()
        case .managedPolicies: embedded = gatehouse_embedded_managed_policies()
        case .serviceCatalog: embedded = gatehouse_embedded_service_catalog()
        }
        return UnsafeBufferPointer(start: embedded.bytes, count: embedded.count)
    }

    /// The commit the binary was built from (`scripts/release` passes it), or "unknown".
    public static var buildCommit: String { String(cString: gatehouse_build_commit()) }
}
