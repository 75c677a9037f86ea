import JSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The queries of ECR images, their tags, references, scans and lifecycle
// previews, beside their records.
//
// No in-memory cache is built from any of these rows: the authorizer knows a
// repository by its own row and its tags (`.resource(arn)`), never by its
// images. Their writes therefore touch nothing, and leave every cache warm.

extension ImageRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    /// The image of `repositoryArn` with this manifest digest.
    public static func find(repositoryArn: String, digest: String, in tx: Transaction) throws -> ImageRecord? {
        try ImageRecord.fetchOne(
            tx.db, cached: "SELECT * FROM image WHERE repositoryArn = ? AND digest = ?", arguments: [repositoryArn, digest])
    }

    /// Deletes an image; its tags, references and scan go with it (foreign keys).
    public static func delete(repositoryArn: String, digest: String, in tx: Transaction) throws {
        try tx.db.execute(cached: "DELETE FROM image WHERE repositoryArn = ? AND digest = ?", arguments: [repositoryArn, digest])
    }

    /// Notes that the manifest list or index `parent` points at `child`.
    public static func addReference(repositoryArn: String, parent: String, child: String, in tx: Transaction) throws {
        try tx.db.execute(
            cached: "INSERT OR IGNORE INTO imageReference (repositoryArn, parentDigest, childDigest) VALUES (?, ?, ?)",
            arguments: [repositoryArn, parent, child])
    }

    /// The manifest lists and indexes of the repository that point at `child`.
    /// The images a manifest list or index of the repository names.
    public static func children(of parent: String, repositoryArn: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(
            tx.db, cached: "SELECT childDigest FROM imageReference WHERE repositoryArn = ? AND parentDigest = ?",
            arguments: [repositoryArn, parent])
    }

    public static func parents(of child: String, repositoryArn: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(
            tx.db, cached: "SELECT parentDigest FROM imageReference WHERE repositoryArn = ? AND childDigest = ?",
            arguments: [repositoryArn, child])
    }

    /// One page of a repository's images by digest (DescribeImages), starting
    /// after `digest`: keyset paging on the primary key (repositoryArn, digest).
    /// Returns at most `limit` + 1.
    ///
    /// - Parameters:
    ///   - tagged: only images with tags (true) or without (false); nil for all.
    ///   - archived: only images in the ARCHIVE storage class (true) or not (false); nil for all.
    ///     A filtered page reads past the images the filter leaves out.
    public static func page(
        repositoryArn: String, tagged: Bool?, archived: Bool?, after digest: String?, limit: Int, in tx: Transaction
    ) throws -> [ImageRecord] {
        // Digests are never empty, so "" is before the first.
        try ImageRecord.fetchAll(tx.db, cached: """
            SELECT * FROM image
            WHERE repositoryArn = :arn AND digest > :after
              AND (:archived IS NULL OR (storageClass = 'ARCHIVE') = :archived)
              AND (:tagged IS NULL
                   OR EXISTS (SELECT 1 FROM imageTag t WHERE t.repositoryArn = image.repositoryArn AND t.digest = image.digest) = :tagged)
            ORDER BY digest LIMIT :limit
            """, arguments: ["arn": repositoryArn, "after": digest ?? "", "archived": archived, "tagged": tagged, "limit": limit + 1])
    }

    /// One page of the images of a repository whose manifest names `subject`
    /// as its subject (ListImageReferrers), by digest, starting after `digest`:
    /// keyset paging on `imageBySubject`. Returns at most `limit` + 1.
    ///
    /// - Parameter artifactTypes: only images with one of these artifact media
    ///   types (an image without one counts as ""); empty for all.
    public static func referrers(
        repositoryArn: String, subject: String, artifactTypes: [String], after digest: String?, limit: Int, in tx: Transaction
    ) throws -> [ImageRecord] {
        guard !artifactTypes.isEmpty else {
            return try ImageRecord.fetchAll(tx.db, cached: """
                SELECT * FROM image INDEXED BY imageBySubject
                WHERE repositoryArn = ? AND subjectDigest = ? AND digest > ?
                ORDER BY digest LIMIT ?
                """, arguments: [repositoryArn, subject, digest ?? "", limit + 1])
        }
        // One statement for any number of types: they come as a JSON array.
        var writer = JSONWriter()
        writer.arrayStart()
        for type in artifactTypes { writer.value(type) }
        writer.arrayEnd()
        let types = writer.string
        return try ImageRecord.fetchAll(tx.db, cached: """
            SELECT * FROM image INDEXED BY imageBySubject
            WHERE repositoryArn = ? AND subjectDigest = ? AND digest > ?
              AND coalesce(artifactMediaType, '') IN (SELECT value FROM json_each(?))
            ORDER BY digest LIMIT ?
            """, arguments: [repositoryArn, subject, digest ?? "", types, limit + 1])
    }

    /// Records that these images were pulled at `time` (DescribeImages' `lastRecordedPullTime`).
    public static func recordPulls(_ digests: [String], repositoryArn: String, at time: Double, in tx: Transaction) throws {
        for digest in digests {
            try tx.db.execute(
                cached: "UPDATE image SET lastPulledAt = ? WHERE repositoryArn = ? AND digest = ?", arguments: [time, repositoryArn, digest])
        }
    }

    /// What a lifecycle policy looks at in an image.
    public struct LifecycleView: Sendable, Equatable {
        public var digest: String
        /// By tag.
        public var tags: [String]
        public var pushedAt: Double
        public var lastPulledAt: Double?
        public var storageClass: String
        public var archivedAt: Double?
        /// Whether a manifest list or index of the repository points at it.
        public var isReferenced: Bool
    }

    /// Every image of a repository as a lifecycle policy sees it.
    public static func lifecycleViews(repositoryArn: String, in tx: Transaction) throws -> [LifecycleView] {
        let rows = try Row.fetchAll(tx.db, cached: """
            SELECT i.digest, i.pushedAt, i.lastPulledAt, i.storageClass, i.archivedAt,
                   (SELECT group_concat(t.tag, char(10)) FROM imageTag t WHERE t.repositoryArn = i.repositoryArn AND t.digest = i.digest) AS tags,
                   EXISTS (SELECT 1 FROM imageReference r WHERE r.repositoryArn = i.repositoryArn AND r.childDigest = i.digest) AS referenced
            FROM image i WHERE i.repositoryArn = ?
            """, arguments: [repositoryArn])
        return rows.map { row in
            let tags: String? = row["tags"]
            return LifecycleView(
                digest: row["digest"], tags: tags.map { $0.split(separator: "\n").map(String.init).sorted() } ?? [],
                pushedAt: row["pushedAt"], lastPulledAt: row["lastPulledAt"], storageClass: row["storageClass"],
                archivedAt: row["archivedAt"], isReferenced: row["referenced"])
        }
    }

    /// A repository's image manifest as pushed, with what reading it needs.
    public struct StoredManifest: Sendable {
        public var manifest: Data
        public var mediaType: String
        public var storageClass: String

        public init(manifest: Data, mediaType: String, storageClass: String) {
            self.manifest = manifest
            self.mediaType = mediaType
            self.storageClass = storageClass
        }
    }

    /// Whether any image of the repository is archived.
    public static func holdsArchived(repositoryArn: String, in tx: Transaction) throws -> Bool {
        try Bool.fetchOne(
            tx.db, cached: "SELECT EXISTS (SELECT 1 FROM image WHERE repositoryArn = ? AND storageClass = 'ARCHIVE')",
            arguments: [repositoryArn]) ?? false
    }

    /// The manifests of a repository's images (the blob collector; which layers archived images hold).
    public static func manifests(repositoryArn: String, in tx: Transaction) throws -> [StoredManifest] {
        try Row.fetchAll(tx.db, cached: "SELECT manifest, mediaType, storageClass FROM image WHERE repositoryArn = ?", arguments: [repositoryArn])
            .map { StoredManifest(manifest: $0["manifest"], mediaType: $0["mediaType"], storageClass: $0["storageClass"]) }
    }

    /// One row of ListImages: an image with one of its tags, or alone when it has none.
    public struct Listed: Sendable, Equatable {
        public var digest: String
        public var tag: String?

        public init(digest: String, tag: String?) {
            self.digest = digest
            self.tag = tag
        }
    }

    /// One page of a repository's (digest, tag) pairs (ListImages), by digest
    /// then tag, an untagged image's row before any tag, starting after
    /// `position`: keyset paging on the image's primary key and
    /// `imageTagByListing`. Returns at most `limit` + 1.
    ///
    /// - Parameter tagged: only tagged rows (true), only untagged images
    ///   (false, reading past the tagged ones), or both (nil).
    public static func listing(
        repositoryArn: String, tagged: Bool?, after position: Listed?, limit: Int, in tx: Transaction
    ) throws -> [Listed] {
        let digest = position?.digest ?? "", tag = position?.tag
        let rows: [Row]
        switch tagged {
        case true?:
            rows = try Row.fetchAll(tx.db, cached: """
                SELECT digest, tag FROM imageTag INDEXED BY imageTagByListing
                WHERE repositoryArn = ? AND (digest, tag) > (?, ?)
                ORDER BY digest, tag LIMIT ?
                """, arguments: [repositoryArn, digest, tag ?? "", limit + 1])
        case false?:
            rows = try Row.fetchAll(tx.db, cached: """
                SELECT i.digest, NULL AS tag FROM image i
                WHERE i.repositoryArn = ? AND i.digest > ?
                  AND NOT EXISTS (SELECT 1 FROM imageTag t WHERE t.repositoryArn = i.repositoryArn AND t.digest = i.digest)
                ORDER BY i.digest LIMIT ?
                """, arguments: [repositoryArn, digest, limit + 1])
        case nil:
            // After an untagged row (tag NULL) only later digests follow: `t.tag > NULL` is never true.
            rows = try Row.fetchAll(tx.db, cached: """
                SELECT i.digest, t.tag FROM image i
                LEFT JOIN imageTag t INDEXED BY imageTagByListing ON t.repositoryArn = i.repositoryArn AND t.digest = i.digest
                WHERE i.repositoryArn = ? AND i.digest >= ? AND (i.digest > ? OR t.tag > ?)
                ORDER BY i.digest, t.tag LIMIT ?
                """, arguments: [repositoryArn, digest, digest, tag, limit + 1])
        }
        return rows.map { Listed(digest: $0["digest"], tag: $0["tag"]) }
    }
}

