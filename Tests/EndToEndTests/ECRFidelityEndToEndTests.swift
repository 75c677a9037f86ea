import Foundation
import JSON
import Testing

/// ECR answers compared with recordings of real ECR (docs/research/fidelity-issue18.md §11),
/// driven with the real aws CLI against the built binary.
@Suite("ECR fidelity, end to end")
struct ECRFidelityEndToEndTests {
    @Test("an unknown tag mutability is refused listing the values in ECR's order, and no repository is made")
    func enumValueOrder() throws {
        let server = try GatehouseProcess()
        let refused = try server.aws(["ecr", "create-repository", "--repository-name", "app", "--image-tag-mutability", "SOMETIMES"])
        #expect(refused.errorCode == "InvalidParameterException", "\(refused.stderr)")
        #expect(refused.stderr.contains(
            "Invalid parameter at 'imageTagMutability' failed to satisfy constraint: "
                + "'Member must satisfy enum value set: [IMMUTABLE, MUTABLE, MUTABLE_WITH_EXCLUSION, IMMUTABLE_WITH_EXCLUSION]'"),
            "\(refused.stderr)")
        let described = try server.aws(["ecr", "describe-repositories"])
        #expect(described.json?["repositories"] == .array([]), "\(described.stdout)")
    }

    /// The registry's host and a curl `-u` for it (Basic AWS:password, as `docker login` sends).
    static func registry(_ server: GatehouseProcess) throws -> (host: String, user: String) {
        let password = try server.aws(["ecr", "get-login-password"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (server.endpoint.replacingOccurrences(of: "http://", with: ""), "AWS:\(password)")
    }

    @Test("KMS encryption without a key reports the AWS managed key by its key ARN, one per registry")
    func awsManagedKey() throws {
        let server = try GatehouseProcess()
        var keys: [String] = []
        for name in ["one", "two"] {
            let created = try server.aws([
                "ecr", "create-repository", "--repository-name", name, "--encryption-configuration", "encryptionType=KMS",
            ])
            keys.append(try #require(created.json?["repository"]?["encryptionConfiguration"]?["kmsKey"]?.stringValue, "\(created.stderr)"))
        }
        #expect(keys[0].wholeMatch(of: /arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil,
            "\(keys[0])")
        #expect(keys[0] == keys[1])
        let described = try server.aws(["ecr", "describe-repositories", "--repository-names", "one"])
        #expect(described.json?["repositories"]?.arrayValue?.first?["encryptionConfiguration"]?["kmsKey"]?.stringValue == keys[0])
    }

    @Test("repository and registry policies may repeat a Sid, as ECR accepts; an IAM policy still may not")
    func repeatedSid() throws {
        let server = try GatehouseProcess()
        #expect(try server.aws(["ecr", "create-repository", "--repository-name", "app"]).succeeded)
        let statement = #"{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"ecr:BatchGetImage"}"#
        let twice = #"{"Version":"2012-10-17","Statement":[\#(statement),\#(statement.replacingOccurrences(of: "BatchGetImage", with: "GetDownloadUrlForLayer"))]}"#
        let set = try server.aws(["ecr", "set-repository-policy", "--repository-name", "app", "--policy-text", twice])
        #expect(set.succeeded, "\(set.stderr)")
        #expect(try server.aws(["ecr", "get-repository-policy", "--repository-name", "app"]).json?["policyText"]?.stringValue == twice)
        let registry = twice.replacingOccurrences(of: "ecr:BatchGetImage", with: "ecr:CreateRepository")
            .replacingOccurrences(of: "ecr:GetDownloadUrlForLayer", with: "ecr:ReplicateImage")
            .replacingOccurrences(of: #""Action""#, with: #""Resource":"arn:aws:ecr:us-east-1:000000000000:repository/*","Action""#)
        let put = try server.aws(["ecr", "put-registry-policy", "--policy-text", registry])
        #expect(put.succeeded, "\(put.stderr)")
        let identity = #"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"ecr:*","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#
        let iam = try server.aws(["iam", "create-policy", "--policy-name", "twice", "--policy-document", identity])
        #expect(iam.errorCode == "MalformedPolicyDocument", "\(iam.stderr)")
    }

    @Test("a manifest without mediaType: PutImage refuses it unless the media type is given; the registry refuses it as UNSUPPORTED")
    func manifestWithoutMediaType() throws {
        let server = try GatehouseProcess()
        try ECRLongTailEndToEndTests.createRepository(server, "app")
        let pusher = try ECRLongTailEndToEndTests.Pusher(server, repository: "app")
        let manifest = #"{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(pusher.config.digest)","size":\#(pusher.config.size)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(pusher.layer.digest)","size":\#(pusher.layer.size)}]}"#
        let file = pusher.directory.appendingPathComponent("bare.json")
        try Data(manifest.utf8).write(to: file)
        let refused = try server.aws(["ecr", "put-image", "--repository-name", "app", "--image-tag", "bare", "--image-manifest", "file://\(file.path)"])
        #expect(refused.errorCode == "InvalidParameterException", "\(refused.stderr)")
        #expect(refused.stderr.contains("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'"), "\(refused.stderr)")
        #expect(try server.aws(["ecr", "list-images", "--repository-name", "app"]).json?["imageIds"] == .array([]))

        let (host, user) = try Self.registry(server)
        let put = try server.curl([
            "-u", user, "-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.manifest.v1+json", "--data-binary", "@\(file.path)",
            "http://\(host)/v2/app/manifests/bare",
        ])
        #expect(put.status == 405)
        #expect(put.body.trimmingCharacters(in: .newlines) == #"{"errors":[{"code":"UNSUPPORTED","message":"Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'"}]}"#)

        let given = try server.aws([
            "ecr", "put-image", "--repository-name", "app", "--image-tag", "bare", "--image-manifest", "file://\(file.path)",
            "--image-manifest-media-type", "application/vnd.oci.image.manifest.v1+json",
        ])
        #expect(given.json?["image"]?["imageManifestMediaType"]?.stringValue == "application/vnd.oci.image.manifest.v1+json", "\(given.stderr)")
    }

    @Test("an archived image is not served by the registry (404), its layers neither unless an active image shares them; restored, it is")
    func archivedImagesAreNotServed() throws {
        let server = try GatehouseProcess()
        try ECRLongTailEndToEndTests.createRepository(server, "app")
        let pusher = try ECRLongTailEndToEndTests.Pusher(server, repository: "app")
        let digest = try pusher.push("one", tag: "v1")
        let (host, user) = try Self.registry(server)
        func get(_ path: String) throws -> (status: Int, body: String) {
            try server.curl(["-u", user, "-H", "Accept: application/vnd.oci.image.manifest.v1+json", "http://\(host)/v2/app/\(path)"])
        }
        #expect(try get("manifests/v1").status == 200)
        let archived = try server.aws([
            "ecr", "update-image-storage-class", "--repository-name", "app", "--image-id", "imageTag=v1", "--target-storage-class", "ARCHIVE",
        ])
        #expect(archived.json?["imageStatus"]?.stringValue == "ARCHIVED", "\(archived.stderr)")
        for path in ["manifests/v1", "manifests/\(digest)"] {
            let refused = try get(path)
            #expect(refused.status == 404, "\(path)")
            #expect(refused.body.trimmingCharacters(in: .newlines) == #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"Requested image not found"}]}"#, "\(path)")
        }
        let layer = try get("blobs/\(pusher.layer.digest)")
        #expect(layer.status == 404)
        #expect(layer.body.contains(#""code":"BLOB_UNKNOWN""#), "\(layer.body)")

        // A second, active image with the same layer: the layer is served again, the archived manifest still not.
        _ = try pusher.push("two", tag: "v2")
        #expect(try get("blobs/\(pusher.layer.digest)").status == 200)
        #expect(try get("manifests/v1").status == 404)

        let restored = try server.aws([
            "ecr", "update-image-storage-class", "--repository-name", "app", "--image-id", "imageTag=v1", "--target-storage-class", "STANDARD",
        ])
        #expect(restored.json?["imageStatus"]?.stringValue == "ACTIVE", "\(restored.stderr)")
        #expect(try get("manifests/v1").status == 200)

        // Pushing an archived image again restores it, as the ECR guide says.
        #expect(try server.aws([
            "ecr", "update-image-storage-class", "--repository-name", "app", "--image-id", "imageTag=v1", "--target-storage-class", "ARCHIVE",
        ]).succeeded)
        #expect(try get("manifests/v1").status == 404)
        #expect(try pusher.push("one", tag: "v1") == digest)
        #expect(try get("manifests/v1").status == 200)
    }

    @Test("a Docker schema 1 image pushed with skopeo is stored as pushed, named by its payload's digest, and pulled back by that digest")
    func schema1() throws {
        let server = try GatehouseProcess()
        try ECRLongTailEndToEndTests.createRepository(server, "old")
        let layout = try StateEndToEndTests.imageLayout(withHistory: true)
        defer { try? FileManager.default.removeItem(at: layout) }
        let (host, user) = try Self.registry(server)
        let env = ProcessInfo.processInfo.environment
        let push = try GatehouseProcess.run(
            "skopeo", ["copy", "--quiet", "--format", "v2s1", "--dest-tls-verify=false", "--dest-creds", user, "oci:\(layout.path):v1", "docker://\(host)/old:v1"],
            environment: env)
        #expect(push.succeeded, "\(push.stderr)")
        let described = try server.aws(["ecr", "describe-images", "--repository-name", "old"])
        let image = try #require(described.json?["imageDetails"]?.arrayValue?.first, "\(described.stdout) \(described.stderr)")
        #expect(image["imageManifestMediaType"]?.stringValue == "application/vnd.docker.distribution.manifest.v1+prettyjws")
        guard case .number(let size)? = image["imageSizeInBytes"] else { Issue.record("no imageSizeInBytes: \(image)"); return }
        #expect((size.int64 ?? 0) > 0, "\(image)")
        let digest = try #require(image["imageDigest"]?.stringValue)
        // skopeo checks a manifest pulled by digest against that digest (the signed payload's, for schema 1).
        let pulled = FileManager.default.temporaryDirectory.appendingPathComponent("ecr-schema1-pull-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: pulled) }
        let pull = try GatehouseProcess.run(
            "skopeo", ["copy", "--quiet", "--src-tls-verify=false", "--src-creds", user, "docker://\(host)/old@\(digest)", "dir:\(pulled.path)"],
            environment: env)
        #expect(pull.succeeded, "\(pull.stderr)")
        let raw = try String(contentsOf: pulled.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(raw.contains(#""schemaVersion":"#) && raw.contains(#""signatures""#), "\(raw)")
        #expect(!raw.contains(#""schemaVersion": 2"#) && !raw.contains(#""schemaVersion":2"#), "\(raw)")
        let got = try server.aws(["ecr", "batch-get-image", "--repository-name", "old", "--image-ids", "imageTag=v1"])
        #expect(got.json?["images"]?.arrayValue?.first?["imageManifest"]?.stringValue == raw, "\(got.stdout)")
    }

    @Test("another account pulls through /v2 what the registry policy grants it, and not once the scope is V1")
    func registryPolicyAtTheRegistry() throws {
        let server = try RegistryUploadEndToEndTests.twoAccounts()
        try ECRLongTailEndToEndTests.createRepository(server, "app")
        let pusher = try ECRLongTailEndToEndTests.Pusher(server, repository: "app")
        _ = try pusher.push("one", tag: "v1")
        // Account 111111111111's token for registry 000000000000, as `aws ecr get-login-password --registry-ids` gives it.
        let token = try server.aws(["ecr", "get-authorization-token", "--registry-ids", "000000000000"], accessKey: "victim", secret: "victim")
        let encoded = try #require(token.json?["authorizationData"]?.arrayValue?.first?["authorizationToken"]?.stringValue, "\(token.stderr)")
        let user = String(decoding: Data(base64Encoded: encoded) ?? Data(), as: UTF8.self)
        let host = server.endpoint.replacingOccurrences(of: "http://", with: "")
        func get(_ path: String) throws -> (status: Int, body: String) {
            try server.curl(["-u", user, "-H", "Accept: application/vnd.oci.image.manifest.v1+json", "http://\(host)/v2/app/\(path)"])
        }
        let refused = try get("manifests/v1")
        #expect(refused.status == 403)
        #expect(refused.body.contains(#""code":"DENIED""#) && refused.body.contains("ecr:BatchGetImage"), "\(refused.body)")

        let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"arn:aws:ecr:us-east-1:000000000000:repository/*"}]}"#
        let put = try server.aws(["ecr", "put-registry-policy", "--policy-text", policy])
        #expect(put.succeeded, "\(put.stderr)")
        #expect(try get("manifests/v1").status == 200)
        #expect(try get("blobs/\(pusher.layer.digest)").status == 200)
        // Not what it does not name: pushing.
        let push = try server.curl(["-u", user, "-X", "POST", "http://\(host)/v2/app/blobs/uploads/"])
        #expect(push.status == 403, "\(push.body)")

        #expect(try server.aws(["ecr", "put-account-setting", "--name", "REGISTRY_POLICY_SCOPE", "--value", "V1"]).succeeded)
        #expect(try get("manifests/v1").status == 403)
    }

    @Test("replication: an image skopeo pushes is copied to the destination region, where skopeo pulls it; the status says COMPLETE")
    func replication() throws {
        let server = try GatehouseProcess()
        let configuration = #"{"rules":[{"destinations":[{"region":"us-west-2","registryId":"000000000000"}],"repositoryFilters":[{"filter":"app","filterType":"PREFIX_MATCH"}]}]}"#
        let put = try server.aws(["ecr", "put-replication-configuration", "--replication-configuration", configuration])
        #expect(put.succeeded, "\(put.stderr)")
        try ECRLongTailEndToEndTests.createRepository(server, "app")
        let layout = try StateEndToEndTests.imageLayout()
        defer { try? FileManager.default.removeItem(at: layout) }
        let host = server.endpoint.replacingOccurrences(of: "http://", with: "")
        let env = ProcessInfo.processInfo.environment
        let east = try server.aws(["ecr", "get-login-password"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let push = try GatehouseProcess.run(
            "skopeo", ["copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", "AWS:\(east)", "oci:\(layout.path):v1", "docker://\(host)/app:v1"],
            environment: env)
        #expect(push.succeeded, "\(push.stderr)")

        let status = try server.aws(["ecr", "describe-image-replication-status", "--repository-name", "app", "--image-id", "imageTag=v1"])
        let statuses = status.json?["replicationStatuses"]?.arrayValue ?? []
        #expect(statuses.count == 1, "\(status.stdout) \(status.stderr)")
        #expect(statuses.first?["region"]?.stringValue == "us-west-2")
        #expect(statuses.first?["status"]?.stringValue == "COMPLETE")

        let west = try server.aws(["ecr", "describe-images", "--repository-name", "app"], region: "us-west-2")
        #expect(west.json?["imageDetails"]?.arrayValue?.first?["imageTags"] == .array([.string("v1")]), "\(west.stdout) \(west.stderr)")
        // Pulled from us-west-2's registry (its token names it), every layer checked against its digest.
        let password = try server.aws(["ecr", "get-login-password"], region: "us-west-2").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let pulled = FileManager.default.temporaryDirectory.appendingPathComponent("ecr-replicated-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: pulled) }
        let pull = try GatehouseProcess.run(
            "skopeo", ["copy", "--quiet", "--src-tls-verify=false", "--src-creds", "AWS:\(password)", "docker://\(host)/app:v1", "oci:\(pulled.path):v1"],
            environment: env)
        #expect(pull.succeeded, "\(pull.stderr)")
    }

    @Test("replication to another account fails until its registry policy allows it, and says so")
    func replicationAcrossAccounts() throws {
        let server = try RegistryUploadEndToEndTests.twoAccounts()
        let configuration = #"{"rules":[{"destinations":[{"region":"us-east-1","registryId":"111111111111"}]}]}"#
        #expect(try server.aws(["ecr", "put-replication-configuration", "--replication-configuration", configuration]).succeeded)
        try ECRLongTailEndToEndTests.createRepository(server, "app")
        let pusher = try ECRLongTailEndToEndTests.Pusher(server, repository: "app")
        func status(_ digest: String) throws -> JSONValue? {
            try server.aws(["ecr", "describe-image-replication-status", "--repository-name", "app", "--image-id", "imageDigest=\(digest)"])
                .json?["replicationStatuses"]?.arrayValue?.first
        }
        let refused = try status(try pusher.push("one", tag: "v1"))
        #expect(refused?["status"]?.stringValue == "FAILED")
        #expect(refused?["failureCode"]?.stringValue == "REPLICATION_ACCESS_DENIED")
        #expect(refused?["registryId"]?.stringValue == "111111111111")

        let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"ReplicationAccessCrossAccount","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:111111111111:repository/*"}]}"#
        #expect(try server.aws(["ecr", "put-registry-policy", "--policy-text", policy], accessKey: "victim", secret: "victim").succeeded)
        let digest = try pusher.push("two", tag: "v2")
        #expect(try status(digest)?["status"]?.stringValue == "COMPLETE")
        let there = try server.aws(["ecr", "list-images", "--repository-name", "app"], accessKey: "victim", secret: "victim")
        let ids = there.json?["imageIds"]?.arrayValue ?? []
        #expect(ids.map { $0["imageDigest"]?.stringValue } == [digest], "\(there.stdout) \(there.stderr)")
        #expect(ids.map { $0["imageTag"]?.stringValue } == ["v2"])
    }

    @Test("a scan cannot complete offline: it ends FAILED, and `aws ecr wait image-scan-complete` stops at once on it")
    func scanWaiter() throws {
        let server = try GatehouseProcess()
        try ECRLongTailEndToEndTests.createRepository(server, "app")
        _ = try ECRLongTailEndToEndTests.Pusher(server, repository: "app").push("one", tag: "v1")
        #expect(try server.aws(["ecr", "start-image-scan", "--repository-name", "app", "--image-id", "imageTag=v1"]).succeeded)
        let wait = try server.aws(["ecr", "wait", "image-scan-complete", "--repository-name", "app", "--image-id", "imageTag=v1"])
        #expect(wait.status == 255)
        #expect(wait.stderr.contains("Waiter ImageScanComplete failed: Waiter encountered a terminal failure state"), "\(wait.stderr)")
    }
}
