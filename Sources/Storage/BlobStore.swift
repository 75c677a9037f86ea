import Dispatch
import Hashing
import Synchronization

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

/// Image blobs as content-addressed files: `blobs/sha256/HEX`.
///
/// Bytes arrive in an upload file (`uploads/ID`), hashed as they are written,
/// and only a file whose digest checks out is linked into place — so a blob
/// file is always complete and correct, and one copy serves every repository.
/// `BlobUploads` is the one way bytes arrive: it keeps these files in step
/// with their rows.
///
/// One request at a time works on an upload (`BlobUploads.exclusively`): every
/// write to an upload file and its commit happen under that claim, so when an
/// upload is placed nobody holds it open for writing. A committed file is
/// read-only, and is served only while it is the file that was verified.
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
    /// Hashes of uploads being streamed, by upload id: completing an upload
    /// need not read its file again.
    private let hashers = Mutex<[String: (hasher: StreamingSHA256, inode: UInt64)]>([:])
    /// Blobs placed whose rows are being written (how many commits of each).
    private let committingDigests = Mutex<[String: Int]>([:])

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
        guard let path = path(of: digest) else { return nil }
        return FileIdentity(path: path.path)?.size
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

    /// Notes the file now at `target` as the verified copy of `digest`.
    private func remember(_ digest: String, at target: URL) {
        if let installed = FileIdentity(path: target.path) {
            verified.withLock { $0[digest] = installed }
        }
    }

    // MARK: - Upload files (`BlobUploads` keeps them in step with their rows)

    public func uploadPath(_ id: String) -> URL { uploads.appendingPathComponent(id) }

    /// Another request is writing, completing or cancelling the upload.
    public struct UploadInUse: Error, CustomStringConvertible {
        public let id: String
        public var description: String { "upload \(id) is in use by another request" }
    }

    /// Claims upload `id` for the calling request; false if another holds it.
    func claim(_ id: String) -> Bool { busy.withLock { $0.insert(id).inserted } }

    func release(_ id: String) { _ = busy.withLock { $0.remove(id) } }

    func isClaimed(_ id: String) -> Bool { busy.withLock { $0.contains(id) } }

    /// The hasher that has seen the upload's bytes so far, taken out of the
    /// table while a request appends (it goes back when the append succeeds).
    func takeHasher(_ id: String) -> StreamingSHA256? {
        hashers.withLock { $0.removeValue(forKey: id) }.flatMap { kept in isSameFile(kept, id) ? kept.hasher : nil }
    }

    /// Keeps the hasher of upload `id`, for the file now under its name.
    func keepHasher(_ hasher: StreamingSHA256, for id: String) {
        guard let file = FileIdentity(path: uploadPath(id).path) else { return }
        hashers.withLock { $0[id] = (hasher, file.inode) }
    }

    /// The hasher of upload `id`, if it hashed the file now under its name.
    func hasher(_ id: String) -> StreamingSHA256? {
        hashers.withLock { $0[id] }.flatMap { kept in isSameFile(kept, id) ? kept.hasher : nil }
    }

    /// A hash describes the file it was streamed into, not one put in its place.
    private func isSameFile(_ kept: (hasher: StreamingSHA256, inode: UInt64), _ id: String) -> Bool {
        FileIdentity(path: uploadPath(id).path)?.inode == kept.inode
    }

    func createUploadFile(_ id: String) throws {
        guard FileManager.default.createFile(atPath: uploadPath(id).path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Removes an upload's file and forgets its hash.
    func discardUploadFile(_ id: String) {
        try? FileManager.default.removeItem(at: uploadPath(id))
        _ = takeHasher(id)
    }

    /// Makes upload `id`, whose bytes were just hashed to `digest`, that blob:
    /// read-only and hard-linked into place (the blob file appears complete or
    /// not at all), while the upload's own name stays until its rows are
    /// written. Returns whether this created the blob file, which `unplace`
    /// then takes back. A copy already in place and verified wins; any other
    /// (a file from an earlier run, unchecked) is replaced by these bytes.
    func place(upload id: String, as digest: String) throws -> Bool {
        guard let target = path(of: digest) else { throw CocoaError(.fileWriteInvalidFileName) }
        if isVerified(digest, at: target) { return false }
        let source = uploadPath(id)
        guard chmod(source.path, 0o444) == 0, let upload = FileIdentity(path: source.path) else { throw CocoaError(.fileWriteUnknown) }
        let existing = FileIdentity(path: target.path)
        if existing?.inode != upload.inode {
            // Linked under a second name, then renamed over the target: atomic even when one is there.
            let staging = uploads.appendingPathComponent(id + ".placing")
            unlink(staging.path)
            guard link(source.path, staging.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            guard rename(staging.path, target.path) == 0 else {
                unlink(staging.path)
                throw CocoaError(.fileWriteUnknown)
            }
        }
        remember(digest, at: target)
        return existing == nil
    }

    /// Takes back a blob file `place` created, when its rows could not be written.
    func unplace(_ digest: String) {
        remove(digest)
    }

    /// Runs `body` with `digest` marked as being committed: the collector
    /// leaves its file alone while its rows are not yet written.
    func committing<T>(_ digest: String, _ body: () throws -> T) rethrows -> T {
        committingDigests.withLock { $0[digest, default: 0] += 1 }
        defer {
            committingDigests.withLock {
                $0[digest, default: 1] -= 1
                if $0[digest] == 0 { $0[digest] = nil }
            }
        }
        return try body()
    }

    /// Removes blob file `digest` for the collector, unless a commit of it is
    /// under way or `isKnown` (asked with commits of it held off) finds a row
    /// naming it. Returns whether it went.
    func removeUnreferenced(_ digest: String, isKnown: () throws -> Bool) throws -> Bool {
        try committingDigests.withLock { committing in
            guard committing[digest] == nil, try !isKnown() else { return false }
            remove(digest)
            return true
        }
    }

    public func remove(_ digest: String) {
        if let path = path(of: digest) { try? FileManager.default.removeItem(at: path) }
        _ = verified.withLock { $0.removeValue(forKey: digest) }
    }

    /// Upload files not claimed and not touched since `date`: abandoned, if no row names them.
    func idleUploadFiles(before date: Date) -> [String] {
        names(in: uploads, modifiedBefore: date).filter { !isClaimed($0) }
    }

    /// Blob files not written since `date`: garbage, if no row names them.
    func idleBlobFiles(before date: Date) -> [String] {
        names(in: blobs, modifiedBefore: date).map { "sha256:" + $0 }.filter(Self.isValidDigest)
    }

    private func names(in directory: URL, modifiedBefore date: Date) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            guard let modified = FileIdentity(path: directory.appendingPathComponent(name).path)?.modified else { return true }
            return Double(modified[0]) + Double(modified[1]) / 1e9 < date.timeIntervalSince1970
        }
    }
}

// MARK: - Hashing files

extension BlobStore {
    /// Where whole files are hashed: a large layer takes seconds, and the
    /// cooperative pool's few threads serve every request, so files are read
    /// on these threads and the caller awaits the result.
    private static let hashing = DispatchQueue(label: "gatehouse.blob-hashing", attributes: .concurrent)

    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
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
