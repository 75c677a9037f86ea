#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one collector of what no one can reach any more: abandoned uploads
/// (row and file), layers no image of their repository references (the
/// services say which: `releasingLayers`), blobs no repository holds, and
/// files no row names (a crash between a file and its row). The server's
/// housekeeping runs it every --gc-interval; `gatehouse gc` runs it once.
///
/// Grace periods keep anything in flight safe: an upload is abandoned after a
/// day without bytes (and never while a request holds it), a layer may wait a
/// day for the manifest that uses it, and a blob file must be an hour old
/// before it can go (and never while a commit is writing its rows).
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

        public init(phase: String, done: Int, total: Int) {
            self.phase = phase
            self.done = done
            self.total = total
        }
    }

    /// Releases, in the collection's transaction, the layers repositories
    /// hold that nothing references and that were added before the cutoff;
    /// returns how many.
    public typealias LayerRelease = (_ tx: Transaction, _ cutoff: Double, _ progress: ((Progress) -> Void)?) throws -> Int

    public static func collect(
        _ store: Store, now: Double, progress: ((Progress) -> Void)? = nil, releasingLayers: LayerRelease? = nil
    ) throws -> Report {
        var report = Report()
        let blobs = store.blobs
        // Rows first, in one transaction; files after, outside it.
        let (idleUploads, unheldBlobs) = try store.transaction(.write) { tx -> ([String], [String]) in
            let uploads = try LayerUploadRecord.idle(since: now - uploadGrace, in: tx).filter { !blobs.isClaimed($0) }
            for id in uploads { try LayerUploadRecord.delete(id, in: tx) }
            report.layers = try releasingLayers?(tx, now - layerGrace, progress) ?? 0
            let unheld = try BlobRecord.unheld(before: now - blobGrace, in: tx)
            for digest in unheld { try BlobRecord.delete(digest, in: tx) }
            return (uploads, unheld)
        }
        for id in idleUploads { blobs.discardUploadFile(id) }
        report.uploads = idleUploads.count

        // Files no row names: an upload's left by a crash before its row, a
        // blob's by one before its rows (or whose row was just deleted).
        let uploadFiles = blobs.idleUploadFiles(before: Date(timeIntervalSince1970: now - uploadGrace))
        let blobFiles = blobs.idleBlobFiles(before: Date(timeIntervalSince1970: now - blobGrace))
        let (knownUploads, knownBlobs) = try store.transaction(.read) { tx in
            (Set(try LayerUploadRecord.allIds(in: tx)), try BlobRecord.known(blobFiles, in: tx))
        }
        for id in uploadFiles where !knownUploads.contains(id) {
            blobs.discardUploadFile(id)
            report.uploads += 1
        }
        let unreferenced = Array(Set(unheldBlobs).union(blobFiles.filter { !knownBlobs.contains($0) })).sorted()
        for (index, digest) in unreferenced.enumerated() {
            // Checked again with commits of the digest held off: one may have
            // written its rows since (or be placing the file now).
            let removed = try blobs.removeUnreferenced(digest) {
                try store.transaction(.read) { tx in try BlobRecord.known([digest], in: tx).isEmpty == false }
            }
            if removed { report.blobs += 1 }
            progress?(Progress(phase: "removing blobs", done: index + 1, total: unreferenced.count))
        }
        return report
    }
}
