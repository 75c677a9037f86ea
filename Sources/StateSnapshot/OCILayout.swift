import Hashing
import JSON
import Storage

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Platform

/// A snapshot bundled with its blobs as an OCI image layout directory:
/// `oci-layout`, `index.json` naming every image (tagged ones annotated
/// `org.opencontainers.image.ref.name` = `REPOSITORY:TAG`), `blobs/sha256/…`
/// holding layers, configs and manifests, and the snapshot itself as
/// `gatehouse-state.json`. Any OCI tool can read the images from it
/// (`skopeo copy oci:DIR:app:v1 …`).
public struct OCILayout: Sendable {
    public static let snapshotFile = "gatehouse-state.json"

    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// Whether `path` is a layout directory holding a snapshot.
    public static func isLayout(_ path: URL) -> Bool {
        var info = stat()
        return stat(path.path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    public var snapshot: URL { root.appendingPathComponent(Self.snapshotFile) }

    public func path(of digest: String) -> URL {
        root.appendingPathComponent("blobs/sha256").appendingPathComponent(String(digest.dropFirst("sha256:".count)))
    }

    public func has(_ digest: String) -> Bool {
        BlobStore.isValidDigest(digest) && FileManager.default.fileExists(atPath: path(of: digest).path)
    }

    /// Copies a blob into the data directory the way every blob arrives: an
    /// upload hashed as it is written, kept only if its digest checks out (a
    /// digest covers the size too).
    func copy(_ digest: String, into store: Store, at time: Double) throws {
        let unreadable = SnapshotError("\(path(of: digest).path): cannot be read")
        guard let source = try? PlainFile.reading(path(of: digest).path) else { throw unreadable }
        let upload = try store.uploads.whole("import-" + UUID().uuidString)
        while true {
            guard let chunk = try? source.read(upTo: 1 << 20) else { throw unreadable }
            if chunk.isEmpty { break }
            try upload.write(chunk)
        }
        do {
            try store.uploads.keep(upload, as: digest, at: time)
        } catch let mismatch as BlobUploads.DigestMismatch {
            throw SnapshotError("\(path(of: digest).path): \(mismatch)")
        }
    }

    /// Writes `snapshot` and every blob and manifest it names under `root`,
    /// taking blobs from a data directory.
    public func write(_ snapshot: Snapshot, from blobs: BlobStore) async throws {
        try await write(snapshot) { digest, size, target in
            guard let source = blobs.path(of: digest), blobs.size(of: digest) == size else {
                throw SnapshotError("blob \(digest) is missing from the data directory")
            }
            // Blobs never change once written: a hard link is a copy for free
            // when both directories share a file system.
            if link(source.path, target.path) != 0 {
                try FileManager.default.copyItem(at: source, to: target)
            }
        }
    }

    /// Writes `snapshot` under `root`; `fetch` puts each blob the layout lacks at the URL given.
    public func write(
        _ snapshot: Snapshot, fetch: (_ digest: String, _ size: Int64, _ target: URL) async throws -> Void
    ) async throws {
        let directory = root.appendingPathComponent("blobs/sha256", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for blob in snapshot.blobs where !FileManager.default.fileExists(atPath: path(of: blob.digest).path) {
            try await fetch(blob.digest, blob.size, path(of: blob.digest))
        }

        var index = JSONWriter()
        index.objectStart()
        index.key("schemaVersion"); index.value(2)
        index.key("mediaType"); index.value("application/vnd.oci.image.index.v1+json")
        index.key("manifests")
        index.arrayStart()
        let names = Dictionary(
            (snapshot.rows["ecr.repositories"] ?? []).map { (Self.text($0["arn"]), Self.text($0["name"])) },
            uniquingKeysWith: { first, _ in first })
        let tags = Dictionary(grouping: snapshot.rows["ecr.imageTags"] ?? []) { Self.text($0["repositoryArn"]) + "@" + Self.text($0["digest"]) }
        for image in snapshot.rows["ecr.images"] ?? [] {
            let digest = Self.text(image["digest"])
            let repository = Self.text(image["repositoryArn"])
            let manifest = Data.fromDatabaseValue(image["manifest"] ?? .null) ?? Data()
            let target = path(of: digest)
            if !FileManager.default.fileExists(atPath: target.path) { try manifest.write(to: target) }
            let refs = (tags[repository + "@" + digest] ?? []).map { "\(names[repository] ?? ""):\(Self.text($0["tag"]))" }
            for ref in refs.isEmpty ? [nil] : refs.map(Optional.some) {
                index.objectStart()
                index.key("mediaType"); index.value(Self.text(image["mediaType"]))
                index.key("digest"); index.value(digest)
                index.key("size"); index.value(manifest.count)
                index.key("annotations")
                index.objectStart()
                index.key("com.gatehouse.repository.arn"); index.value(repository)
                if let ref { index.key("org.opencontainers.image.ref.name"); index.value(ref) }
                index.objectEnd()
                index.objectEnd()
            }
        }
        index.arrayEnd()
        index.objectEnd()
        try Data(index.bytes).write(to: root.appendingPathComponent("index.json"))
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: root.appendingPathComponent("oci-layout"))
        try Data(snapshot.serialized()).write(to: self.snapshot)
    }

    private static func text(_ value: DatabaseValue?) -> String {
        value.flatMap(String.fromDatabaseValue) ?? ""
    }
}
