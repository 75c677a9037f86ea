import Foundation
import Hashing

/// Image blobs as content-addressed files: `blobs/sha256/HEX`.
///
/// Bytes arrive in an upload file (`uploads/ID`), are hashed, and only a file
/// whose digest checks out is renamed into place — so a blob file is always
/// complete and correct, and one copy serves every repository.
public final class BlobStore: Sendable {
    public let root: URL
    private let blobs: URL
    private let uploads: URL

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

    // MARK: - Uploads

    public func uploadPath(_ id: String) -> URL { uploads.appendingPathComponent(id) }

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

    /// The sha256 digest of an upload's bytes, read in chunks.
    public func digestOfUpload(_ id: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: uploadPath(id))
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return "sha256:" + Hex.encode(hasher.finalize())
    }

    /// Moves a verified upload into place as `digest`; an existing copy wins.
    public func commitUpload(_ id: String, as digest: String) throws {
        guard let target = path(of: digest) else { throw CocoaError(.fileWriteInvalidFileName) }
        if FileManager.default.fileExists(atPath: target.path) {
            discardUpload(id)
            return
        }
        // rename(2) is atomic: the blob file appears complete or not at all.
        guard rename(uploadPath(id).path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
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
            actual = try digestOfUpload(id)
        } catch {
            discardUpload(id)
            throw error
        }
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
        if !FileManager.default.fileExists(atPath: target.path) {
            let temporary = uploads.appendingPathComponent(UUID().uuidString)
            try Data(bytes).write(to: temporary)
            guard rename(temporary.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        return digest
    }

    public func remove(_ digest: String) {
        if let path = path(of: digest) { try? FileManager.default.removeItem(at: path) }
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
