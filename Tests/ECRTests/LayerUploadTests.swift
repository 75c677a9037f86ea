import AWSShapes
import AWSWire
import Foundation
import Hashing
import JSON
import ServiceKit
@testable import Storage
import Synchronization
import Testing

@testable import ECR

/// The layer API's uploads against a real (in-memory) store, through the
/// service's own dispatch (decode → handler → encode).
@Suite("Layer uploads")
struct LayerUploadTests {
    struct AllowAll: Authorizer {
        func authorize(_ requests: [AccessRequest], context: OperationContext, in transaction: Transaction?) throws {}
    }

    struct FixedClock: ServiceKit.Clock {
        func now() -> Timestamp { Timestamp(secondsSince1970: 1_700_000_000) }
    }

    /// One repository, `app`, and a way to call ECR operations as its account's root.
    struct Harness {
        static let arn = "arn:aws:ecr:us-east-1:000000000000:repository/app"
        let store: Store
        let service = ECRService.make()
        let context: OperationContext

        init() throws {
            store = try Store()
            try store.write { db in
                try AccountRecord(id: "000000000000", createdAt: 0).insert(db)
                try RepositoryRecord(
                    arn: Self.arn, accountId: "000000000000", region: "us-east-1", name: "app", createdAt: 0, imageTagMutability: "MUTABLE",
                    mutabilityExclusionFilters: "[]", scanOnPush: false, encryptionType: "AES256", kmsKey: nil, lifecyclePolicy: nil
                ).insert(db)
            }
            let environment = ServiceEnvironment(
                store: store, clock: FixedClock(), ids: SecureIdentifierGenerator(), authorizer: AllowAll(),
                managedPolicies: ManagedPolicyCatalog(nil),
                settings: .init(defaultAccountId: "000000000000", defaultRegion: "us-east-1", advertisedHost: "127.0.0.1:4566"))
            context = OperationContext(
                requestId: "test", principal: .root(accountId: "000000000000", accessKeyId: "test"), region: "us-east-1",
                now: FixedClock().now(), sourceIp: "127.0.0.1", secureTransport: false, userAgent: nil, environment: environment)
        }

        struct Answer {
            var status: Int
            var errorCode: String?
            var json: JSONValue?
        }

        func call(_ operation: String, _ input: String) async -> Answer {
            let response = await service.dispatch(operation: operation, body: Array(input.utf8), context: context)
            return Answer(status: response.status, errorCode: response.errorCode, json: try? JSONParser.parse(response.body))
        }

