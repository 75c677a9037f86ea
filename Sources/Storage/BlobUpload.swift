import Hashing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One request's append to an upload file: bytes written at the end the
/// upload had, hashed as they are written.
///
/// Opened by `BlobUploads.open` (a resumable upload the caller holds) or
/// `BlobUploads.whole` (a blob that arrives in one request); ended by
/// `finish` or `BlobUploads.keep`. An append that is never finished leaves
/// its bytes past the upload's recorded size, where the next one drops them;
/// a whole blob never kept is discarded when this goes away.
public final class BlobUpload {
    /// Why an upload file could not be written.
    public enum FileError: Error, CustomStringConvertible {
        /// The upload has no file (cancelled, completed, or collected).
        case missing(String)
        /// The file is there but the bytes could not be written to it.
        case unwritable(String)

        public var description: String {
            switch self {
            case .missing(let id): "upload \(id) has no file"
            case .unwritable(let id): "cannot write upload \(id)"
            }
        }
    }

    public let id: String
    /// Bytes in the upload once what was written so far lands.
    public private(set) var size: Int64
    let blobs: BlobStore
    /// Nil when the bytes before `size` were not streamed by this process
    /// (then completing the upload hashes its file).
    let hasher: StreamingSHA256?
    private var fd: Int32
    /// A whole blob: the upload exists only while this does.
    let whole: Bool

    /// Opens upload `id` for writing at `offset`, dropping anything after it.
    init(_ id: String, at offset: Int64, in blobs: BlobStore, whole: Bool = false) throws {
        self.id = id
        self.size = offset
        self.blobs = blobs
        self.whole = whole
        let path = blobs.uploadPath(id).path
        try Self.makePrivate(path, id)
        fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.missing(id) }
        guard ftruncate(fd, off_t(offset)) == 0, lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else {
            Glibc.close(fd)
            throw FileError.unwritable(id)
        }
        let streamed = blobs.takeHasher(id)
        if offset == 0 {
            hasher = StreamingSHA256()
        } else {
            hasher = streamed?.byteCount == offset ? streamed : nil
        }
    }

    /// An upload file that is also a blob (a commit whose rows failed after
    /// placing it) is copied first, so the blob stays the bytes verified;
    /// one a commit made read-only is made writable again.
    private static func makePrivate(_ path: String, _ id: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileError.missing(id) }
        if info.st_nlink > 1 {
            let copy = path + ".copy"
            unlink(copy)
            do {
                try FileManager.default.copyItem(atPath: path, toPath: copy)
            } catch {
                throw FileError.unwritable(id)
            }
            guard chmod(copy, 0o644) == 0, rename(copy, path) == 0 else { throw FileError.unwritable(id) }
        } else if info.st_mode & 0o200 == 0, chmod(path, 0o644) != 0 {
            throw FileError.unwritable(id)
        }
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
        if whole {
            blobs.discardUploadFile(id)
            blobs.release(id)
        }
    }

    /// Appends bytes, hashing them as they go.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw FileError.unwritable(id) }
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw FileError.unwritable(id) }
            written += n
        }
        hasher?.update(bytes)
        size += Int64(bytes.count)
    }

    public func write(_ bytes: some Collection<UInt8>) throws {
        let done: Void? = try bytes.withContiguousStorageIfAvailable { try write(UnsafeRawBufferPointer($0)) }
        if done == nil { try Array(bytes).withUnsafeBytes { try write($0) } }
    }

    /// Appends chunks until `next` returns nil (a request body, pulled as it arrives).
    public func write(from next: () async throws -> [UInt8]?) async throws {
        while let chunk = try await next() { try write(chunk) }
    }

    /// Closes the file; the bytes written are the upload's now.
    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
