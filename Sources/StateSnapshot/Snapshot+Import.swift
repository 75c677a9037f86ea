import Storage

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How far a long import has come, for a progress line on a terminal.
public struct ImportProgress: Sendable {
    public var blobsDone: Int
    public var blobsTotal: Int
    public var bytesDone: Int64
    public var bytesTotal: Int64

    public init(blobsDone: Int = 0, blobsTotal: Int, bytesDone: Int64 = 0, bytesTotal: Int64) {
        self.blobsDone = blobsDone
        self.blobsTotal = blobsTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
    }
}

extension Snapshot {
    /// Imports the snapshot: first the blobs its images need (from `layout`
    /// when the data directory lacks them), then, in one transaction, replaces
    /// the snapshot's accounts with what it holds. Accounts it does not name
    /// are left alone. On any error nothing is changed (blob files copied in
    /// are content-addressed and unreferenced, so housekeeping may collect them).
    /// Blobs brought in are dated `time` until the snapshot's rows date them.
    public func apply(
        to store: Store, layout: OCILayout? = nil, at time: Double = Date().timeIntervalSince1970,
        progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) throws {
        try bringBlobs(into: store, from: layout, at: time, progress: progress)
        try store.transaction(.write) { tx in try insert(tx) }
    }

    /// Puts every blob the snapshot names into `store` (each an upload
    /// verified against its digest, see `OCILayout.copy`), and checks each has
    /// the size the snapshot says; throws naming the first blob found nowhere.
    public func bringBlobs(
        into store: Store, from layout: OCILayout?, at time: Double, progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) throws {
        let blobs = store.blobs
        let needed = self.blobs.filter { !blobs.exists($0.digest) }
        for blob in needed where layout?.has(blob.digest) != true {
            let hint = layout == nil ? "; import the OCI layout directory `state export --layout` wrote" : " or in \(layout!.root.path)"
            throw SnapshotError("blob \(blob.digest) (\(blob.size) bytes) is not in the data directory\(hint)")
        }
        if let layout, !needed.isEmpty {
            var report = ImportProgress(blobsTotal: needed.count, bytesTotal: needed.reduce(0) { total, blob in
                // Sizes are only claims until each copy checks them: a sum past Int64 must not trap.
                let (sum, overflow) = total.addingReportingOverflow(blob.size)
                return overflow ? .max : sum
            })
            progress?(report)
            for blob in needed {
                try layout.copy(blob.digest, into: store, at: time)
                report.blobsDone += 1
                report.bytesDone += blob.size
                progress?(report)
            }
        }
        for blob in self.blobs {
            let size = blobs.size(of: blob.digest) ?? -1
            guard size == blob.size else {
                throw SnapshotError("blob \(blob.digest) holds \(size) bytes, not \(blob.size) as the snapshot says")
            }
        }
    }

    /// Removes accounts and everything in them (their rows cascade from the
    /// account's), within the caller's transaction.
    public static func delete(accounts: [String], in tx: Transaction) throws {
        // Tags have no foreign key (they hang off ids of many tables), so they
        // go first, while the rows that own them can still be found.
        for section in SnapshotSection.all where section.table == "tag" {
            try section.rows.delete(of: accounts, in: tx)
        }
        try AccountRows.account.delete(of: accounts, in: tx)
    }

    /// Replaces the snapshot's accounts within the caller's transaction.
    public func insert(_ tx: Transaction) throws {
        let tables = try TableColumns.current()
        try Self.delete(accounts: accounts, in: tx)
        for section in SnapshotSection.all {
            let sectionRows = rows[section.path] ?? []
            // Shared rows may already be here (a blob another account
            // holds, an issuer's key the seed also names): updated in
            // place, never deleted, as rows of other accounts refer to them.
            let upsertKey = section.shared ? try tables.columns(of: section.table).filter(\.isPrimaryKey).map(\.name) : nil
            for (index, row) in sectionRows.enumerated() {
                do {
                    try section.rows.insert(row.values, upsertKey: upsertKey, in: tx)
                } catch let error as DatabaseError {
                    let line = row.line.map { " (line \($0))" } ?? ""
                    throw SnapshotError("\(section.path)[\(index)]\(line): \(Self.explain(error))")
                }
            }
            // A row whose parent is in another account (a membership in some
            // other account's group, say) would escape the replacement.
            guard !section.shared, !sectionRows.isEmpty else { continue }
            let owned = try section.rows.count(of: accounts, in: tx)
            guard owned == sectionRows.count else {
                throw SnapshotError("\(section.path): \(sectionRows.count - owned) of its rows belong to no account in the snapshot")
            }
        }
    }

    private static func explain(_ error: DatabaseError) -> String {
        if error.isForeignKeyViolation { return "it refers to something the snapshot does not hold" }
        if error.isUniqueViolation { return "it collides with another row (\(error.message ?? "same key"))" }
        return error.message ?? "\(error)"
    }
}
