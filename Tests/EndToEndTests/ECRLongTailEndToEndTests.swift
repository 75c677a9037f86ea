import Foundation
import JSON
import Testing

/// ECR's lifecycle policies, registry settings, scanning and the configuration
/// operations, driven with the real aws CLI against the built binary.
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

    @Test("put, get and delete a lifecycle policy; a malformed one is refused with ECR's schema message; each not-found")
    func lifecyclePolicy() throws {
        let server = try GatehouseProcess()
        try Self.createRepository(server, "app")

        let missing = try server.aws(["ecr", "get-lifecycle-policy", "--repository-name", "app"])
        #expect(missing.errorCode == "LifecyclePolicyNotFoundException")
        #expect(missing.stderr.contains(
            "Lifecycle policy does not exist for the repository with name 'app' in the registry with id '000000000000'"), "\(missing.stderr)")

        let malformed = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countUnit":"days","countNumber":3},"action":{"type":"expire"}}]}"#
        let refused = try server.aws(["ecr", "put-lifecycle-policy", "--repository-name", "app", "--lifecycle-policy-text", malformed])
        #expect(refused.errorCode == "InvalidParameterException")
        #expect(refused.stderr.contains(
            "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: instance failed to match exactly one schema (matched 0 out of 2)"),
            "\(refused.stderr)")
        #expect(try server.aws(["ecr", "get-lifecycle-policy", "--repository-name", "app"]).errorCode == "LifecyclePolicyNotFoundException")

        let put = try server.aws(["ecr", "put-lifecycle-policy", "--repository-name", "app", "--lifecycle-policy-text", Self.keepOneUntagged])
        #expect(put.json?["lifecyclePolicyText"]?.stringValue == Self.keepOneUntagged, "\(put.stderr)")
        #expect(put.json?["registryId"]?.stringValue == "000000000000")
        let got = try server.aws(["ecr", "get-lifecycle-policy", "--repository-name", "app"])
        #expect(got.json?["lifecyclePolicyText"]?.stringValue == Self.keepOneUntagged, "\(got.stderr)")
        let deleted = try server.aws(["ecr", "delete-lifecycle-policy", "--repository-name", "app"])
        #expect(deleted.json?["lifecyclePolicyText"]?.stringValue == Self.keepOneUntagged, "\(deleted.stderr)")
        #expect(try server.aws(["ecr", "delete-lifecycle-policy", "--repository-name", "app"]).errorCode == "LifecyclePolicyNotFoundException")

        let noRepository = try server.aws(["ecr", "get-lifecycle-policy", "--repository-name", "nope"])
        #expect(noRepository.errorCode == "RepositoryNotFoundException")
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

    @Test("registry policy: put, get, delete; an invalid one is refused; not found when absent")
    func registryPolicy() throws {
        let server = try GatehouseProcess()
        let missing = try server.aws(["ecr", "get-registry-policy"])
        #expect(missing.errorCode == "RegistryPolicyNotFoundException")
        #expect(missing.stderr.contains("Registry policy does not exist in the registry with id '000000000000'"), "\(missing.stderr)")

        let invalid = try server.aws(["ecr", "put-registry-policy", "--policy-text", #"{"Statement":"nope"}"#])
        #expect(invalid.errorCode == "InvalidParameterException")
        #expect(invalid.stderr.contains(
            "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'"), "\(invalid.stderr)")

        let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"replicate","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:000000000000:repository/*"}]}"#
        let put = try server.aws(["ecr", "put-registry-policy", "--policy-text", policy])
        #expect(put.json?["registryId"]?.stringValue == "000000000000", "\(put.stderr)")
        #expect(try server.aws(["ecr", "get-registry-policy"]).json?["policyText"]?.stringValue == policy)
        #expect(try server.aws(["ecr", "delete-registry-policy"]).json?["policyText"]?.stringValue == policy)
        #expect(try server.aws(["ecr", "delete-registry-policy"]).errorCode == "RegistryPolicyNotFoundException")
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

    @Test("registry description, replication, account settings")
    func registrySettings() throws {
        let server = try GatehouseProcess()
        let registry = try server.aws(["ecr", "describe-registry"])
        #expect(registry.json?["registryId"]?.stringValue == "000000000000", "\(registry.stderr)")
        #expect(registry.json?["replicationConfiguration"]?["rules"] == .array([]))

        let configuration = #"{"rules":[{"destinations":[{"region":"eu-west-1","registryId":"000000000000"}]}]}"#
        let put = try server.aws(["ecr", "put-replication-configuration", "--replication-configuration", configuration])
        #expect(put.succeeded, "\(put.stderr)")
        let described = try server.aws(["ecr", "describe-registry"])
        #expect(described.json?["replicationConfiguration"]?["rules"]?.arrayValue?.first?["destinations"]?.arrayValue?.first?["region"]?.stringValue == "eu-west-1")
        let toItself = #"{"rules":[{"destinations":[{"region":"us-east-1","registryId":"000000000000"}]}]}"#
        #expect(try server.aws(["ecr", "put-replication-configuration", "--replication-configuration", toItself]).errorCode == "InvalidParameterException")

        let setting = try server.aws(["ecr", "get-account-setting", "--name", "BASIC_SCAN_TYPE_VERSION"])
        #expect(setting.json?["value"]?.stringValue == "AWS_NATIVE", "\(setting.stderr)")
        #expect(try server.aws(["ecr", "put-account-setting", "--name", "BASIC_SCAN_TYPE_VERSION", "--value", "CLAIR"]).json?["value"]?.stringValue == "CLAIR")
        #expect(try server.aws(["ecr", "get-account-setting", "--name", "BASIC_SCAN_TYPE_VERSION"]).json?["value"]?.stringValue == "CLAIR")
        #expect(try server.aws(["ecr", "put-account-setting", "--name", "BASIC_SCAN_TYPE_VERSION", "--value", "V2"]).errorCode == "InvalidParameterException")
    }

    @Test("pull-through cache rules, creation templates, signing and exclusions: stored, returned, and not found when absent")
    func configurations() throws {
        let server = try GatehouseProcess()
        #expect(try server.aws(["ecr", "describe-pull-through-cache-rules", "--ecr-repository-prefixes", "quay"]).errorCode
            == "PullThroughCacheRuleNotFoundException")
        let created = try server.aws(["ecr", "create-pull-through-cache-rule", "--ecr-repository-prefix", "quay", "--upstream-registry-url", "quay.io"])
        #expect(created.json?["upstreamRegistry"]?.stringValue == "quay", "\(created.stderr)")
        #expect(try server.aws(["ecr", "create-pull-through-cache-rule", "--ecr-repository-prefix", "quay", "--upstream-registry-url", "quay.io"]).errorCode
            == "PullThroughCacheRuleAlreadyExistsException")
        #expect(try server.aws(["ecr", "create-pull-through-cache-rule", "--ecr-repository-prefix", "hub", "--upstream-registry-url", "example.com"]).errorCode
            == "UnsupportedUpstreamRegistryException")
        let validated = try server.aws(["ecr", "validate-pull-through-cache-rule", "--ecr-repository-prefix", "quay"])
        #expect(validated.json?["isValid"] == .bool(false), "\(validated.stderr)")
        #expect(try server.aws(["ecr", "delete-pull-through-cache-rule", "--ecr-repository-prefix", "quay"]).succeeded)

        #expect(try server.aws(["ecr", "delete-repository-creation-template", "--prefix", "team"]).errorCode == "TemplateNotFoundException")
        let template = try server.aws(["ecr", "create-repository-creation-template", "--prefix", "team", "--applied-for", "PULL_THROUGH_CACHE"])
        #expect(template.json?["repositoryCreationTemplate"]?["prefix"]?.stringValue == "team", "\(template.stderr)")
        let described = try server.aws(["ecr", "describe-repository-creation-templates"])
        #expect(described.json?["repositoryCreationTemplates"]?.arrayValue?.count == 1, "\(described.stderr)")

        #expect(try server.aws(["ecr", "get-signing-configuration"]).errorCode == "SigningConfigurationNotFoundException")
        #expect(try server.aws(["ecr", "deregister-pull-time-update-exclusion", "--principal-arn", "arn:aws:iam::000000000000:role/scanner"]).errorCode
            == "ExclusionNotFoundException")
        let registered = try server.aws(["ecr", "register-pull-time-update-exclusion", "--principal-arn", "arn:aws:iam::000000000000:role/scanner"])
        #expect(registered.json?["principalArn"]?.stringValue == "arn:aws:iam::000000000000:role/scanner", "\(registered.stderr)")
        #expect(try server.aws(["ecr", "list-pull-time-update-exclusions"]).json?["pullTimeUpdateExclusions"]?.arrayValue?.count == 1)
    }
}
