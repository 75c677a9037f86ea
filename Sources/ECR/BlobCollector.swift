import Foundation
import GRDB
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
        let (staleUploads, unheldBlobs) = try store.write { db -> ([String], [String]) in
            let uploads = try String.fetchAll(
                db, cached: "SELECT id FROM layerUpload WHERE updatedAt < ?", arguments: [now - uploadGrace])
            try db.execute(cached: "DELETE FROM layerUpload WHERE updatedAt < ?", arguments: [now - uploadGrace])

            let repositories = try String.fetchAll(db, cached: "SELECT arn FROM repository")
            for (index, repository) in repositories.enumerated() {
                progress?(Progress(phase: "checking repositories", done: index, total: repositories.count))
                var referenced: Set<String> = []
                for manifest in try Data.fetchAll(db, cached: "SELECT manifest FROM image WHERE repositoryArn = ?", arguments: [repository]) {
                    if let parsed = try? Manifest(bytes: Array(manifest), declared: nil) {
                        referenced.formUnion(([parsed.config].compactMap { $0 } + parsed.layers).map(\.digest))
                    }
                }
                let held = try Row.fetchAll(
                    db, cached: "SELECT digest, addedAt FROM repositoryBlob WHERE repositoryArn = ?", arguments: [repository])
                for row in held {
                    let digest: String = row["digest"]
                    let addedAt: Double = row["addedAt"]
                    if !referenced.contains(digest) && addedAt < now - layerGrace {
                        try db.execute(
                            cached: "DELETE FROM repositoryBlob WHERE repositoryArn = ? AND digest = ?", arguments: [repository, digest])
                        report.layers += 1
                    }
                }
            }
            let orphaned = try String.fetchAll(db, cached: """
                SELECT digest FROM blob WHERE createdAt < ? AND digest NOT IN (SELECT digest FROM repositoryBlob)
                """, arguments: [now - blobGrace])
            for digest in orphaned { try db.execute(cached: "DELETE FROM blob WHERE digest = ?", arguments: [digest]) }
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
        let known = Set(try store.read { db in try String.fetchAll(db, cached: "SELECT id FROM layerUpload") })
        for id in blobs.staleUploads(olderThan: Date(timeIntervalSince1970: now - uploadGrace)) where !known.contains(id) {
            blobs.discardUpload(id)
            report.uploads += 1
        }
        return report
    }
}
