import ECR
import Foundation
import GatehouseTesting
import JSON
import Storage
import Testing

/// The layer API's uploads through the real authorizer and Storage's one
/// upload capability: parts that resume, completions that fail the way ECR
/// fails and leave the upload as ECR would, and the collector.
@Suite("ECR layer uploads")
struct ECRLayerUploadTests {
    static let digest = ECRWorld.Pusher.digest

    static func number(_ value: JSONValue?) -> Int64? {
        if case .number(let number) = value { number.int64 } else { nil }
    }

    static func initiate(_ world: TestWorld) async throws -> String {
        let initiated = try await world.ecr("InitiateLayerUpload", ECRWorld.body(["repositoryName": "app"]))
        return try #require(initiated.json?["uploadId"]?.stringValue, "\(initiated)")
    }

    static func part(_ bytes: [UInt8], at first: Int, of id: String, _ world: TestWorld) async throws -> TestWorld.Answer {
        try await world.ecr("UploadLayerPart", ECRWorld.body([
            "repositoryName": "app", "uploadId": id, "partFirstByte": first, "partLastByte": first + bytes.count - 1,
            "layerPartBlob": Data(bytes).base64EncodedString(),
        ]))
    }

    static func complete(_ id: String, _ digests: [String], _ world: TestWorld) async throws -> TestWorld.Answer {
        try await world.ecr("CompleteLayerUpload", ECRWorld.body(["repositoryName": "app", "uploadId": id, "layerDigests": digests]))
    }

    @Test("parts resume where the last one ended; a refused CompleteLayerUpload leaves the upload to take more parts and complete")
    func partsResumeAndRefusedCompletionRetries() async throws {
        let world = try TestWorld()
        try await ECRWorld.createRepository("app", in: world)
        let id = try await Self.initiate(world)
        #expect(Self.number(try await Self.part(Array("first ".utf8), at: 0, of: id, world).json?["lastByteReceived"]) == 5)

        let outOfOrder = try await Self.part(Array("x".utf8), at: 3, of: id, world)
        #expect(outOfOrder.errorCode == "InvalidLayerPartException")
        #expect(outOfOrder.errorMessage == "First byte of the layer part is 3 instead of 6")

        // Completed early, against the digest of what the client means to send.
        let whole = Array("first second".utf8)
        let early = try await Self.complete(id, [Self.digest(whole)], world)
        #expect(early.errorCode == "InvalidLayerException")
        #expect(early.errorMessage == "None of the provided layer digests match the calculated layer digest")

        #expect(Self.number(try await Self.part(Array("second".utf8), at: 6, of: id, world).json?["lastByteReceived"]) == 11)
        let completed = try await Self.complete(id, [Self.digest(Array("nope".utf8)), Self.digest(whole)], world)
        #expect(completed.json?["layerDigest"]?.stringValue == Self.digest(whole), "\(completed)")
        #expect(!FileManager.default.fileExists(atPath: world.store.blobs.uploadPath(id).path))
        #expect(await world.store.blobs.verifiedFile(Self.digest(whole), size: Int64(whole.count)) != nil)

        let again = try await Self.complete(id, [Self.digest(whole)], world)
        #expect(again.errorCode == "UploadNotFoundException")
        let available = try await world.ecr("BatchCheckLayerAvailability", ECRWorld.body([
            "repositoryName": "app", "layerDigests": [Self.digest(whole)],
        ]))
        #expect(Self.number(available.json?["layers"]?.arrayValue?.first?["layerSize"]) == Int64(whole.count), "\(available)")
    }

    @Test("an upload with no part cannot be completed, and stays open for its parts")
    func emptyUpload() async throws {
        let world = try TestWorld()
        try await ECRWorld.createRepository("app", in: world)
        let id = try await Self.initiate(world)
        let empty = try await Self.complete(id, [Self.digest([])], world)
        #expect(empty.errorCode == "EmptyUploadException")
        #expect(try await Self.part(Array("bytes".utf8), at: 0, of: id, world).status == 200)
    }

    @Test("the collector removes an upload abandoned for a day, row and file: its id is then unknown")
    func abandonedUploadIsCollected() async throws {
        let world = try TestWorld()
        try await ECRWorld.createRepository("app", in: world)
        let abandoned = try await Self.initiate(world)
        #expect(try await Self.part(Array("half".utf8), at: 0, of: abandoned, world).status == 200)
        world.clock.advance(seconds: 2 * 24 * 3600)
        let fresh = try await Self.initiate(world)

        let report = try BlobCollector.collect(
            world.store, now: world.clock.now().secondsSince1970, releasingLayers: UnreferencedLayers.release)
        #expect(report.uploads == 1)
        #expect(!FileManager.default.fileExists(atPath: world.store.blobs.uploadPath(abandoned).path))
        let late = try await Self.part(Array("rest".utf8), at: 4, of: abandoned, world)
        #expect(late.errorCode == "UploadNotFoundException")
        #expect(try await Self.part(Array("bytes".utf8), at: 0, of: fresh, world).status == 200)
    }
}
