import Foundation
import Hashing
import Storage
import Testing

@Suite("Blob store")
struct BlobStoreTests {
    @Test("a verified upload is kept only when it holds the digest it claims")
    func verifiedCommit() throws {
        let blobs = try Store().blobs
        let bytes = Array("some layer".utf8)
        let digest = "sha256:" + Hex.encode(SHA256.hash(bytes))

        try blobs.createUpload("wrong")
        try blobs.write("wrong", Array("other bytes".utf8), at: 0)
        #expect(throws: BlobStore.DigestMismatch.self) { try blobs.commitUpload("wrong", verifying: digest) }
        #expect(!blobs.exists(digest))
        #expect(!FileManager.default.fileExists(atPath: blobs.uploadPath("wrong").path))

        try blobs.createUpload("right")
        try blobs.write("right", bytes, at: 0)
        try blobs.commitUpload("right", verifying: digest)
        #expect(blobs.size(of: digest) == Int64(bytes.count))
    }

    static func digest(_ bytes: [UInt8]) -> String { "sha256:" + Hex.encode(SHA256.hash(bytes)) }

    @Test("a second request on an upload is refused while the first holds it, and may go once it is done")
    func oneRequestPerUpload() async throws {
        let blobs = try Store().blobs
        try blobs.createUpload("upload")
        try await blobs.withExclusiveUpload("upload") {
            await #expect(throws: BlobStore.UploadInUse.self) { try await blobs.withExclusiveUpload("upload") {} }
            try await blobs.withExclusiveUpload("another") {}
        }
        try await blobs.withExclusiveUpload("upload") {}
    }

    @Test("a committed blob is read-only, and bytes written after its commit by a writer that held it open are not served")
    func committedBlobIsVerifiedWhenServed() async throws {
        let blobs = try Store().blobs
        let bytes = Array("genuine layer bytes".utf8)
        let digest = Self.digest(bytes)
        try blobs.createUpload("upload")
        try blobs.write("upload", bytes, at: 0)
        let straggler = try FileHandle(forWritingTo: blobs.uploadPath("upload"))
        try blobs.commitUpload("upload", as: digest)

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
        let root = try Store().blobs.root
        let bytes = Array("genuine layer bytes".utf8)
        let digest = Self.digest(bytes)
        let earlier = try BlobStore(root: root)
        try earlier.store(bytes)
        let path = try #require(earlier.path(of: digest))

        // The same file seen by a later run: served once its bytes are checked.
        #expect(try await BlobStore(root: root).verifiedFile(digest)?.size == Int64(bytes.count))

        // Rewritten in place, same size, as a writer from before the fix could have.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path.path)
        let tamper = try FileHandle(forWritingTo: path)
        try tamper.write(contentsOf: Data("evil".utf8))
        try tamper.close()
        let later = try BlobStore(root: root)
        #expect(await later.verifiedFile(digest) == nil)

        try later.createUpload("upload")
        try later.write("upload", bytes, at: 0)
        try later.commitUpload("upload", as: digest)
        #expect(try Data(contentsOf: path) == Data(bytes))
        #expect(await later.verifiedFile(digest)?.size == Int64(bytes.count))
    }
}
