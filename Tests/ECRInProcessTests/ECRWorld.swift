import Foundation
import GatehouseTesting
import Hashing
import JSON
import Testing

/// What ECR tests do again and again in a `TestWorld`: make requests' JSON,
/// read answers', make users and repositories, push images.
enum ECRWorld {
    /// A request body from its members, each a string, number, bool, array or object.
    static func body(_ members: [String: Any]) -> String {
        var w = JSONWriter()
        write(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, &w)
        return w.string
    }

    private static func write(_ members: [(String, Any)], _ w: inout JSONWriter) {
        w.objectStart()
        for (key, value) in members {
            w.key(key)
            write(value, &w)
        }
        w.objectEnd()
    }

    private static func write(_ value: Any, _ w: inout JSONWriter) {
        switch value {
        case let string as String: w.value(string)
        case let int as Int: w.value(int)
        case let bool as Bool: w.value(bool)
        case let array as [Any]:
            w.arrayStart()
            for item in array { write(item, &w) }
            w.arrayEnd()
        case let object as [String: Any]: write(object.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, &w)
        default: Issue.record("cannot write \(value) as JSON")
        }
    }

    /// A user with an access key and no policies; returns the key id.
    static func user(_ name: String, in world: TestWorld) async throws -> String {
        #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200)
        let key = try await world.iam("CreateAccessKey", ["UserName": name])
        return try #require(key.value("AccessKeyId"))
    }

    /// Gives a user one inline policy allowing `actions` on every resource, under `condition` if any.
    static func allow(_ user: String, _ actions: [String], condition: String? = nil, in world: TestWorld) async throws {
        let condition = condition.map { #","Condition":\#($0)"# } ?? ""
        let actions = actions.map { "\"\($0)\"" }.joined(separator: ",")
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[\#(actions)],"Resource":"*"\#(condition)}]}"#
        let put = try await world.iam("PutUserPolicy", ["UserName": user, "PolicyName": "ecr", "PolicyDocument": policy])
        #expect(put.status == 200, "\(put)")
    }

    static func createRepository(_ name: String, in world: TestWorld) async throws {
        let created = try await world.ecr("CreateRepository", body(["repositoryName": name]))
        #expect(created.status == 200, "\(created)")
    }

    static func arn(_ repository: String) -> String { "arn:aws:ecr:us-east-1:\(TestWorld.accountId):repository/\(repository)" }

    /// Pushes images through the layer API and PutImage, as `aws ecr` does: one
    /// config and one layer blob, then one manifest per image, each made
    /// distinct by an annotation.
    struct Pusher {
        let world: TestWorld
        let repository: String
        let config: (digest: String, size: Int)
        let layer: (digest: String, size: Int)

        init(_ world: TestWorld, repository: String) async throws {
            self.world = world
            self.repository = repository
            config = try await Self.upload(
                Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8), world, repository)
            layer = try await Self.upload(Array("gatehouse layer bytes".utf8), world, repository)
        }

        static func digest(_ bytes: [UInt8]) -> String { "sha256:" + Hex.encode(SHA256.hash(bytes)) }

        static func upload(_ bytes: [UInt8], _ world: TestWorld, _ repository: String) async throws -> (digest: String, size: Int) {
            let initiated = try await world.ecr("InitiateLayerUpload", body(["repositoryName": repository]))
            let upload = try #require(initiated.json?["uploadId"]?.stringValue, "\(initiated)")
            let part = try await world.ecr("UploadLayerPart", body([
                "repositoryName": repository, "uploadId": upload, "partFirstByte": 0, "partLastByte": bytes.count - 1,
                "layerPartBlob": Data(bytes).base64EncodedString(),
            ]))
            #expect(part.status == 200, "\(part)")
            let completed = try await world.ecr("CompleteLayerUpload", body([
                "repositoryName": repository, "uploadId": upload, "layerDigests": [digest(bytes)],
            ]))
            #expect(completed.status == 200, "\(completed)")
            return (digest(bytes), bytes.count)
        }

        func manifest(_ name: String) -> String {
            #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(config.digest)","size":\#(config.size)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(layer.digest)","size":\#(layer.size)}],"annotations":{"name":"\#(name)"}}"#
        }

        /// Puts a manifest (tagged or not); returns its digest.
        @discardableResult
        func push(_ name: String, tag: String? = nil) async throws -> String {
            var members: [String: Any] = ["repositoryName": repository, "imageManifest": manifest(name)]
            if let tag { members["imageTag"] = tag }
            let put = try await world.ecr("PutImage", ECRWorld.body(members))
            return try #require(put.json?["image"]?["imageId"]?["imageDigest"]?.stringValue, "\(put)")
        }
    }
}

extension TestWorld.Answer {
    /// The answer's JSON (the ECR protocol).
    var json: JSONValue? { try? JSONParser.parse(Array(body.utf8)) }

    /// The strings at `key` of each object in the array at `array` (`imageIds`, `repositories`, …).
    func strings(_ array: String, _ key: String) -> [String] {
        (json?[array]?.arrayValue ?? []).compactMap { $0[key]?.stringValue }
    }
}
