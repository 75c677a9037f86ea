// The queries of blobs, the layers repositories hold and uploads in progress,
// beside their records. No in-memory cache is built from them (the authorizer
// never looks at layers), so their writes touch nothing.

extension BlobRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    /// Blob rows older than `time` that no repository holds (their files may go).
    static func unheld(before time: Double, in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: """
            SELECT digest FROM blob WHERE createdAt < ? AND digest NOT IN (SELECT digest FROM repositoryBlob)
            """, arguments: [time])
    }

    static func delete(_ digest: String, in tx: Transaction) throws {
        try tx.db.execute(cached: "DELETE FROM blob WHERE digest = ?", arguments: [digest])
    }

    /// Which of `digests` have a row.
    static func known(_ digests: [String], in tx: Transaction) throws -> Set<String> {
        var known: Set<String> = []
        for digest in digests where try tx.fetch(BlobRecord.self, key: digest) != nil { known.insert(digest) }
        return known
    }
}

extension RepositoryBlobRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    public static func find(repositoryArn: String, digest: String, in tx: Transaction) throws -> RepositoryBlobRecord? {
        try RepositoryBlobRecord.fetchOne(
            tx.db, cached: "SELECT * FROM repositoryBlob WHERE repositoryArn = ? AND digest = ?", arguments: [repositoryArn, digest])
    }

    /// The blob's size and the media type it was last used with, when the repository holds it.
    public static func held(repositoryArn: String, digest: String, in tx: Transaction) throws -> (size: Int64, mediaType: String?)? {
        guard let row = try Row.fetchOne(tx.db, cached: """
            SELECT b.size, r.mediaType FROM repositoryBlob r JOIN blob b ON b.digest = r.digest
            WHERE r.repositoryArn = ? AND r.digest = ?
            """, arguments: [repositoryArn, digest])
        else { return nil }
        return (row[0], row[1])
    }

    /// Records the media type a manifest gives a layer the repository holds (nothing if it holds none).
    public static func setMediaType(_ mediaType: String, repositoryArn: String, digest: String, in tx: Transaction) throws {
        try tx.db.execute(
            cached: "UPDATE repositoryBlob SET mediaType = ? WHERE repositoryArn = ? AND digest = ?",
            arguments: [mediaType, repositoryArn, digest])
    }

    /// What a repository holds, with when each layer was added (the blob collector).
    public static func all(repositoryArn: String, in tx: Transaction) throws -> [(digest: String, addedAt: Double)] {
        try Row.fetchAll(
            tx.db, cached: "SELECT digest, addedAt FROM repositoryBlob WHERE repositoryArn = ?", arguments: [repositoryArn]
        ).map { ($0["digest"], $0["addedAt"]) }
    }

    public static func delete(repositoryArn: String, digest: String, in tx: Transaction) throws {
        try tx.db.execute(cached: "DELETE FROM repositoryBlob WHERE repositoryArn = ? AND digest = ?", arguments: [repositoryArn, digest])
    }

}

extension LayerUploadRecord: TrackedRecord {
    public var dependencies: [Dependency] { [] }

    /// Records that the upload now holds `size` bytes.
    static func recordPart(_ id: String, size: Int64, at time: Double, in tx: Transaction) throws {
        try tx.db.execute(cached: "UPDATE layerUpload SET size = ?, updatedAt = ? WHERE id = ?", arguments: [size, time, id])
    }

    /// Uploads that received nothing since `time`, by id.
    static func idle(since time: Double, in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: "SELECT id FROM layerUpload WHERE updatedAt < ?", arguments: [time])
    }

    static func delete(_ id: String, in tx: Transaction) throws {
        try tx.db.execute(cached: "DELETE FROM layerUpload WHERE id = ?", arguments: [id])
    }

    /// Every upload's id.
    static func allIds(in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: "SELECT id FROM layerUpload")
    }
}
