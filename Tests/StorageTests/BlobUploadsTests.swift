import Foundation
import Hashing
@testable import Storage
import Testing

/// The one upload capability every way bytes arrive goes through: rows and
/// files kept in step, whatever is refused or fails along the way.
@Suite("Blob uploads")
struct BlobUploadsTests {
    static let repository = "arn:aws:ecr:us-east-1:000000000000:repository/app"
    static let now = Date().timeIntervalSince1970

    static func digest(_ bytes: [UInt8]) -> String { "sha256:" + Hex.encode(SHA256.hash(bytes)) }

    /// A store with one repository to upload into.
    static func store(directory: URL? = nil) throws -> Store {
        let store = try directory.map { try Store(directory: $0) } ?? Store()
        try store.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO account (id, createdAt) VALUES ('000000000000', 0)")
            try db.execute(sql: """
                INSERT OR IGNORE INTO repository (arn, accountId, region, name, createdAt, imageTagMutability,
                    mutabilityExclusionFilters, scanOnPush, encryptionType)
                VALUES (?, '000000000000', 'us-east-1', 'app', 0, 'MUTABLE', '[]', 0, 'AES256')
                """, arguments: [repository])
        }
        return store
    }

    static func row(_ id: String, in store: Store) throws -> LayerUploadRecord? {
        try store.read { db in try LayerUploadRecord.fetchOne(db, key: id) }
    }

    static func blobRow(_ digest: String, in store: Store) throws -> BlobRecord? {
        try store.read { db in try BlobRecord.fetchOne(db, key: digest) }
    }

    static func fileExists(_ id: String, in store: Store) -> Bool {
        FileManager.default.fileExists(atPath: store.blobs.uploadPath(id).path)
    }

    /// Appends `bytes` at `offset` as one request would, holding the upload.
    @discardableResult
    static func append(_ bytes: [UInt8], to id: String, at offset: Int64, in store: Store) async throws -> Int64 {
        try await store.uploads.exclusively(id) {
            let upload = try store.uploads.open(id, at: offset)
            try upload.write(bytes)
            return try store.uploads.finish(upload, at: now)
        }
    }

    /// Upload "u" holding `bytes`, and what they hash to (not yet committed).
    static func uploaded(_ bytes: [UInt8], in store: Store) async throws -> BlobUploads.Hashed {
        try store.uploads.start("u", at: now) { _ in repository }
        try await append(bytes, to: "u", at: 0, in: store)
        return try await store.uploads.digest(of: "u", size: Int64(bytes.count))
    }

    @Test("bytes appended in parts and committed against their digest become the blob: its row and file in, the upload's row and file gone")
    func appendAndCommit() async throws {
        let store = try Self.store()
        let uploads = store.uploads
        try uploads.start("u", at: Self.now) { _ in Self.repository }
        #expect(try await Self.append(Array("first ".utf8), to: "u", at: 0, in: store) == 6)
        #expect(try await Self.append(Array("second".utf8), to: "u", at: 6, in: store) == 12)
        #expect(try Self.row("u", in: store)?.size == 12)

        let bytes = Array("first second".utf8)
        let hashed = try await uploads.exclusively("u") { try await uploads.digest(of: "u", size: 12) }
        #expect(hashed.digest == Self.digest(bytes))
        try await uploads.exclusively("u") { try uploads.commit(hashed, at: Self.now) { _ in } }

        #expect(try Self.row("u", in: store) == nil)
        #expect(!Self.fileExists("u", in: store))
        #expect(try Self.blobRow(hashed.digest, in: store)?.size == 12)
        #expect(await store.blobs.verifiedFile(hashed.digest, size: 12) != nil)
    }

    @Test("a digest the caller refuses changes nothing: the upload stays whole and is completed with the right one")
    func refusedDigestKeepsUpload() async throws {
        let store = try Self.store()
        let uploads = store.uploads
        let bytes = Array("layer bytes".utf8)
        let hashed = try await Self.uploaded(bytes, in: store)
        #expect(hashed.digest != Self.digest(Array("other bytes".utf8)))
        #expect(try Self.row("u", in: store)?.size == Int64(bytes.count))
        #expect(Self.fileExists("u", in: store))
        #expect(!store.blobs.exists(hashed.digest))

        // Asked again, the same answer; then committed.
        #expect(try await uploads.digest(of: "u", size: Int64(bytes.count)) == hashed)
        try uploads.commit(hashed, at: Self.now) { _ in }
        #expect(try Self.blobRow(Self.digest(bytes), in: store) != nil)
    }

    @Test("a whole blob whose bytes are not its digest is refused, and nothing of it is left")
    func wholeBlobMismatch() throws {
        let store = try Self.store()
        let digest = Self.digest(Array("some layer".utf8))
        do {
            let upload = try store.uploads.whole("w")
            try upload.write(Array("other bytes".utf8))
            #expect(throws: BlobUploads.DigestMismatch.self) { try store.uploads.keep(upload, as: digest, at: Self.now) }
        }
        #expect(!Self.fileExists("w", in: store))
        #expect(!store.blobs.exists(digest))
        #expect(try Self.blobRow(digest, in: store) == nil)
        #expect(try Self.blobRow(Self.digest(Array("other bytes".utf8)), in: store) == nil)
    }

    @Test("an append that failed midway leaves bytes past the recorded size, which the next append drops; the hash stays right")
    func resumeAfterFailedAppend() async throws {
        let store = try Self.store()
        let uploads = store.uploads
        try uploads.start("u", at: Self.now) { _ in Self.repository }
        try await Self.append(Array("part one|".utf8), to: "u", at: 0, in: store)
        // A request whose body broke off: bytes written, never finished.
        try await uploads.exclusively("u") {
            let broken = try uploads.open("u", at: 9)
            try broken.write(Array("garbage that never lands".utf8))
        }
        #expect(try Self.row("u", in: store)?.size == 9)
        #expect(try await Self.append(Array("part two".utf8), to: "u", at: 9, in: store) == 17)

        let hashed = try await uploads.digest(of: "u", size: 17)
        #expect(hashed.digest == Self.digest(Array("part one|part two".utf8)))
        try uploads.commit(hashed, at: Self.now) { _ in }
        #expect(await store.blobs.verifiedFile(hashed.digest, size: 17) != nil)
    }

    @Test("after a restart the upload resumes where its row says, and completing it hashes the file")
    func resumeAfterRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let first = try Self.store(directory: directory)
            try first.uploads.start("u", at: Self.now) { _ in Self.repository }
            try await Self.append(Array("before ".utf8), to: "u", at: 0, in: first)
        }
        let second = try Self.store(directory: directory)
        let size = try #require(try Self.row("u", in: second)?.size)
        #expect(try await Self.append(Array("after".utf8), to: "u", at: size, in: second) == 12)
        let hashed = try await second.uploads.digest(of: "u", size: 12)
        #expect(hashed.digest == Self.digest(Array("before after".utf8)))
    }

    @Test("rows that cannot be written leave the upload whole, row and file, and take back the blob file the commit placed")
    func failedRowsKeepUpload() async throws {
        let store = try Self.store()
        let uploads = store.uploads
        let bytes = Array("layer bytes".utf8)
        let hashed = try await Self.uploaded(bytes, in: store)

        struct Refused: Error {}
        #expect(throws: Refused.self) { try uploads.commit(hashed, at: Self.now) { _ in throw Refused() } }
        #expect(try Self.row("u", in: store)?.size == Int64(bytes.count))
        #expect(Self.fileExists("u", in: store))
        #expect(!store.blobs.exists(hashed.digest))
        #expect(try Self.blobRow(hashed.digest, in: store) == nil)

        // The upload takes more bytes (its file is its own again) and completes.
        #expect(try await Self.append(Array(" more".utf8), to: "u", at: Int64(bytes.count), in: store) == Int64(bytes.count + 5))
        let completed = try await uploads.digest(of: "u", size: Int64(bytes.count + 5))
        #expect(completed.digest == Self.digest(bytes + Array(" more".utf8)))
        try uploads.commit(completed, at: Self.now) { _ in }
        #expect(await store.blobs.verifiedFile(completed.digest) != nil)
        #expect(!store.blobs.exists(hashed.digest))
    }

    @Test("the collector removes an abandoned upload (row and file) and files no row names, and leaves an upload a request holds")
    func collectorRemovesAbandoned() async throws {
        let store = try Self.store()
        let uploads = store.uploads
        try uploads.start("abandoned", at: Self.now) { _ in Self.repository }
        try await Self.append(Array("half a layer".utf8), to: "abandoned", at: 0, in: store)
        try uploads.start("held", at: Self.now) { _ in Self.repository }
        // A crash between a file and its row: an upload file and a blob file nothing names.
        FileManager.default.createFile(atPath: store.blobs.uploadPath("orphan").path, contents: Data("x".utf8))
        let stray = Array("stray blob".utf8)
        try Data(stray).write(to: try #require(store.blobs.path(of: Self.digest(stray))))
        // A blob no repository holds, with its row.
        let unheld = try uploads.put(Array("unheld".utf8), at: Self.now)

        let later = Self.now + 2 * 24 * 3600
        let report = try await uploads.exclusively("held") { try BlobCollector.collect(store, now: later) }
        #expect(report.uploads == 2)
        #expect(report.blobs == 2)
        #expect(try Self.row("abandoned", in: store) == nil)
        #expect(!Self.fileExists("abandoned", in: store))
        #expect(!Self.fileExists("orphan", in: store))
        #expect(!store.blobs.exists(Self.digest(stray)))
        #expect(!store.blobs.exists(unheld))
        #expect(try Self.blobRow(unheld, in: store) == nil)
        #expect(try Self.row("held", in: store) != nil)
        #expect(Self.fileExists("held", in: store))
    }
}
