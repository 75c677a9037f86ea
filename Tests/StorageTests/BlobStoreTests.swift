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
}
