import Foundation
import Testing

/// The attacks of the security review, replayed against the real binary with
/// hand-made requests (Fixtures/attacks.py) and the real `aws` CLI: each is
/// refused the way AWS refuses it, and changes nothing.
@Suite("Security: what an attacker tried, end to end")
struct SecurityEndToEndTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/attacks.py").path

    func attack(_ server: GatehouseProcess, _ arguments: String...) throws -> [String] {
        let result = try GatehouseProcess.run(
            "python3", [Self.script, server.endpoint] + arguments, environment: ProcessInfo.processInfo.environment)
        guard result.succeeded else { throw SetupFailure(description: result.stderr) }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test("a signed request replayed with X-Amz-Content-Sha256 of its body and another body is SignatureDoesNotMatch, and nothing is created")
    func bodySwap() throws {
        let server = try GatehouseProcess()
        #expect(try server.aws(["iam", "create-user", "--user-name", "victim"]).succeeded)
        let answer = try attack(server, "swap-body")
        #expect(answer.first == "403", "\(answer)")
        #expect(answer.last?.contains("<Code>SignatureDoesNotMatch</Code>") == true, "\(answer)")
        let keys = try server.aws(["iam", "list-access-keys", "--user-name", "victim"])
        #expect(keys.json?["AccessKeyMetadata"]?.arrayValue?.isEmpty == true, "\(keys.stdout)")
    }

    @Test("a presigned URL's X-Amz-Expires is whole seconds up to a week, refused otherwise with AWS's message")
    func presignedLifetime() throws {
        let server = try GatehouseProcess()
        #expect(try attack(server, "presign", "60").first == "200")
        let cases = [
            ("604801", "X-Amz-Expires must be less than a week (in seconds) that is 604800"),
            ("soon", "X-Amz-Expires should be a number"),
            ("-1", "X-Amz-Expires must be non-negative"),
        ]
        for (expires, message) in cases {
            let answer = try attack(server, "presign", expires)
            #expect(answer.first == "400", "\(expires): \(answer)")
            #expect(answer.last?.contains("<Message>\(message)</Message>") == true, "\(expires): \(answer)")
        }
    }

    @Test("a credential scope naming a region AWS does not have is refused by IAM and ECR; a real region is fine")
    func regions() throws {
        let server = try GatehouseProcess()
        let iam = try server.aws(["iam", "list-users"], region: "zz-fake-9")
        #expect(iam.errorCode == "SignatureDoesNotMatch", "\(iam.stderr)")
        #expect(iam.stderr.contains("Credential should be scoped to a valid region, not 'zz-fake-9'."), "\(iam.stderr)")
        let ecr = try server.aws(["ecr", "create-repository", "--repository-name", "app"], region: "zz-fake-9")
        #expect(ecr.errorCode == "InvalidSignatureException", "\(ecr.stderr)")
        let repositories = try server.aws(["ecr", "describe-repositories"])
        #expect(repositories.json?["repositories"]?.arrayValue?.isEmpty == true, "\(repositories.stdout)")
        // A client given a custom endpoint signs IAM with its configured region.
        #expect(try server.aws(["iam", "list-users"], region: "eu-west-1").succeeded)
    }

    @Test("a body larger than the service reads is a 413 in the protocol's error form, decided before it is read")
    func oversizedBodies() throws {
        let server = try GatehouseProcess()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-big-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(count: 60 << 20).write(to: file)
        let unsigned = try server.curl(["-X", "POST", "-H", "Content-Type: application/x-www-form-urlencoded", "--data-binary", "@\(file.path)", server.endpoint + "/"])
        #expect(unsigned.status == 413, "\(unsigned.body.prefix(300))")
        #expect(unsigned.body.contains("<Code>RequestEntityTooLarge</Code>"), "\(unsigned.body.prefix(300))")
        let json = try server.curl([
            "-X", "POST", "-H", "Content-Type: application/x-amz-json-1.1", "-H", "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.UploadLayerPart",
            "--data-binary", "@\(file.path)", server.endpoint + "/",
        ])
        #expect(json.status == 413)
        #expect(json.body.contains("\"__type\":\"RequestEntityTooLargeException\""), "\(json.body.prefix(300))")
        let chunked = try attack(server, "chunked-unsigned", "\(2 << 20)")
        #expect(chunked.first == "413", "\(chunked)")
        // Still serving.
        #expect(try server.aws(["sts", "get-caller-identity"]).succeeded)
    }

    @Test("requests during resets see the world before or after, never a missing key or an internal error")
    func resetIsOneTransaction() throws {
        let server = try GatehouseProcess()
        let answer = try attack(server, "reset-race", "300")
        #expect(answer == ["done"], "\(answer.prefix(5))")
    }

    @Test("a connection that stops sending half-way through a request head is closed after the read timeout")
    func stalledHead() throws {
        let server = try GatehouseProcess(arguments: ["--read-timeout", "2"])
        let answer = try attack(server, "stall-head")
        let parts = answer.first?.split(separator: " ") ?? []
        #expect(parts.first == "closed", "\(answer)")
        #expect((parts.last.flatMap { Int($0) } ?? 99) < 30, "\(answer)")
        #expect(try server.aws(["sts", "get-caller-identity"]).succeeded)
    }

    @Test("SIGTERM ends the server while a client holds a half-sent body open")
    func shutdownWithStalledBody() throws {
        let server = try GatehouseProcess()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import socket, sys, time
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.sendall(b"POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\nContent-Length: 1000\\r\\n\\r\\nAction=")
            print("holding", flush=True)
            time.sleep(120)
            """, "\(server.port)"]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer { holder.terminate() }
        #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("holding"))
        usleep(300_000)
        kill(server.process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(40)
        while server.process.isRunning && Date() < deadline { usleep(100_000) }
        #expect(!server.process.isRunning, "the server was still running 40 s after SIGTERM")
    }
}
