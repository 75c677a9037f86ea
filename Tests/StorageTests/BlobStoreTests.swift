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
}
