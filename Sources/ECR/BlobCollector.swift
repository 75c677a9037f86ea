import Foundation
import Storage

/// Collects what no one can reach any more: abandoned uploads, layers no image
/// of their repository references, and blob files no repository holds.
///
/// Grace periods keep anything in flight safe: an upload is abandoned after a
/// day without bytes, a layer may wait a day for the manifest that uses it,
/// and a blob file must be an hour old before it can go.
public enum BlobCollector {
    public struct Report: Sendable, Equatable {
        public var uploads = 0
        public var layers = 0
        public var blobs = 0

        public init() {}

        public var isEmpty: Bool { uploads == 0 && layers == 0 && blobs == 0 }
    }

    public static let uploadGrace: Double = 24 * 3600
    public static let layerGrace: Double = 24 * 3600
    public static let blobGrace: Double = 3600

    /// Where a long collection is, for a progress line: repositories
    /// checked, then blob files removed.
    public struct Progress: Sendable {
        public var phase: String
        public var done: Int
        public var total: Int
    }

    public static func collect(_ store: Store, now: Double, progress: ((Progress) -> Void)? = nil) throws -> Report {
        var report = Report()
        let blobs = store.blobs
        let (staleUploads, unheldBlobs) = try store.transaction(.write) { tx -> ([String], [String]) in
            let uploads = try LayerUploadRecord.idle(since: now - uploadGrace, in: tx)
            try LayerUploadRecord.deleteIdle(since: now - uploadGrace, in: tx)

            let repositories = try RepositoryRecord.allArns(in: tx)
            for (index, repository) in repositories.enumerated() {
                progress?(Progress(phase: "checking repositories", done: index, total: repositories.count))
                var referenced: Set<String> = []
                for manifest in try ImageRecord.manifests(repositoryArn: repository, in: tx) {
                    if let parsed = try? Manifest(bytes: Array(manifest), declared: nil) {
                        referenced.formUnion(([parsed.config].compactMap { $0 } + parsed.layers).map(\.digest))
                    }
                }
                for held in try RepositoryBlobRecord.all(repositoryArn: repository, in: tx)
                where !referenced.contains(held.digest) && held.addedAt < now - layerGrace {
                    try RepositoryBlobRecord.delete(repositoryArn: repository, digest: held.digest, in: tx)
                    report.layers += 1
                }
            }
            let orphaned = try BlobRecord.unheld(before: now - blobGrace, in: tx)
            for digest in orphaned { try BlobRecord.delete(digest, in: tx) }
            return (uploads, orphaned)
        }
        for id in staleUploads { blobs.discardUpload(id) }
        report.uploads = staleUploads.count
        for (index, digest) in unheldBlobs.enumerated() {
            blobs.remove(digest)
            progress?(Progress(phase: "removing blobs", done: index + 1, total: unheldBlobs.count))
        }
        report.blobs = unheldBlobs.count
        // Upload files no row points at (a crash between file and row).
        let known = Set(try store.transaction(.read) { tx in try LayerUploadRecord.allIds(in: tx) })
        for id in blobs.staleUploads(olderThan: Date(timeIntervalSince1970: now - uploadGrace)) where !known.contains(id) {
            blobs.discardUpload(id)
            report.uploads += 1
        }
        return report
    }
}
