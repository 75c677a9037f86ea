import Foundation
import Hashing
import JSON
import Testing

/// `gatehouse state export/import` and `serve --seed SNAPSHOT`, run as the
/// built binary against worlds built with the aws CLI and skopeo.
@Suite("State snapshots, end to end")
struct StateEndToEndTests {
    static let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
    static let pushPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}"#

    static func gatehouse(_ arguments: [String]) throws -> GatehouseProcess.Result {
        try PolicyCommandEndToEndTests.gatehouse(arguments)
    }

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-state-\(UUID().uuidString)")
    }

    /// An OCI image layout holding one small image tagged `v1`, for skopeo to push;
    /// `withHistory` gives its config the history Docker schema 1 needs (one entry per layer).
    static func imageLayout(withHistory: Bool = false) throws -> URL {
        let root = scratch()
        let blobs = root.appendingPathComponent("blobs/sha256")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        func put(_ bytes: [UInt8]) throws -> (digest: String, size: Int) {
            let hex = Hex.encode(SHA256.hash(bytes))
            try Data(bytes).write(to: blobs.appendingPathComponent(hex))
            return ("sha256:" + hex, bytes.count)
        }
        let layer = try put(Array("layer \(UUID().uuidString)".utf8))
        let history = withHistory
            ? #","created":"2026-01-01T00:00:00Z","history":[{"created":"2026-01-01T00:00:00Z","created_by":"gatehouse test"}]"# : ""
        let config = try put(Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["\#(layer.digest)"]}\#(history)}"#.utf8))
        let manifest = try put(Array("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(config.digest)","size":\(config.size)},\
            "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\(layer.digest)","size":\(layer.size)}]}
            """.utf8))
        try Data("""
            {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\(manifest.digest)",\
            "size":\(manifest.size),"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}
            """.utf8).write(to: root.appendingPathComponent("index.json"))
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: root.appendingPathComponent("oci-layout"))
        return root
    }

    static func skopeo(_ arguments: [String], server: GatehouseProcess) throws -> GatehouseProcess.Result {
        let password = try server.aws(["ecr", "get-login-password"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return try GatehouseProcess.run(
            "skopeo", arguments.map { $0.replacingOccurrences(of: "CREDS", with: "AWS:\(password)") },
            environment: ProcessInfo.processInfo.environment)
    }

    /// A role with tags, a user with a key and an inline policy, a repository with an image.
    static func buildWorld(on server: GatehouseProcess) throws -> (keyId: String, secret: String) {
        #expect(try server.aws(["iam", "create-role", "--role-name", "app", "--assume-role-policy-document", trust, "--tags", "Key=team,Value=core"]).succeeded)
        #expect(try server.aws(["iam", "create-user", "--user-name", "alice"]).succeeded)
        #expect(try server.aws(["iam", "put-user-policy", "--user-name", "alice", "--policy-name", "push", "--policy-document", pushPolicy]).succeeded)
        let key = try server.aws(["iam", "create-access-key", "--user-name", "alice"]).json
        #expect(try server.aws(["ecr", "create-repository", "--repository-name", "app"]).succeeded)
        let image = try imageLayout()
        defer { try? FileManager.default.removeItem(at: image) }
        let host = server.endpoint.replacingOccurrences(of: "http://", with: "")
        let push = try skopeo(["copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", "CREDS", "oci:\(image.path):v1", "docker://\(host)/app:v1"], server: server)
        #expect(push.succeeded, "\(push.stderr)")
        return (key?["AccessKey"]?["AccessKeyId"]?.stringValue ?? "", key?["AccessKey"]?["SecretAccessKey"]?.stringValue ?? "")
    }

    @Test("a world exported as an OCI layout from a running server comes back whole in a fresh data directory")
    func layoutRoundTrip() throws {
        let first = try GatehouseProcess()
        let key = try Self.buildWorld(on: first)
        let layout = Self.scratch()
        defer { try? FileManager.default.removeItem(at: layout) }
        let export = try Self.gatehouse(["state", "export", "--endpoint", first.endpoint, "--layout", layout.path])
        #expect(export.succeeded, "\(export.stderr)")
        first.stop()

        let fresh = Self.scratch()
        let imported = try Self.gatehouse(["state", "import", layout.path, "--data-dir", fresh.path])
        #expect(imported.succeeded, "\(imported.stderr)")
        #expect(imported.stderr.contains("imported 1 account(s): 000000000000"))
        // Export → import → export gives the same document.
        let again = try Self.gatehouse(["state", "export", "--data-dir", fresh.path])
        #expect(again.stdout == (try String(contentsOf: layout.appendingPathComponent("gatehouse-state.json"), encoding: .utf8)))

        let second = try GatehouseProcess(dataDirectory: fresh)
        let tags = try second.aws(["iam", "list-role-tags", "--role-name", "app"]).json
        #expect(tags?["Tags"]?.arrayValue?.first?["Value"]?.stringValue == "core")
        let caller = try second.aws(["sts", "get-caller-identity"], accessKey: key.keyId, secret: key.secret).json
        #expect(caller?["Arn"]?.stringValue == "arn:aws:iam::000000000000:user/alice")
        let images = try second.aws(["ecr", "describe-images", "--repository-name", "app"]).json
        #expect(images?["imageDetails"]?.arrayValue?.first?["imageTags"]?.arrayValue?.first?.stringValue == "v1")
        // The layers came along: skopeo pulls the image (and checks every digest).
        let pulled = Self.scratch()
        defer { try? FileManager.default.removeItem(at: pulled) }
        let host = second.endpoint.replacingOccurrences(of: "http://", with: "")
        let pull = try Self.skopeo(["copy", "--quiet", "--src-tls-verify=false", "--src-creds", "CREDS", "docker://\(host)/app:v1", "oci:\(pulled.path):v1"], server: second)
        #expect(pull.succeeded, "\(pull.stderr)")

        // Through a running server: the CLI sends the blobs it lacks, then the document.
        let third = try GatehouseProcess()
        let sent = try Self.gatehouse(["state", "import", layout.path, "--endpoint", third.endpoint])
        #expect(sent.succeeded, "\(sent.stderr)")
        // Again: the server has every blob now (HEAD says so) and the import replaces the account.
        let resent = try Self.gatehouse(["state", "import", layout.path, "--endpoint", third.endpoint])
        #expect(resent.succeeded, "\(resent.stderr)")
        let thirdHost = third.endpoint.replacingOccurrences(of: "http://", with: "")
        let pulledAgain = try Self.skopeo(["copy", "--quiet", "--src-tls-verify=false", "--src-creds", "CREDS", "docker://\(thirdHost)/app:v1", "oci:\(pulled.path):again"], server: third)
        #expect(pulledAgain.succeeded, "\(pulledAgain.stderr)")

        // The layout itself is one skopeo reads.
        let inspect = try GatehouseProcess.run("skopeo", ["inspect", "oci:\(layout.path):app:v1"], environment: ProcessInfo.processInfo.environment)
        #expect(inspect.succeeded, "\(inspect.stderr)")
    }

    @Test("serve --seed SNAPSHOT starts from the snapshot, and a reset returns to it")
    func seed() throws {
        let first = try GatehouseProcess()
        #expect(try first.aws(["iam", "create-role", "--role-name", "seeded", "--assume-role-policy-document", Self.trust]).succeeded)
        let snapshot = Self.scratch().appendingPathExtension("json")
        defer { try? FileManager.default.removeItem(at: snapshot) }
        let export = try Self.gatehouse(["state", "export", "--endpoint", first.endpoint, "--output", snapshot.path])
        #expect(export.succeeded, "\(export.stderr)")

        let second = try GatehouseProcess(arguments: ["--seed", snapshot.path])
        #expect(try second.aws(["iam", "get-role", "--role-name", "seeded"]).succeeded)
        #expect(try second.aws(["iam", "create-role", "--role-name", "later", "--assume-role-policy-document", Self.trust]).succeeded)
        #expect(try second.curl(["-X", "POST", "\(second.endpoint)/_gatehouse/reset"]).status == 200)
        #expect(try second.aws(["iam", "get-role", "--role-name", "seeded"]).succeeded)
        #expect(try second.aws(["iam", "get-role", "--role-name", "later"]).errorCode == "NoSuchEntity")

        // A snapshot seed is read and checked at start, so a bad one stops the server there.
        let broken = snapshot.deletingLastPathComponent().appendingPathComponent("broken-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: broken) }
        try String(contentsOf: snapshot, encoding: .utf8).replacingOccurrences(of: #""name":"seeded""#, with: #""name":"seeded","colour":"red""#)
            .write(to: broken, atomically: true, encoding: .utf8)
        #expect {
            try GatehouseProcess(arguments: ["--seed", broken.path])
        } throws: { error in
            "\(error)".contains("unknown field \"colour\"")
        }
    }

    @Test("a bad snapshot is refused with where and why, exit 1, and the server's state is unchanged")
    func refused() throws {
        let server = try GatehouseProcess()
        #expect(try server.aws(["iam", "create-role", "--role-name", "kept", "--assume-role-policy-document", Self.trust]).succeeded)
        let exported = try Self.gatehouse(["state", "export", "--endpoint", server.endpoint]).stdout
        #expect(try server.aws(["iam", "create-role", "--role-name", "after", "--assume-role-policy-document", Self.trust]).succeeded)
        // A trust policy without a principal, which IAM refuses.
        let broken = exported.replacingOccurrences(of: #"\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"#, with: "")
        #expect(broken != exported)
        let file = Self.scratch().appendingPathExtension("json")
        defer { try? FileManager.default.removeItem(at: file) }
        try broken.write(to: file, atomically: true, encoding: .utf8)

        let result = try Self.gatehouse(["state", "import", file.path, "--endpoint", server.endpoint])
        #expect(result.status == 1)
        #expect(result.stderr.contains("iam.roles[0] (line "), "\(result.stderr)")
        #expect(result.stderr.contains("is not a policy IAM accepts"), "\(result.stderr)")
        #expect(try server.aws(["iam", "get-role", "--role-name", "after"]).succeeded)

        // Even a good snapshot may not go into a running server's data directory.
        try exported.write(to: file, atomically: true, encoding: .utf8)
        let direct = try Self.gatehouse(["state", "import", file.path, "--data-dir", server.dataDirectory.path])
        #expect(direct.status == 1)
        #expect(direct.stderr.contains("--endpoint"), "\(direct.stderr)")
    }

    @Test("gc collects a blob nothing references, and refuses a data directory a server holds")
    func gc() throws {
        let layout = Self.scratch()
        defer { try? FileManager.default.removeItem(at: layout) }
        let bytes = Array("orphan \(UUID().uuidString)".utf8)
        let hex = Hex.encode(SHA256.hash(bytes))
        try FileManager.default.createDirectory(at: layout.appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
        try Data(bytes).write(to: layout.appendingPathComponent("blobs/sha256/\(hex)"))
        try Data(#"{"format":"gatehouse-state/1","accounts":[],"ecr":{"blobs":[{"digest":"sha256:\#(hex)","size":\#(bytes.count),"createdAt":1}]}}"#.utf8)
            .write(to: layout.appendingPathComponent("gatehouse-state.json"))
        let data = Self.scratch()
        defer { try? FileManager.default.removeItem(at: data) }
        let imported = try Self.gatehouse(["state", "import", layout.path, "--data-dir", data.path])
        #expect(imported.succeeded, "\(imported.stderr)")
        let blob = data.appendingPathComponent("blobs/sha256/\(hex)")
        #expect(FileManager.default.fileExists(atPath: blob.path))

        let collected = try Self.gatehouse(["gc", "--data-dir", data.path])
        #expect(collected.succeeded, "\(collected.stderr)")
        #expect(collected.stdout == "collected 0 abandoned upload(s), 0 unreferenced layer(s), 1 blob(s)\n")
        #expect(!FileManager.default.fileExists(atPath: blob.path))

        let server = try GatehouseProcess(dataDirectory: data)
        let refused = try Self.gatehouse(["gc", "--data-dir", server.dataDirectory.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("a Gatehouse server is running on"), "\(refused.stderr)")
    }
}
