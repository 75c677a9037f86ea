import Foundation
import JSON
import Testing

/// ECR's lifecycle previews and scanning, driven with the real aws CLI
/// against the built binary (images pushed through `aws ecr`'s layer
/// commands). The service behaviour of the other operations is checked in
/// process (Tests/ECRInProcessTests).
@Suite("ECR long tail, end to end")
struct ECRLongTailEndToEndTests {
    static let keepOneUntagged = #"{"rules":[{"rulePriority":1,"description":"keep one untagged image","selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#

    /// Pushes images through the layer API as `aws ecr` users (and the ECR
    /// proxy) do: one config and one layer blob, then one manifest per image,
    /// each made distinct by an annotation.
    struct Pusher {
        let server: GatehouseProcess
        let repository: String
        let directory: URL
        let config: (digest: String, size: Int)
        let layer: (digest: String, size: Int)

        init(_ server: GatehouseProcess, repository: String) throws {
            self.server = server
            self.repository = repository
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("ecr-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            config = try Self.upload(Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8), "config", server, repository, directory)
            layer = try Self.upload(Array("gatehouse layer bytes".utf8), "layer", server, repository, directory)
        }

        static func upload(_ bytes: [UInt8], _ name: String, _ server: GatehouseProcess, _ repository: String, _ directory: URL) throws -> (digest: String, size: Int) {
            let file = directory.appendingPathComponent(name)
            try Data(bytes).write(to: file)
            let sum = try GatehouseProcess.run("sha256sum", [file.path], environment: ProcessInfo.processInfo.environment)
            let digest = "sha256:" + sum.stdout.prefix(64)
            let initiated = try server.aws(["ecr", "initiate-layer-upload", "--repository-name", repository])
            let upload = try #require(initiated.json?["uploadId"]?.stringValue, "\(initiated.stderr)")
            let part = try server.aws([
                "ecr", "upload-layer-part", "--repository-name", repository, "--upload-id", upload, "--part-first-byte", "0",
                "--part-last-byte", "\(bytes.count - 1)", "--layer-part-blob", "fileb://\(file.path)",
            ])
            #expect(part.succeeded, "\(part.stderr)")
            let completed = try server.aws([
                "ecr", "complete-layer-upload", "--repository-name", repository, "--upload-id", upload, "--layer-digests", digest,
            ])
            #expect(completed.succeeded, "\(completed.stderr)")
            return (digest, bytes.count)
        }

        /// Puts a manifest (tagged or not); returns its digest.
        func push(_ name: String, tag: String? = nil) throws -> String {
            let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(config.digest)","size":\#(config.size)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(layer.digest)","size":\#(layer.size)}],"annotations":{"name":"\#(name)"}}"#
            let file = directory.appendingPathComponent("manifest-\(name).json")
            try Data(manifest.utf8).write(to: file)
            var arguments = ["ecr", "put-image", "--repository-name", repository, "--image-manifest", "file://\(file.path)"]
            if let tag { arguments += ["--image-tag", tag] }
            let result = try server.aws(arguments)
            return try #require(result.json?["image"]?["imageId"]?["imageDigest"]?.stringValue, "\(result.stderr)")
        }
    }

    static func createRepository(_ server: GatehouseProcess, _ name: String) throws {
        let created = try server.aws(["ecr", "create-repository", "--repository-name", name])
        #expect(created.succeeded, "\(created.stderr)")
    }

    @Test("a lifecycle preview shows the images the policy would expire, and expires nothing")
    func lifecyclePreview() throws {
        let server = try GatehouseProcess()
        try Self.createRepository(server, "app")
        let none = try server.aws(["ecr", "get-lifecycle-policy-preview", "--repository-name", "app"])
        #expect(none.errorCode == "LifecyclePolicyPreviewNotFoundException", "\(none.stderr)")
        #expect(try server.aws(["ecr", "start-lifecycle-policy-preview", "--repository-name", "app"]).errorCode
            == "LifecyclePolicyNotFoundException")

        let pusher = try Pusher(server, repository: "app")
        let oldest = try pusher.push("one")
        _ = try pusher.push("two")
        _ = try pusher.push("three", tag: "v1")