extension ImageTagRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    public static func find(repositoryArn: String, tag: String, in tx: Transaction) throws -> ImageTagRecord? {
        try ImageTagRecord.fetchOne(
            tx.db, cached: "SELECT * FROM imageTag WHERE repositoryArn = ? AND tag = ?", arguments: [repositoryArn, tag])
    }

    /// An image's tags, by tag.
    public static func tags(repositoryArn: String, digest: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(
            tx.db, cached: "SELECT tag FROM imageTag WHERE repositoryArn = ? AND digest = ? ORDER BY tag", arguments: [repositoryArn, digest])
    }

    public static func count(repositoryArn: String, digest: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(
            tx.db, cached: "SELECT count(*) FROM imageTag WHERE repositoryArn = ? AND digest = ?", arguments: [repositoryArn, digest]) ?? 0
    }

}

extension ImageScanRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    public static func find(repositoryArn: String, digest: String, in tx: Transaction) throws -> ImageScanRecord? {
        try ImageScanRecord.fetchOne(
            tx.db, cached: "SELECT * FROM imageScan WHERE repositoryArn = ? AND digest = ?", arguments: [repositoryArn, digest])
    }

}

extension LifecyclePreviewRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    public static func find(repositoryArn: String, in tx: Transaction) throws -> LifecyclePreviewRecord? {
        try LifecyclePreviewRecord.fetchOne(tx.db, cached: "SELECT * FROM lifecyclePreview WHERE repositoryArn = ?", arguments: [repositoryArn])
    }

}
