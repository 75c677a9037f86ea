import Foundation
import Hashing
import Synchronization

/// Image blobs as content-addressed files: `blobs/sha256/HEX`.
///
/// Bytes arrive in an upload file (`uploads/ID`), are hashed, and only a file
/// whose digest checks out is renamed into place — so a blob file is always
/// complete and correct, and one copy serves every repository.
///
/// One request at a time works on an upload (`withExclusiveUpload`): every
/// write to an upload file and its commit happen under that claim, so when an
/// upload is renamed into place nobody holds it open for writing. A committed
/// file is read-only, and is served only while it is the file that was verified.
public final class BlobStore: Sendable {
    public let root: URL
    private let blobs: URL
    private let uploads: URL
    /// Uploads a request is writing, completing or cancelling right now. One
    /// server owns the data directory (`DataDirectoryLock`), so this process
    /// sees every writer.
    private let busy = Mutex<Set<String>>([])
    /// Blob files whose bytes this process has checked against their name, as
    /// they were then (see `verifiedFile`).
    private let verified = Mutex<[String: FileIdentity]>([:])

    public init(root: URL) throws {
        self.root = root
        blobs = root.appendingPathComponent("blobs/sha256", isDirectory: true)
        uploads = root.appendingPathComponent("uploads", isDirectory: true)
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
    }

