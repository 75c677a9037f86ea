import Foundation
import JSON
import Synchronization
import Testing

/// `gatehouse policy validate`, `policy eval` and `decisions`, run as the
/// built binary.
@Suite("Policy commands, end to end")
struct PolicyCommandEndToEndTests {
    /// A scratch directory of policy files.
    final class Files {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-policy-\(UUID().uuidString)")

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        func write(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    static func gatehouse(_ arguments: [String], environment: [String: String] = [:]) throws -> GatehouseProcess.Result {
        var merged = ProcessInfo.processInfo.environment
        for key in merged.keys where key.hasPrefix("GATEHOUSE_") || key.hasPrefix("AWS_") { merged[key] = nil }
        merged.merge(environment) { _, new in new }
        return try GatehouseProcess.run(GatehouseProcess.binary.path, arguments, environment: merged)
    }

    static let s3Read = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "ReadReports",
              "Effect": "Allow",
              "Action": ["s3:GetObject", "s3:ListBucket"],
              "Resource": "*"
            }
          ]
        }
        """

    // MARK: validate

    @Test("validate says ok for a good file and exits 0")
    func validateGood() throws {
        let files = try Files()
        let path = try files.write("good.json", Self.s3Read)
        let result = try Self.gatehouse(["policy", "validate", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(path): ok\n")
    }

    @Test("validate reports, where each appears, actions no AWS service defines: Access Analyzer's errors, so exit 1")
    func validateUnknownActions() throws {
        let files = try Files()
        let path = try files.write("typo.json", """
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["ecr:DescribeImage", "ecr:Describe*"], "Resource": "*"},
                {"Effect": "Allow", "Action": "ecx:GetObject", "Resource": "*"}
              ]
            }
            """)
        let result = try Self.gatehouse(["policy", "validate", path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout == "")
        #expect(result.stderr == """
            \(path):4:36: error: The action ecr:DescribeImage does not exist. [INVALID_ACTION]
            \(path):5:35: error: The service ecx:GetObject specified in the action does not exist. [INVALID_SERVICE_IN_ACTION]

            """)
    }

    @Test("validate: security warnings fail only with --strict; --json gives ValidatePolicy's findings as AWS writes them")
    func validateStrict() throws {
        let files = try Files()
        let path = try files.write("broad.json", """
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["ecr:*", "iam:PassRole"], "Resource": "*"}
              ]
            }
            """)
        let relaxed = try Self.gatehouse(["policy", "validate", path])
        #expect(relaxed.status == 0, "\(relaxed.stderr)")
        #expect(relaxed.stdout == "\(path): ok\n")
        #expect(relaxed.stderr.hasPrefix("\(path):4:45: security warning: Using the iam:PassRole action with wildcards (*) in the resource"))
        #expect(relaxed.stderr.hasSuffix(" [PASS_ROLE_WITH_STAR_IN_RESOURCE]\n"))
        #expect(try Self.gatehouse(["policy", "validate", "--strict", path]).status == 1)

        let json = try Self.gatehouse(["policy", "validate", "--json", path])
        let finding = json.json?["findings"]?.arrayValue?.first
        #expect(json.json?["valid"] == .bool(true))
        #expect(finding?["issueCode"]?.stringValue == "PASS_ROLE_WITH_STAR_IN_RESOURCE")
        #expect(finding?["findingType"]?.stringValue == "SECURITY_WARNING")
        let span = finding?["locations"]?.arrayValue?.first?["span"]
        #expect(span?["start"]?["column"] == .number(JSONNumber(44)))
        #expect(span?["end"]?["offset"] == .number(JSONNumber(104)))
    }

    @Test("validate reports IAM's message at the statement's line and column, and exits 1")
    func validateBad() throws {
        let files = try Files()
        let good = try files.write("good.json", Self.s3Read)
        let bad = try files.write("bad.json", """
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:GetObject"}
              ]
            }
            """)
        let result = try Self.gatehouse(["policy", "validate", good, bad])
        #expect(result.status == 1)
        #expect(result.stdout == "\(good): ok\n")
        #expect(result.stderr == """
            \(bad):5:5: error: Policy statement must contain resources. [MalformedPolicyDocument]
            \(bad):5:5: error: Add a Resource or NotResource element to the policy statement. [MISSING_RESOURCE]

            """)

        let json = try Self.gatehouse(["policy", "validate", "--json", bad])
        #expect(json.status == 1)
        #expect(json.json?["iam"]?["line"] == .number(JSONNumber(5)))
        #expect(json.json?["iam"]?["message"]?.stringValue == "Policy statement must contain resources.")
        #expect(json.json?["findings"]?.arrayValue?.first?["issueCode"]?.stringValue == "MISSING_RESOURCE")
    }

    @Test("validate points a JSON error at its character; a trust policy words it as CreateRole does")
    func validateSyntax() throws {
        let files = try Files()
        let path = try files.write("broken.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [}\n}\n")
        let identity = try Self.gatehouse(["policy", "validate", path])
        #expect(identity.status == 1)
        #expect(identity.stderr == """
            \(path):3:17: error: Syntax errors in policy. [MalformedPolicyDocument]
            \(path):3:17: error: Fix the JSON syntax error at index 45 line 3 column 16. [JSON_SYNTAX_ERROR]

            """)
        let trust = try Self.gatehouse(["policy", "validate", "--kind", "trust", path])
        #expect(trust.stderr.hasPrefix("\(path):3:17: error: This policy contains invalid Json [MalformedPolicyDocument]\n"))
    }

    @Test("validate applies CreatePolicy's Version rule unless --inline, and trust rules with --kind trust")
    func validateKinds() throws {
        let files = try Files()
        let old = try files.write("old.json", #"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#)
        #expect(try Self.gatehouse(["policy", "validate", old]).stderr
            == "\(old):1:1: error: Policy document must be version 2012-10-17 or greater. [MalformedPolicyDocument]\n")
        #expect(try Self.gatehouse(["policy", "validate", "--inline", old]).status == 0)
        let trust = try files.write("trust.json", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
        #expect(try Self.gatehouse(["policy", "validate", "--kind", "trust", trust]).status == 0)
        let identity = try Self.gatehouse(["policy", "validate", trust])
        #expect(identity.stderr.hasPrefix("\(trust):1:38: error: Policy document should not specify a principal. [MalformedPolicyDocument]\n"))
        #expect(identity.stderr.contains("error: The policy type IDENTITY_POLICY does not support the Principal element. Remove the Principal element. [UNSUPPORTED_PRINCIPAL]"))
    }

    // MARK: eval

    @Test("eval allows what a policy allows, naming the statement, and exits 0")
    func evalAllowed() throws {
        let files = try Files()
        let policy = try files.write("read.json", Self.s3Read)
        let result = try Self.gatehouse(["policy", "eval", "--policy", policy, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::reports/a.csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("allowed\n"), "\(result.stdout)")
        #expect(result.stdout.contains("Allow statement \"ReadReports\" (index 0) in \(policy):4:5 (identity-based policy)"), "\(result.stdout)")
    }

    @Test("eval: a boundary that does not allow the action denies implicitly, exit 1")
    func evalBoundary() throws {
        let files = try Files()
        let policy = try files.write("read.json", Self.s3Read)
        let boundary = try files.write("boundary.json", #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}"#)
        let result = try Self.gatehouse([
            "policy", "eval", "--policy", policy, "--boundary", boundary, "--action", "s3:GetObject",
            "--resource", "arn:aws:s3:::reports/a.csv", "--json",
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let json = try #require(result.json)
        #expect(json["decision"]?.stringValue == "implicitDeny")
        #expect(json["reason"]?.stringValue == "because no permissions boundary allows the s3:GetObject action")
        #expect(json["policyType"]?.stringValue == "permissions boundary")
    }

    @Test("eval: a deny whose context condition holds is an explicit deny naming file and Sid; otherwise allowed")
    func evalExplicitDenyWithContext() throws {
        let files = try Files()
        let policy = try files.write("read.json", Self.s3Read)
        let deny = try files.write("deny.json", """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"OfficeOnly","Effect":"Deny","Action":"s3:*","Resource":"*",
               "Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}}]}
            """)
        let base = ["policy", "eval", "--policy", policy, "--policy", deny, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::reports/a.csv"]
        let outside = try Self.gatehouse(base + ["--context", "aws:SourceIp=203.0.113.7", "--json"])
        #expect(outside.status == 1, "\(outside.stderr)")
        let json = try #require(outside.json)
        #expect(json["decision"]?.stringValue == "explicitDeny")
        #expect(json["statements"] == .array([.object(JSONObject([
            ("file", .string(deny)), ("policyType", .string("identity-based policy")), ("effect", .string("Deny")),
            ("sid", .string("OfficeOnly")), ("index", .number(JSONNumber(0))), ("line", .number(JSONNumber(2))),
            ("column", .number(JSONNumber(3))),
        ]))]))
        let human = try Self.gatehouse(base + ["--context", "aws:SourceIp=203.0.113.7"])
        #expect(human.stdout.hasPrefix("explicitDeny: with an explicit deny in an identity-based policy\n"), "\(human.stdout)")

        let inside = try Self.gatehouse(base + ["--context", "aws:SourceIp=10.1.2.3"])
        #expect(inside.status == 0, "\(inside.stdout) \(inside.stderr)")
    }

    @Test("eval exits 2 on an invalid policy file or a malformed context entry")
    func evalUsageErrors() throws {
        let files = try Files()
        let bad = try files.write("bad.json", #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3GetObject","Resource":"*"}}"#)
        let invalid = try Self.gatehouse(["policy", "eval", "--policy", bad, "--action", "s3:GetObject"])
        #expect(invalid.status == 2)
        #expect(invalid.stderr == "\(bad):1:37: error: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.\n")
        let good = try files.write("good.json", Self.s3Read)
        let context = try Self.gatehouse(["policy", "eval", "--policy", good, "--action", "s3:GetObject", "--context", "aws:SourceIp"])
        #expect(context.status == 2)
    }

    // MARK: decisions

    /// A user allowed only sts:GetCallerIdentity, with an access key.
    static func limitedUser(_ server: GatehouseProcess) throws -> (arn: String, key: String, secret: String) {
        let user = try server.aws(["iam", "create-user", "--user-name", "limited"])
        let arn = try #require(user.json?["User"]?["Arn"]?.stringValue, "\(user.stderr)")
        let put = try server.aws([
            "iam", "put-user-policy", "--user-name", "limited", "--policy-name", "who",
            "--policy-document", #"{"Version":"2012-10-17","Statement":[{"Sid":"WhoAmI","Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]}"#,
        ])
        #expect(put.succeeded, "\(put.stderr)")
        let key = try server.aws(["iam", "create-access-key", "--user-name", "limited"])
        let id = try #require(key.json?["AccessKey"]?["AccessKeyId"]?.stringValue, "\(key.stderr)")
        let secret = try #require(key.json?["AccessKey"]?["SecretAccessKey"]?.stringValue)
        return (arn, id, secret)
    }

    @Test("decisions --denied shows a refused aws CLI call and why")
    func decisionsDenied() throws {
        let server = try GatehouseProcess()
        let user = try Self.limitedUser(server)
        let refused = try server.aws(["iam", "list-users"], accessKey: user.key, secret: user.secret)
        #expect(refused.errorCode == "AccessDenied")

        let result = try Self.gatehouse(["decisions", "--denied", "--endpoint", server.endpoint])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stdout)")
        let line = String(lines.first ?? "")
        #expect(line.contains(" DENY  \(user.arn) iam:ListUsers on "), "\(line)")
        #expect(line.contains("implicitDeny because no identity-based policy allows the iam:ListUsers action"), "\(line)")
        #expect(!line.contains("\u{1B}["), "no colour when stdout is not a terminal")

        let json = try Self.gatehouse(["decisions", "--json", "--principal", user.arn], environment: ["GATEHOUSE_ENDPOINT": server.endpoint])
        let entries = json.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(entries.map { $0["action"]?.stringValue } == ["iam:ListUsers"], "\(json.stdout)")
        #expect(entries.first?["outcome"]?.stringValue == "implicitDeny")
        #expect(entries.first?["principal"]?.stringValue == user.arn)
        #expect(entries.first?["sequence"] != nil)
    }

    // MARK: generate

    @Test("the hermetic CI story: calls made under --enforce audit, policy generate, validate --strict, then the policy attached alone allows them all")
    func generateFromAuditedCalls() throws {
        let files = try Files()
        let log = files.directory.appendingPathComponent("decisions.jsonl").path
        let server = try GatehouseProcess(arguments: ["--enforce", "audit", "--decision-log", log])
        let user = try Self.limitedUser(server)
        #expect(try server.aws(["ecr", "create-repository", "--repository-name", "app"]).succeeded)
        // The application's calls, refused by its policy but let through by audit mode.
        let calls: [[String]] = [
            ["ecr", "describe-repositories", "--repository-names", "app"],
            ["ecr", "get-authorization-token"],
            ["iam", "list-users"],
        ]
        for call in calls {
            let result = try server.aws(call, accessKey: user.key, secret: user.secret)
            #expect(result.succeeded, "\(call): \(result.stderr)")
        }

        let generated = try Self.gatehouse(["policy", "generate", "--principal", user.arn, "--log", log])
        #expect(generated.status == 0, "\(generated.stderr)")
        let policy = try #require(generated.json, "\(generated.stdout)")
        var resources: [String: String] = [:]
        for statement in policy["Statement"]?.arrayValue ?? [] {
            if let action = statement["Action"]?.stringValue { resources[action] = statement["Resource"]?.stringValue }
        }
        #expect(resources.keys.sorted() == ["ecr:DescribeRepositories", "ecr:GetAuthorizationToken", "iam:ListUsers"], "\(generated.stdout)")
        #expect(resources["ecr:DescribeRepositories"] == "arn:aws:ecr:us-east-1:000000000000:repository/app")
        #expect(resources["ecr:GetAuthorizationToken"] == "*")
        #expect(generated.stderr.contains("covers a refused call: iam:ListUsers on "), "\(generated.stderr)")
        // The running server answers the same from the decisions it keeps (/_gatehouse/policy-generation).
        let fromServer = try Self.gatehouse(["policy", "generate", "--principal", user.arn, "--endpoint", server.endpoint])
        #expect(fromServer.status == 0, "\(fromServer.stderr)")
        #expect(fromServer.stdout == generated.stdout)
        let nobody = try Self.gatehouse(["policy", "generate", "--principal", "arn:aws:iam::000000000000:user/nobody", "--endpoint", server.endpoint])
        #expect(nobody.status == 1)
        #expect(nobody.stderr.contains("made no call to allow"), "\(nobody.stderr)")
        let path = try files.write("generated.json", generated.stdout)
        let validated = try Self.gatehouse(["policy", "validate", "--strict", path])
        #expect(validated.status == 0, "\(validated.stderr)")

        // Replayed against the server itself, enforcing: the generated policy alone allows every call.
        let enforcing = try GatehouseProcess()
        let replayUser = try Self.limitedUser(enforcing)
        #expect(try enforcing.aws(["ecr", "create-repository", "--repository-name", "app"]).succeeded)
        let attach = try enforcing.aws([
            "iam", "put-user-policy", "--user-name", "limited", "--policy-name", "generated", "--policy-document", "file://" + path,
        ])
        #expect(attach.succeeded, "\(attach.stderr)")
        for call in calls {
            let result = try enforcing.aws(call, accessKey: replayUser.key, secret: replayUser.secret)
            #expect(result.succeeded, "\(call): \(result.stderr)")
        }
        let other = try enforcing.aws(["iam", "list-roles"], accessKey: replayUser.key, secret: replayUser.secret)
        #expect(other.errorCode == "AccessDenied")
    }

    @Test("generate for a principal that made no call exits 1")
    func generateNothing() throws {
        let files = try Files()
        let log = try files.write("empty.jsonl", "")
        let result = try Self.gatehouse(["policy", "generate", "--principal", "arn:aws:iam::000000000000:user/nobody", "--log", log])
        #expect(result.status == 1)
        #expect(result.stderr.contains("made no call to allow"))
    }

    @Test("decisions with an unreachable server exits 2")
    func decisionsUnreachable() throws {
        let result = try Self.gatehouse(["decisions", "--endpoint", "http://127.0.0.1:1"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: cannot reach http://127.0.0.1:1"), "\(result.stderr)")
    }

    @Test("decisions --follow prints decisions made after it started, once each")
    func decisionsFollow() throws {
        let server = try GatehouseProcess()
        let user = try Self.limitedUser(server)
        _ = try server.aws(["iam", "list-users"], accessKey: user.key, secret: user.secret)

        let follower = Process()
        follower.executableURL = GatehouseProcess.binary
        follower.arguments = ["decisions", "--follow", "--denied", "--interval", "0.2", "--endpoint", server.endpoint]
        let output = Pipe()
        follower.standardOutput = output
        follower.standardError = FileHandle.nullDevice
        let received = Mutex("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            received.withLock { $0 += chunk }
        }
        try follower.run()
        defer {
            output.fileHandleForReading.readabilityHandler = nil
            if follower.isRunning { kill(follower.processIdentifier, SIGTERM) }
            follower.waitUntilExit()
        }
        func lines(containing text: String, count: Int) -> [Substring] {
            let deadline = Date().addingTimeInterval(20)
            while true {
                let found = received.withLock { $0 }.split(separator: "\n").filter { $0.contains(text) }
                if found.count >= count || Date() > deadline { return found }
                usleep(50_000)
            }
        }
        #expect(lines(containing: "iam:ListUsers", count: 1).count == 1, "the decision made before it started")

        _ = try server.aws(["iam", "list-roles"], accessKey: user.key, secret: user.secret)
        #expect(lines(containing: "iam:ListRoles", count: 1).count == 1, "\(received.withLock { $0 })")
        usleep(600_000)
        let all = received.withLock { $0 }.split(separator: "\n")
        #expect(all.count == 2, "each decision once: \(all)")
        #expect(all.allSatisfy { $0.contains(" DENY  ") })
    }
}
