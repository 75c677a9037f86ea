import Foundation
import Hashing
import Storage
import Testing

@Suite("Blob store")
struct BlobStoreTests {
    static func digest(_ bytes: [UInt8]) -> String { "sha256:" + Hex.encode(SHA256.hash(bytes)) }

    @Test("a committed blob is read-only, and bytes written after its commit by a writer that held it open are not served")
    func committedBlobIsVerifiedWhenServed() async throws {
        let store = try Store()
        let blobs = store.blobs
        let bytes = Array("genuine layer bytes".utf8)
        let digest = Self.digest(bytes)
        let upload = try store.uploads.whole("upload")
        try upload.write(bytes)
        let straggler = try FileHandle(forWritingTo: blobs.uploadPath("upload"))
        try store.uploads.keep(upload, as: digest, at: 0)

        let path = try #require(blobs.path(of: digest))
        let mode = try FileManager.default.attributesOfItem(atPath: path.path)[.posixPermissions] as? Int
        #expect(mode == 0o444)
        let served = await blobs.verifiedFile(digest, size: Int64(bytes.count))
        #expect(served?.path == path)
        #expect(served?.size == Int64(bytes.count))
        #expect(await blobs.verifiedFile(digest, size: 3) == nil, "not the size its row records")

        try straggler.seekToEnd()
        try straggler.write(contentsOf: Data(" and more".utf8))
        try straggler.close()
        #expect(await blobs.verifiedFile(digest) == nil)
    }

    @Test("a blob file from an earlier run is hashed before it is served, and replaced by verified bytes on the next commit")
    func unverifiedFileIsCheckedAndReplaced() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let earlier = try Store(directory: root)
        let bytes = Array("genuine layer bytes".utf8)
        let digest = Self.digest(bytes)
        try earlier.uploads.put(bytes, at: 0)
        let path = try #require(earlier.blobs.path(of: digest))

        // The same file seen by a later run: served once its bytes are checked.
        #expect(try await BlobStore(root: root).verifiedFile(digest)?.size == Int64(bytes.count))

        // Rewritten in place, same size, as a writer from before the fix could have.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path.path)
        let tamper = try FileHandle(forWritingTo: path)
        try tamper.write(contentsOf: Data("evil".utf8))
        try tamper.close()
        let later = try Store(directory: root)
        #expect(await later.blobs.verifiedFile(digest) == nil)

        // The next commit of those bytes replaces the file with checked ones.
        try later.uploads.put(bytes, at: 0)
        #expect(try Data(contentsOf: path) == Data(bytes))
        #expect(await later.blobs.verifiedFile(digest)?.size == Int64(bytes.count))
    }
}