    /// `sha256:` followed by 64 lower-case hex digits.
    public static func isValidDigest(_ digest: String) -> Bool {
        guard digest.hasPrefix("sha256:") else { return false }
        let hex = digest.utf8.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    public func path(of digest: String) -> URL? {
        guard Self.isValidDigest(digest) else { return nil }
        return blobs.appendingPathComponent(String(digest.dropFirst(7)))
    }

    public func exists(_ digest: String) -> Bool {
        path(of: digest).map { FileManager.default.fileExists(atPath: $0.path) } ?? false
    }

    public func size(of digest: String) -> Int64? {
        guard let path = path(of: digest),
            let attributes = try? FileManager.default.attributesOfItem(atPath: path.path)
        else { return nil }
        return (attributes[.size] as? NSNumber)?.int64Value
    }

    /// The blob's file and size, if its bytes hash to `digest` (and number
    /// `size`, when given): what may be served.
    ///
    /// Hashing a blob on every pull would re-read gigabytes per request, so the
    /// hash is checked once per version of the file — when it is committed, or
    /// on its first serve by this process (a file from an earlier run) — and
    /// each serve compares one `stat` with the file as it was checked: inode,
    /// size, mtime and ctime. A file rewritten or replaced since differs in one
    /// of them and is hashed again; one whose bytes are not its name is not served.
    /// (Timestamps tick at the file system's granularity, so this guards against
    /// changes from outside; the upload claim is what keeps writers off a blob.)
    public func verifiedFile(_ digest: String, size expected: Int64? = nil) async -> (path: URL, size: Int64)? {
        guard let path = path(of: digest), let current = FileIdentity(path: path.path) else { return nil }
        if let expected, current.size != expected { return nil }
        if verified.withLock({ $0[digest] }) == current { return (path, current.size) }
        guard let hashed = try? await Self.offPool({ try Self.hashFile(at: path.path) }),
            hashed.digest == digest, hashed.before == current, hashed.after == current
        else { return nil }
        verified.withLock { $0[digest] = current }
        return (path, current.size)
    }

    /// Whether the file now at `target` is the one this process verified as `digest`.
    private func isVerified(_ digest: String, at target: URL) -> Bool {
        guard let current = FileIdentity(path: target.path) else { return false }
        return verified.withLock { $0[digest] } == current
    }

    /// Makes a file whose bytes were just checked against `digest` the blob:
    /// read-only, renamed into place (atomic: the blob file appears complete or
    /// not at all), and remembered as verified. A copy already in place and
    /// verified wins; any other (a file from an earlier run, unchecked) is
    /// replaced by these checked bytes — readers keep the file they opened.
    private func install(_ file: URL, as digest: String) throws {
        guard let target = path(of: digest) else { throw CocoaError(.fileWriteInvalidFileName) }
        if isVerified(digest, at: target) {
            try? FileManager.default.removeItem(at: file)
            return
        }
        guard chmod(file.path, 0o444) == 0, rename(file.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        if let installed = FileIdentity(path: target.path) {
            verified.withLock { $0[digest] = installed }
        }
    }

    // MARK: - Uploads

    public func uploadPath(_ id: String) -> URL { uploads.appendingPathComponent(id) }

    /// Another request is writing, completing or cancelling the upload.
    public struct UploadInUse: Error, CustomStringConvertible {
        public let id: String
        public var description: String { "upload \(id) is in use by another request" }
    }

    /// Runs `body` as the only request working on upload `id`; throws
    /// `UploadInUse` at once if another has it (a second writer is refused,
    /// not queued). Read the upload's row inside `body`: one completed or
    /// cancelled before the claim is gone by then, so it stays closed.
    public func withExclusiveUpload<T>(_ id: String, _ body: () async throws -> T) async throws -> T {
        try await withExclusiveUpload(id, inUse: UploadInUse(id: id), body)
    }

    /// The same, refusing a second request with the caller's own error (each
    /// protocol says "in use" its own way).
    public func withExclusiveUpload<T>(
        _ id: String, inUse refusal: @autoclosure () -> any Error, _ body: () async throws -> T
    ) async throws -> T {
        guard busy.withLock({ $0.insert(id).inserted }) else { throw refusal() }
        defer { _ = busy.withLock { $0.remove(id) } }
        return try await body()
    }

    public func createUpload(_ id: String) throws {
        guard FileManager.default.createFile(atPath: uploadPath(id).path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Writes bytes at `offset` of an upload, dropping anything after it first
    /// (what a failed earlier request may have left); returns the new size.
    @discardableResult
    public func write(_ id: String, _ bytes: some Collection<UInt8>, at offset: Int64) throws -> Int64 {
        let handle = try FileHandle(forWritingTo: uploadPath(id))
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(offset))
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(bytes))
        return offset + Int64(bytes.count)
    }

    public func uploadSize(_ id: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: uploadPath(id).path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// The sha256 digest of an upload's bytes, read on the hashing threads:
    /// never call it inside a transaction (a large layer takes seconds).
    public func digestOfUpload(_ id: String) async throws -> String {
        let path = uploadPath(id).path
        return try await Self.offPool { try Self.hashFile(at: path).digest }
    }

    /// Moves an upload whose bytes hash to `digest` into place as that blob.
    /// Call it holding the upload (`withExclusiveUpload`), so that no request
    /// still writes to the file that becomes the blob.
    public func commitUpload(_ id: String, as digest: String) throws {
        try install(uploadPath(id), as: digest)
    }

    /// An upload whose bytes are not what the sender said they are.
    public struct DigestMismatch: Error, CustomStringConvertible {
        public let expected: String
        public let actual: String
        public var description: String { "the bytes have digest \(actual), not \(expected)" }
    }

    /// Hashes an upload and moves it into place as `digest` only if that is
    /// what it holds; otherwise discards it and throws `DigestMismatch`.
    public func commitUpload(_ id: String, verifying digest: String) throws {
        let actual: String
        do {
            actual = try Self.hashFile(at: uploadPath(id).path).digest
        } catch {
            discardUpload(id)
            throw error
        }
        try commitUpload(id, hashed: actual, verifying: digest)
    }

    /// The same from a request handler: the upload is hashed on the hashing threads.
    public func commitUpload(_ id: String, verifying digest: String) async throws {
        let actual: String
        do {
            actual = try await digestOfUpload(id)
        } catch {
            discardUpload(id)
            throw error
        }
        try commitUpload(id, hashed: actual, verifying: digest)
    }

    private func commitUpload(_ id: String, hashed actual: String, verifying digest: String) throws {
        guard actual == digest else {
            discardUpload(id)
            throw DigestMismatch(expected: digest, actual: actual)
        }
        try commitUpload(id, as: digest)
    }

    public func discardUpload(_ id: String) {
        try? FileManager.default.removeItem(at: uploadPath(id))
    }

    /// Writes bytes already in memory as a blob (a manifest's config pushed through PutImage, say).
    @discardableResult
    public func store(_ bytes: [UInt8]) throws -> String {
        let digest = "sha256:" + Hex.encode(SHA256.hash(bytes))
        guard let target = path(of: digest) else { throw CocoaError(.fileWriteInvalidFileName) }
        if !isVerified(digest, at: target) {
            let temporary = uploads.appendingPathComponent(UUID().uuidString)
            try Data(bytes).write(to: temporary)
            try install(temporary, as: digest)
        }
        return digest
    }

    public func remove(_ digest: String) {
        if let path = path(of: digest) { try? FileManager.default.removeItem(at: path) }
        _ = verified.withLock { $0.removeValue(forKey: digest) }
    }

    /// Upload files not touched since `date` (abandoned uploads).
    public func staleUploads(olderThan date: Date) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []
        return names.filter { name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: uploads.appendingPathComponent(name).path)
            return ((attributes?[.modificationDate] as? Date) ?? .distantPast) < date
        }
    }
}

// MARK: - Hashing files

extension BlobStore {
    /// Where whole files are hashed: a large layer takes seconds, and the
    /// cooperative pool's few threads serve every request, so files are read
    /// on these threads and the caller awaits the result.
    private static let hashing = DispatchQueue(label: "gatehouse.blob-hashing", attributes: .concurrent)

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            hashing.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The sha256 digest of a file's bytes, and the file before and after it was read.
    static func hashFile(at path: String) throws -> (digest: String, before: FileIdentity, after: FileIdentity) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
        defer { close(fd) }
        guard let before = FileIdentity(descriptor: fd) else { throw CocoaError(.fileReadUnknown) }
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileReadUnknown)
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        guard let after = FileIdentity(descriptor: fd) else { throw CocoaError(.fileReadUnknown) }
        return ("sha256:" + Hex.encode(hasher.finalize()), before, after)
    }
}

/// A file as `stat` sees it. Writing to it changes its size, mtime or ctime
/// (ctime also moves on chmod and rename); replacing it changes the inode.
struct FileIdentity: Equatable, Sendable {
    let inode: UInt64
    let size: Int64
    let modified: [Int]
    let changed: [Int]

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    private init(_ info: stat) {
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modified = [Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec)]
        changed = [Int(info.st_ctimespec.tv_sec), Int(info.st_ctimespec.tv_nsec)]
        #else
        modified = [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
        changed = [Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec)]
        #endif
    }
}
