import Foundation
import JSON
import Testing

/// The foundation, driven as a user drives it: the real aws CLI against the built binary.
@Suite("Foundation, end to end")
struct FoundationEndToEndTests {
    @Test("get-caller-identity with the seeded root key prints the root user of the default account")
    func rootIdentity() throws {
        let server = try GatehouseProcess()
        let result = try server.aws(["sts", "get-caller-identity"])
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.json?["Arn"]?.stringValue == "arn:aws:iam::000000000000:root")
        #expect(result.json?["Account"]?.stringValue == "000000000000")
        #expect(result.json?["UserId"]?.stringValue == "000000000000")
    }

    @Test("--account-id names the default account")
    func accountId() throws {
        let server = try GatehouseProcess(arguments: ["--account-id", "123456789012"])
        let result = try server.aws(["sts", "get-caller-identity"])
        #expect(result.json?["Arn"]?.stringValue == "arn:aws:iam::123456789012:root")
    }

    @Test("an unknown access key is refused with InvalidClientTokenId")
    func unknownKey() throws {
        let server = try GatehouseProcess()
        let result = try server.aws(["sts", "get-caller-identity"], accessKey: "AKIAIOSFODNN7EXAMPLE", secret: "x")
        #expect(result.errorCode == "InvalidClientTokenId", "\(result.stderr)")
    }

    @Test("--accept-unknown-keys maps unknown keys to the default root")
    func acceptUnknownKeys() throws {
        let server = try GatehouseProcess(arguments: ["--accept-unknown-keys"])
        let result = try server.aws(["sts", "get-caller-identity"], accessKey: "AKIAIOSFODNN7EXAMPLE", secret: "x")
        #expect(result.json?["Arn"]?.stringValue == "arn:aws:iam::000000000000:root", "\(result.stderr)")
    }

    @Test("a wrong secret is SignatureDoesNotMatch on IAM/STS and InvalidSignatureException on ECR")
    func wrongSecret() throws {
        let server = try GatehouseProcess()
        #expect(try server.aws(["sts", "get-caller-identity"], secret: "wrong").errorCode == "SignatureDoesNotMatch")
        #expect(try server.aws(["ecr", "describe-repositories"], secret: "wrong").errorCode == "InvalidSignatureException")
    }

    @Test("an unsigned request is refused with MissingAuthenticationToken and 403")
    func unsigned() throws {
        let server = try GatehouseProcess()
        #expect(try server.aws(["iam", "list-users", "--no-sign-request"]).errorCode == "MissingAuthenticationToken")
        let raw = try server.curl(["-X", "POST", server.endpoint + "/", "-d", "Action=ListRoles&Version=2010-05-08"])
        #expect(raw.status == 403)
        #expect(raw.body.contains("<Code>MissingAuthenticationToken</Code>"))
    }

    @Test("health answers 200 with status, version and services")
    func health() throws {
        let server = try GatehouseProcess()
        let response = try server.curl([server.endpoint + "/_gatehouse/health"])
        #expect(response.status == 200)
        let json = try JSONParser.parse(response.body)
        #expect(json["status"]?.stringValue == "ok")
        #expect(json["version"]?.stringValue != nil)
        #expect(json["services"]?["iam"]?["operations"] == .number(JSONNumber(176)))
        #expect(json["services"]?["sts"]?["operations"] == .number(JSONNumber(11)))
        #expect(json["services"]?["ecr"]?["operations"] == .number(JSONNumber(58)))
    }

    @Test("reset from loopback answers 200")
    func reset() throws {
        let server = try GatehouseProcess()
        let response = try server.curl(["-X", "POST", server.endpoint + "/_gatehouse/reset"])
        #expect(response.status == 200)
    }

    @Test("background work turned off (interval 0) leaves the server serving")
    func backgroundWorkOff() throws {
        let server = try GatehouseProcess(arguments: ["--gc-interval", "0", "--lifecycle-interval", "0"])
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try server.aws(["sts", "get-caller-identity"]).succeeded)
        #expect(server.process.isRunning)
    }

    @Test("SIGTERM shuts the server down cleanly")
    func gracefulShutdown() throws {
        let server = try GatehouseProcess()
        server.stop(signal: SIGTERM)
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
    }

    /// Regression: async transactions (the SQLite library Storage used before
    /// its own layer) held a connection across a hop to the cooperative pool,
    /// whose two threads were blocked waiting for one; eight concurrent
    /// GetRole calls hung the server for good.
    @Test("many concurrent signed requests are all answered")
    func concurrentRequests() throws {
        let server = try GatehouseProcess()
        let created = try server.aws([
            "iam", "create-role", "--role-name", "busy",
            "--assume-role-policy-document", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        ])
        #expect(created.succeeded, "\(created.stderr)")
        let url = server.endpoint + "/?Action=GetRole&RoleName=busy&Version=2010-05-08"
        let perRequest = (0..<64).flatMap { _ in [url, "-o", "/dev/null"] }
        let result = try GatehouseProcess.run(
            "curl",
            ["-s", "--parallel", "--parallel-max", "32", "--max-time", "30", "--aws-sigv4", "aws:amz:us-east-1:iam", "--user", "test:test",
             "-w", "%{http_code}\n"] + perRequest,
            environment: ProcessInfo.processInfo.environment)
        let statuses = result.stdout.split(separator: "\n").map(String.init)
        #expect(statuses.count == 64)
        #expect(statuses.allSatisfy { $0 == "200" }, "\(statuses)")
    }
}
