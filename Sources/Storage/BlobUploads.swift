import Hashing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Store {
    /// The one way blob bytes arrive: the registry's uploads (monolithic and
    /// chunked), ECR's layer parts, the admin blob PUT and an OCI layout import.
    public var uploads: BlobUploads { BlobUploads(store: self) }
}

/// Blob uploads: an upload's file (`uploads/ID`) and, for one a repository
/// started, its `layerUpload` row, kept in step.
///
/// - `start`: the file, then the row (the file goes if the row cannot be written).
/// - `open` … `finish`: bytes appended at the upload's end and hashed as they
///   are written; then one short transaction records the new size.
/// - `digest(of:size:)`: what the bytes hash to, outside any transaction —
///   the streamed hash, or the file read on the hashing threads when this
///   process did not stream all of it (a restart, an append that failed).
///   The caller checks it against what the client said; a refusal there
///   changes nothing, and the upload can be completed again.
/// - `commit`: the file is linked into place as the blob, one short write
///   transaction deletes the upload's row and writes the blob's rows, then the
///   upload's own name goes. If the rows cannot be written, a blob file the
///   commit created is taken back, and the upload stays whole, row and file.
/// - `cancel`: the row, then the file.
///
/// Work on an upload happens holding it (`exclusively`): a second request is
/// refused, so two never write one file and none writes a file being placed.
public struct BlobUploads: Sendable {
    let store: Store
    var blobs: BlobStore { store.blobs }

    /// Bytes that are not the digest they were sent as.
    public struct DigestMismatch: Error, CustomStringConvertible {
        public let expected: String
        public let actual: String
        public var description: String { "the bytes have digest \(actual), not \(expected)" }
    }

    /// What an upload's bytes hash to, as `commit` takes it (only this type
    /// makes one, from the bytes themselves).
    public struct Hashed: Sendable, Equatable {
        public let id: String
        public let digest: String
        public let size: Int64
    }

    // MARK: - Holding an upload

    /// Runs `body` as the only request working on upload `id`; throws
    /// `BlobStore.UploadInUse` at once if another has it (a second writer is
    /// refused, not queued). Read the upload's row inside `body`: one completed
    /// or cancelled before the claim is gone by then, so it stays closed.
    public func exclusively<T>(_ id: String, _ body: () async throws -> T) async throws -> T {
        try await exclusively(id, inUse: BlobStore.UploadInUse(id: id), body)
    }

    /// The same, refusing a second request with the caller's own error (each
    /// protocol says "in use" its own way).
    public func exclusively<T>(_ id: String, inUse refusal: @autoclosure () -> any Error, _ body: () async throws -> T) async throws -> T {
        guard blobs.claim(id) else { throw refusal() }
        defer { blobs.release(id) }
        return try await body()
    }

    // MARK: - Resumable uploads

    /// Starts upload `id` for the repository `repository` names in the
    /// transaction (it may refuse): the file, then the row.
    public func start(_ id: String, at time: Double, repository: (Transaction) throws -> String) throws {
        try blobs.createUploadFile(id)
        do {
            try store.transaction(.write) { tx in
                try tx.insert(LayerUploadRecord(id: id, repositoryArn: try repository(tx), size: 0, createdAt: time, updatedAt: time))
            }
        } catch {
            blobs.discardUploadFile(id)
            throw error
        }
    }

    /// Opens upload `id`, which the caller holds, to append at `offset` (what
    /// its row says it has): anything after that is dropped first.
    public func open(_ id: String, at offset: Int64) throws -> BlobUpload {
        try BlobUpload(id, at: offset, in: blobs)
    }

    /// Ends an append: the file is closed, its hash kept for the next one, and
    /// the upload's row records the new size. Returns that size.
    @discardableResult
    public func finish(_ upload: BlobUpload, at time: Double) throws -> Int64 {
        upload.close()
        if let hasher = upload.hasher { blobs.keepHasher(hasher, for: upload.id) }
        let size = upload.size
        try store.transaction(.write) { tx in try LayerUploadRecord.recordPart(upload.id, size: size, at: time, in: tx) }
        return size
    }