        func initiate() async throws -> String {
            let answer = await call("InitiateLayerUpload", #"{"repositoryName":"app"}"#)
            return try #require(answer.json?["uploadId"]?.stringValue)
        }

        func part(_ id: String, _ bytes: [UInt8], at first: Int = 0) async -> Answer {
            await call("UploadLayerPart", """
                {"repositoryName":"app","uploadId":"\(id)","partFirstByte":\(first),"partLastByte":\(first + bytes.count - 1),\
                "layerPartBlob":"\(Base64.encode(bytes))"}
                """)
        }

        func complete(_ id: String, _ digest: String) async -> Answer {
            await call("CompleteLayerUpload", #"{"repositoryName":"app","uploadId":"\#(id)","layerDigests":["\#(digest)"]}"#)
        }

        func uploadRow(_ id: String) throws -> LayerUploadRecord? {
            try store.read { db in try LayerUploadRecord.fetchOne(db, key: id) }
        }

        func uploadFileExists(_ id: String) -> Bool {
            FileManager.default.fileExists(atPath: store.blobs.uploadPath(id).path)
        }
    }

    static func digest(_ bytes: [UInt8]) -> String { "sha256:" + Hex.encode(SHA256.hash(bytes)) }

    /// Transaction boundaries as the database saw them, and the moment hashing began, in order.
    final class Timeline: Sendable {
        private let events = Mutex<[String]>([])

        func append(_ event: String) { events.withLock { $0.append(event) } }

        /// Whether `marker` happened between a BEGIN and its COMMIT or ROLLBACK.
        func insideTransaction(_ marker: String) -> Bool? {
            var open = false
            for event in events.withLock({ $0 }) {
                if event.hasPrefix("BEGIN") { open = true }
                if event.hasPrefix("COMMIT") || event.hasPrefix("ROLLBACK") { open = false }
                if event == marker { return open }
            }
            return nil
        }
    }

    @Test("CompleteLayerUpload hashes the upload outside any transaction, so no write waits on a large layer")
    func hashingOutsideTransactions() async throws {
        let harness = try Harness()
        let bytes = (0..<32_768).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let id = try await harness.initiate()
        #expect(await harness.part(id, bytes).status == 200)

        let timeline = Timeline()
        try harness.store.trace { sql in timeline.append(sql) }
        // The upload becomes a FIFO that this thread feeds: its open returns only
        // once the hasher has opened the other end, so "hashing" is logged while
        // the hasher waits for the bytes, at a point fixed without any timing.
        let path = harness.store.blobs.uploadPath(id).path
        try FileManager.default.removeItem(atPath: path)
        try #require(mkfifo(path, 0o600) == 0)
        async let fed: Void = withCheckedContinuation { continuation in
            Thread {
                let fd = open(path, O_WRONLY)
                timeline.append("hashing")
                bytes.withUnsafeBytes { buffer in
                    var written = 0
                    while written < buffer.count {
                        let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                        if n <= 0 { break }
                        written += n
                    }
                }
                close(fd)
                continuation.resume()
            }.start()
        }

        let completed = await harness.complete(id, Self.digest(bytes))
        // If the upload was never read, a reader lets the feeder go (the bytes fit in the pipe).
        let reader = completed.status == 200 ? -1 : open(path, O_RDONLY | O_NONBLOCK)
        await fed
        if reader >= 0 { close(reader) }
        #expect(completed.status == 200, "\(String(describing: completed.json))")
        #expect(completed.json?["layerDigest"]?.stringValue == Self.digest(bytes))
        #expect(timeline.insideTransaction("hashing") == false)
    }

    @Test("a refused digest leaves the upload whole, to be completed again with the right one")
    func digestMismatchKeepsUpload() async throws {
        let harness = try Harness()
        let bytes = Array("layer bytes".utf8)
        let id = try await harness.initiate()
        #expect(await harness.part(id, bytes).status == 200)

        let refused = await harness.complete(id, Self.digest(Array("other bytes".utf8)))
        #expect(refused.errorCode == "InvalidLayerException")
        #expect(refused.json?["message"]?.stringValue == "None of the provided layer digests match the calculated layer digest")
        #expect(try harness.uploadRow(id)?.size == Int64(bytes.count))
        #expect(harness.uploadFileExists(id))

        let completed = await harness.complete(id, Self.digest(bytes))
        #expect(completed.json?["layerDigest"]?.stringValue == Self.digest(bytes), "\(String(describing: completed.json))")
        #expect(try harness.uploadRow(id) == nil)
        #expect(!harness.uploadFileExists(id))
    }

    @Test("a layer the repository already holds uses the upload up: its row and its file go together")
    func layerExistsUsesUploadUp() async throws {
        let harness = try Harness()
        let bytes = Array("layer bytes".utf8)
        let first = try await harness.initiate()
        #expect(await harness.part(first, bytes).status == 200)
        #expect(await harness.complete(first, Self.digest(bytes)).status == 200)

        let second = try await harness.initiate()
        #expect(await harness.part(second, bytes).status == 200)
        let refused = await harness.complete(second, Self.digest(bytes))
        #expect(refused.errorCode == "LayerAlreadyExistsException")
        #expect(try harness.uploadRow(second) == nil)
        #expect(!harness.uploadFileExists(second))
        #expect(await harness.part(second, bytes, at: bytes.count).errorCode == "UploadNotFoundException")
        let path = try #require(harness.store.blobs.path(of: Self.digest(bytes)))
        #expect(try Data(contentsOf: path) == Data(bytes))
    }

    @Test("a completed upload takes no more parts; one another request holds is refused, and left as it was")
    func completedAndBusyUploads() async throws {
        let harness = try Harness()
        let bytes = Array("layer bytes".utf8)
        let id = try await harness.initiate()
        #expect(await harness.part(id, bytes).status == 200)
        try await harness.store.uploads.exclusively(id) {
            let part = await harness.part(id, bytes, at: bytes.count)
            #expect(part.errorCode == "InvalidLayerPartException")
            #expect(await harness.complete(id, Self.digest(bytes)).errorCode == "InvalidLayerException")
        }
        #expect(try harness.uploadRow(id)?.size == Int64(bytes.count))
        #expect(await harness.complete(id, Self.digest(bytes)).status == 200)

        let late = await harness.part(id, bytes, at: bytes.count)
        #expect(late.errorCode == "UploadNotFoundException")
        #expect(late.json?["message"]?.stringValue
            == "The upload with id '\(id)' does not exist in the repository with name 'app' in registry with id '000000000000'")
        #expect(await harness.complete(id, Self.digest(bytes)).errorCode == "UploadNotFoundException")
        let path = try #require(harness.store.blobs.path(of: Self.digest(bytes)))
        #expect(try Data(contentsOf: path) == Data(bytes))
    }
}