        let started = try server.aws([
            "ecr", "start-lifecycle-policy-preview", "--repository-name", "app", "--lifecycle-policy-text", Self.keepOneUntagged,
        ])
        #expect(started.json?["status"]?.stringValue == "IN_PROGRESS", "\(started.stderr)")
        let preview = try server.aws(["ecr", "get-lifecycle-policy-preview", "--repository-name", "app"])
        #expect(preview.json?["status"]?.stringValue == "COMPLETE", "\(preview.stderr)")
        let results = preview.json?["previewResults"]?.arrayValue ?? []
        #expect(results.count == 1)
        #expect(results.first?["imageDigest"]?.stringValue == oldest)
        #expect(results.first?["appliedRulePriority"] == .number(JSONNumber(1)))
        #expect(results.first?["action"]?["type"]?.stringValue == "EXPIRE")
        #expect(preview.json?["summary"]?["expiringImageTotalCount"] == .number(JSONNumber(1)))

        let images = try server.aws(["ecr", "list-images", "--repository-name", "app"])
        #expect(images.json?["imageIds"]?.arrayValue?.count == 3, "a preview changes nothing")
    }

    @Test("scanning answers truthfully: never scanned is ScanNotFound, a scan fails as unavailable offline, no findings")
    func scanning() throws {
        let server = try GatehouseProcess()
        try Self.createRepository(server, "app")
        let digest = try Pusher(server, repository: "app").push("scanned", tag: "v1")

        let never = try server.aws(["ecr", "describe-image-scan-findings", "--repository-name", "app", "--image-id", "imageTag=v1"])
        #expect(never.errorCode == "ScanNotFoundException")
        #expect(never.stderr.contains(
            "Image scan does not exist for the image with '{imageDigest:'null', imageTag:'v1'}' in the repository with name 'app' in the registry with id '000000000000'"),
            "\(never.stderr)")

        let started = try server.aws(["ecr", "start-image-scan", "--repository-name", "app", "--image-id", "imageDigest=\(digest)"])
        #expect(started.json?["imageScanStatus"]?["status"]?.stringValue == "FAILED", "\(started.stderr)")
        let findings = try server.aws(["ecr", "describe-image-scan-findings", "--repository-name", "app", "--image-id", "imageTag=v1"])
        #expect(findings.json?["imageScanStatus"]?["status"]?.stringValue == "FAILED", "\(findings.stderr)")
        // The CLI pages this call and prints `"imageScanFindings": null` when the answer has none.
        let listed: [JSONValue] = findings.json?["imageScanFindings"]?["findings"]?.arrayValue ?? []
        #expect(listed.isEmpty, "\(findings.stdout)")
        let again = try server.aws(["ecr", "start-image-scan", "--repository-name", "app", "--image-id", "imageTag=v1"])
        #expect(again.errorCode == "LimitExceededException", "\(again.stderr)")
        let archived = try server.aws([
            "ecr", "update-image-storage-class", "--repository-name", "app", "--image-id", "imageTag=v1", "--target-storage-class", "ARCHIVE",
        ])
        #expect(archived.json?["imageStatus"]?.stringValue == "ARCHIVED", "\(archived.stderr)")
        #expect(try server.aws(["ecr", "start-image-scan", "--repository-name", "app", "--image-id", "imageTag=v1"]).errorCode
            == "ImageArchivedException")
        let missing = try server.aws(["ecr", "start-image-scan", "--repository-name", "app", "--image-id", "imageTag=v2"])
        #expect(missing.errorCode == "ImageNotFoundException")

        let registry = try server.aws(["ecr", "get-registry-scanning-configuration"])
        #expect(registry.json?["scanningConfiguration"]?["scanType"]?.stringValue == "BASIC", "\(registry.stderr)")
        let repositories = try server.aws(["ecr", "batch-get-repository-scanning-configuration", "--repository-names", "app", "nope"])
        #expect(repositories.json?["scanningConfigurations"]?.arrayValue?.first?["scanFrequency"]?.stringValue == "MANUAL", "\(repositories.stderr)")
        #expect(repositories.json?["failures"]?.arrayValue?.first?["repositoryName"]?.stringValue == "nope")
    }
}