    /// What the first `size` bytes of upload `id` (held by the caller) hash
    /// to. Never call it inside a transaction: a large layer not streamed by
    /// this process takes seconds to read.
    public func digest(of id: String, size: Int64) async throws -> Hashed {
        let path = blobs.uploadPath(id).path
        guard let file = FileIdentity(path: path) else { throw BlobUpload.FileError.missing(id) }
        if file.size > size {
            // Bytes past the recorded end, from an append that failed: dropped.
            let trimmed = try open(id, at: size)
            trimmed.close()
            if let hasher = trimmed.hasher { blobs.keepHasher(hasher, for: id) }
        }
        if let hasher = blobs.hasher(id), hasher.byteCount == size {
            return Hashed(id: id, digest: hasher.currentDigest(), size: size)
        }
        let digest = try await BlobStore.offPool { try BlobStore.hashFile(at: path).digest }
        return Hashed(id: id, digest: digest, size: size)
    }

    /// Makes the upload the blob it hashed to and writes the rows: the
    /// upload's row goes, the blob's is written if absent, and `rows` writes
    /// the rest (a repository holding it) in the same transaction. Call it
    /// holding the upload, after checking `hashed.digest`.
    public func commit<R>(_ hashed: Hashed, at time: Double, rows: (Transaction) throws -> R) throws -> R {
        try blobs.committing(hashed.digest) {
            let created = try blobs.place(upload: hashed.id, as: hashed.digest)
            let result: R
            do {
                result = try store.transaction(.write) { tx in
                    try LayerUploadRecord.delete(hashed.id, in: tx)
                    try tx.insertIfAbsent(BlobRecord(digest: hashed.digest, size: hashed.size, createdAt: time))
                    return try rows(tx)
                }
            } catch {
                if created { blobs.unplace(hashed.digest) }
                throw error
            }
            blobs.discardUploadFile(hashed.id)
            return result
        }
    }

    /// Cancels upload `id` (held by the caller): its row, then its file.
    public func cancel(_ id: String) throws {
        try store.transaction(.write) { tx in try LayerUploadRecord.delete(id, in: tx) }
        blobs.discardUploadFile(id)
    }

    // MARK: - Whole blobs

    /// A blob that arrives in one go (the admin PUT, an OCI layout import): an
    /// upload with no row, held by the writer returned and discarded with it
    /// unless `keep` makes it the blob.
    public func whole(_ id: String) throws -> BlobUpload {
        guard blobs.claim(id) else { throw BlobStore.UploadInUse(id: id) }
        do {
            try blobs.createUploadFile(id)
            return try BlobUpload(id, at: 0, in: blobs, whole: true)
        } catch {
            blobs.discardUploadFile(id)
            blobs.release(id)
            throw error
        }
    }

    /// Keeps a whole blob as `digest` if that is what its bytes hash to;
    /// otherwise throws `DigestMismatch` (the bytes go with the writer).
    @discardableResult
    public func keep(_ upload: BlobUpload, as digest: String, at time: Double) throws -> Hashed {
        upload.close()
        let actual = try upload.hasher?.currentDigest() ?? BlobStore.hashFile(at: blobs.uploadPath(upload.id).path).digest
        guard actual == digest else { throw DigestMismatch(expected: digest, actual: actual) }
        let hashed = Hashed(id: upload.id, digest: actual, size: upload.size)
        try commit(hashed, at: time) { _ in }
        return hashed
    }

    /// Bytes already in memory, kept as a blob; returns its digest.
    @discardableResult
    public func put(_ bytes: [UInt8], at time: Double) throws -> String {
        let digest = "sha256:" + Hex.encode(SHA256.hash(bytes))
        let upload = try whole("put-" + UUID().uuidString)
        try upload.write(bytes)
        try keep(upload, as: digest, at: time)
        return digest
    }
}
