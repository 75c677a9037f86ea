import Foundation
import JSON
import Testing

/// `aws accessanalyzer …` against the built binary: REST-JSON on the same
/// port as IAM, STS and ECR (docs/research/access-analyzer.md).
@Suite("Access Analyzer, end to end")
struct AccessAnalyzerEndToEndTests {
    /// The AWS CLI's own validate-policy example (`awscli/examples/accessanalyzer/validate-policy.rst`, §3.1).
    static let cliExample = try! String(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/access-analyzer/validate-policy-cli-example.json"), encoding: .utf8)

    /// A policy file in a scratch directory, removed with it.
    final class PolicyFile {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-aa-\(UUID().uuidString)")
        let path: String

        init(_ text: String) throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let url = directory.appendingPathComponent("p.json")
            try text.write(to: url, atomically: true, encoding: .utf8)
            path = url.path
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    static func codes(_ result: GatehouseProcess.Result) -> [String] {
        result.json?["findings"]?.arrayValue?.compactMap { $0["issueCode"]?.stringValue } ?? []
    }

    static func number(_ value: JSONValue?) -> Int? {
        if case .number(let n)? = value { return Int(n.text) }
        return nil
    }

    /// Several findings for an identity policy: MISSING_VERSION, EMPTY_SID_VALUE, PASS_ROLE_WITH_STAR_IN_RESOURCE.
    static let manyFindings = #"{"Statement":[{"Sid":"","Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"#

    @Test("validate-policy answers the CLI example's three findings as AWS did, EMPTY_SID_VALUE with its type, text, link, path and span")
    func cliExample() throws {
        let server = try GatehouseProcess()
        let file = try PolicyFile(Self.cliExample)
        let result = try server.aws([
            "accessanalyzer", "validate-policy", "--policy-document", "file://\(file.path)", "--policy-type", "RESOURCE_POLICY",
        ])
        #expect(result.succeeded, "\(result.stderr)")
        let findings = try #require(result.json?["findings"]?.arrayValue)
        // awscli/examples/accessanalyzer/validate-policy.rst: AWS's answer for this file.
        #expect(findings.map { $0["issueCode"]?.stringValue } == [
            "EMPTY_SID_VALUE", "MISMATCHED_ACTION_FOR_PRINCIPAL", "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
        ])
        let sid = try #require(findings.first { $0["issueCode"]?.stringValue == "EMPTY_SID_VALUE" }, "\(result.stdout)")
        #expect(sid["findingType"]?.stringValue == "SUGGESTION")
        #expect(sid["findingDetails"]?.stringValue == "Add a value to the empty string in the Sid element.")
        #expect(
            sid["learnMoreLink"]?.stringValue
                == "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-suggestion-empty-sid-value")
        let location = try #require(sid["locations"]?.arrayValue?.first)
        #expect(location["path"] == (try JSONParser.parse(#"[{"value":"Statement"},{"index":0},{"value":"Sid"}]"#)))
        #expect([location["span"]?["start"], location["span"]?["end"]].map { span in
            [Self.number(span?["line"]), Self.number(span?["column"]), Self.number(span?["offset"])]
        } == [[5, 19, 79], [5, 21, 81]])
        #expect(result.json?["nextToken"] == nil)
    }

    @Test("the CLI pages with maxResults/nextToken (--page-size) and gets every finding; --max-items stops early")
    func pagination() throws {
        let server = try GatehouseProcess()
        let file = try PolicyFile(Self.manyFindings)
        let base = ["accessanalyzer", "validate-policy", "--policy-document", "file://\(file.path)", "--policy-type", "IDENTITY_POLICY"]
        let whole = try server.aws(base + ["--no-paginate"])
        #expect(whole.succeeded, "\(whole.stderr)")
        let all = Self.codes(whole)
        #expect(all.count >= 3, "\(whole.stdout)")
        let paged = try server.aws(base + ["--page-size", "1"])
        #expect(paged.succeeded, "\(paged.stderr)")
        #expect(Self.codes(paged) == all)
        let first = try server.aws(base + ["--max-items", "2", "--page-size", "1"])
        #expect(first.succeeded, "\(first.stderr)")
        #expect(Self.codes(first) == Array(all.prefix(2)))
        let token = try #require(first.json?["NextToken"]?.stringValue, "\(first.stdout)")
        let rest = try server.aws(base + ["--page-size", "1", "--starting-token", token])
        #expect(rest.succeeded, "\(rest.stderr)")
        #expect(Self.codes(rest) == Array(all.dropFirst(2)))
    }

    @Test("an identity policy with a resource type: ValidationException InvalidInput, as AWS answered it (§1.5)")
    func invalidInput() throws {
        let server = try GatehouseProcess()
        let file = try PolicyFile(Self.cliExample)
        let result = try server.aws([
            "accessanalyzer", "validate-policy", "--policy-document", "file://\(file.path)", "--policy-type", "IDENTITY_POLICY",
            "--validate-policy-resource-type", "AWS::S3::Bucket",
        ])
        #expect(!result.succeeded)
        #expect(result.errorCode == "ValidationException", "\(result.stderr)")
        #expect(result.stderr.contains("when calling the ValidatePolicy operation: InvalidInput"), "\(result.stderr)")
    }

    @Test("a user without access-analyzer:ValidatePolicy is denied on the account's wildcard ARN; once allowed, validates")
    func authorization() throws {
        let server = try GatehouseProcess()
        let file = try PolicyFile(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#)
        #expect(try server.aws(["iam", "create-user", "--user-name", "dev"]).succeeded)
        let key = try #require(try server.aws(["iam", "create-access-key", "--user-name", "dev"]).json?["AccessKey"])
        let id = try #require(key["AccessKeyId"]?.stringValue), secret = try #require(key["SecretAccessKey"]?.stringValue)
        let call = ["accessanalyzer", "validate-policy", "--policy-document", "file://\(file.path)", "--policy-type", "IDENTITY_POLICY"]
        let denied = try server.aws(call, accessKey: id, secret: secret)
        #expect(denied.errorCode == "AccessDeniedException", "\(denied.stderr)")
        #expect(denied.stderr.contains(
            "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: access-analyzer:ValidatePolicy on resource: arn:aws:access-analyzer:us-east-1:000000000000:* because no identity-based policy allows the access-analyzer:ValidatePolicy action"),
            "\(denied.stderr)")
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"access-analyzer:ValidatePolicy","Resource":"*"}]}"#
        #expect(try server.aws(["iam", "put-user-policy", "--user-name", "dev", "--policy-name", "aa", "--policy-document", policy]).succeeded)
        let allowed = try server.aws(call, accessKey: id, secret: secret)
        #expect(allowed.succeeded, "\(allowed.stderr)")
        #expect(allowed.json?["findings"]?.arrayValue != nil, "\(allowed.stdout)")
    }

    @Test("policy generation as the CLI drives it: a user's calls become AWS's generated policy, which allows them when attached alone")
    func policyGeneration() throws {
        let server = try GatehouseProcess()
        #expect(try server.aws(["iam", "create-user", "--user-name", "app"]).succeeded)
        let key = try #require(try server.aws(["iam", "create-access-key", "--user-name", "app"]).json?["AccessKey"])
        let id = try #require(key["AccessKeyId"]?.stringValue), secret = try #require(key["SecretAccessKey"]?.stringValue)
        let broad = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:*","iam:Get*"],"Resource":"*"}]}"#
        #expect(try server.aws(["iam", "put-user-policy", "--user-name", "app", "--policy-name", "broad", "--policy-document", broad]).succeeded)
        #expect(try server.aws(["ecr", "create-repository", "--repository-name", "web"], accessKey: id, secret: secret).succeeded)
        #expect(try server.aws(["iam", "get-user", "--user-name", "app"], accessKey: id, secret: secret).succeeded)

        // The CLI example's request (start-policy-generation.rst), this account's.
        let trail = try PolicyFile(#"{"accessRole":"arn:aws:iam::000000000000:role/service-role/AccessAnalyzerMonitorServiceRole","startTime":"2024-02-13T00:30:00Z","trails":[{"allRegions":true,"cloudTrailArn":"arn:aws:cloudtrail:us-east-1:000000000000:trail/my-trail"}]}"#)
        let started = try server.aws([
            "accessanalyzer", "start-policy-generation", "--policy-generation-details", #"{"principalArn":"arn:aws:iam::000000000000:user/app"}"#,
            "--cloud-trail-details", "file://\(trail.path)",
        ])
        let jobId = try #require(started.json?["jobId"]?.stringValue, "\(started.stderr)")

        let got = try server.aws(["accessanalyzer", "get-generated-policy", "--job-id", jobId])
        #expect(got.json?["jobDetails"]?["status"]?.stringValue == "SUCCEEDED", "\(got.stdout)\(got.stderr)")
        #expect(got.json?["generatedPolicyResult"]?["properties"]?["cloudTrailProperties"]?["trailProperties"]?.arrayValue?.first?["regions"] == .array([]))
        #expect(got.json?["generatedPolicyResult"]?["generatedPolicies"]?.arrayValue?.first?["policy"]?.stringValue
            == #"{"Version":"2012-10-17","Statement":[{"Sid":"SupportedServiceSid0","Effect":"Allow","Action":["ecr:CreateRepository","iam:GetUser"],"Resource":"*"}]}"#)

        let narrowed = try server.aws(["accessanalyzer", "get-generated-policy", "--job-id", jobId, "--include-resource-placeholders"])
        let policy = try #require(narrowed.json?["generatedPolicyResult"]?["generatedPolicies"]?.arrayValue?.first?["policy"]?.stringValue)
        #expect(policy.contains("arn:aws:ecr:us-east-1:000000000000:repository/web"), "\(policy)")

        // Replayed: attached alone, the generated policy allows what the user did.
        #expect(try server.aws(["iam", "delete-user-policy", "--user-name", "app", "--policy-name", "broad"]).succeeded)
        #expect(try server.aws(["iam", "put-user-policy", "--user-name", "app", "--policy-name", "generated", "--policy-document", policy]).succeeded)
        #expect(try server.aws(["iam", "get-user", "--user-name", "app"], accessKey: id, secret: secret).succeeded)
        #expect(try server.aws(["iam", "get-user", "--user-name", "other"], accessKey: id, secret: secret).errorCode == "AccessDenied")

        let listed = try server.aws(["accessanalyzer", "list-policy-generations", "--principal-arn", "arn:aws:iam::000000000000:user/app"])
        #expect(listed.json?["policyGenerations"]?.arrayValue?.compactMap { $0["jobId"]?.stringValue } == [jobId], "\(listed.stdout)")
        let cancelled = try server.aws(["accessanalyzer", "cancel-policy-generation", "--job-id", jobId])
        #expect(cancelled.succeeded && cancelled.stdout.isEmpty, "\(cancelled.stderr)")
        let unknown = try server.aws(["accessanalyzer", "get-generated-policy", "--job-id", "abc"])
        #expect(unknown.errorCode == "ValidationException", "\(unknown.stderr)")
    }

    // MARK: - Custom policy checks (§4)

    /// The CLI examples' existing policy (check-no-new-access.rst's
    /// existing-policy.json, check-access-not-granted.rst's myfile.json).
    static let existingPolicy = """
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [
                        "s3:GetObject",
                        "s3:ListBucket"
                    ],
                    "Resource": [
                        "arn:aws:s3:::amzn-s3-demo-bucket",
                        "arn:aws:s3:::amzn-s3-demo-bucket/*"
                    ]
                }
            ]
        }

        """

    @Test("check-no-new-access answers the CLI example exactly (§4.3)")
    func checkNoNewAccess() throws {
        let server = try GatehouseProcess()
        let existing = try PolicyFile(Self.existingPolicy)
        let new = try PolicyFile(Self.existingPolicy.replacingOccurrences(of: #""s3:GetObject","#, with: #""s3:GetObject", "s3:GetObjectAcl","#))
        let result = try server.aws([
            "accessanalyzer", "check-no-new-access", "--existing-policy-document", "file://\(existing.path)",
            "--new-policy-document", "file://\(new.path)", "--policy-type", "IDENTITY_POLICY",
        ])
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.json == (try JSONParser.parse(#"{"result":"FAIL","message":"The modified permissions grant new access compared to your existing policy.","reasons":[{"description":"New access in the statement with index: 0.","statementIndex":0}]}"#)), "\(result.stdout)")
    }

    @Test("check-access-not-granted answers the CLI example exactly (§4.3); a non-ARN resource is Invalid ARN (§1.5)")
    func checkAccessNotGranted() throws {
        let server = try GatehouseProcess()
        let file = try PolicyFile(Self.existingPolicy)
        let result = try server.aws([
            "accessanalyzer", "check-access-not-granted", "--policy-document", "file://\(file.path)",
            "--access", "actions=s3:DeleteBucket,s3:GetBucketLocation", "--policy-type", "IDENTITY_POLICY",
        ])
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.json == (try JSONParser.parse(#"{"result":"PASS","message":"The policy document does not grant access to perform one or more of the listed actions."}"#)), "\(result.stdout)")
        let fail = try server.aws([
            "accessanalyzer", "check-access-not-granted", "--policy-document", "file://\(file.path)",
            "--access", "actions=s3:GetObject", "--policy-type", "IDENTITY_POLICY",
        ])
        #expect(fail.json == (try JSONParser.parse(#"{"result":"FAIL","message":"The policy document grants access to perform one or more of the listed actions.","reasons":[{"description":"One or more of the listed actions in the statement with index: 0.","statementIndex":0}]}"#)), "\(fail.stdout)\(fail.stderr)")
        let invalid = try server.aws([
            "accessanalyzer", "check-access-not-granted", "--policy-document", "file://\(file.path)",
            "--access", "actions=s3:GetObject,resources=example", "--policy-type", "IDENTITY_POLICY",
        ])
        #expect(invalid.errorCode == "ValidationException", "\(invalid.stderr)")
        #expect(invalid.stderr.contains("when calling the CheckAccessNotGranted operation: Invalid ARN"), "\(invalid.stderr)")
    }

    @Test("check-no-public-access answers the CLI example (PASS) and the SDK example (FAIL, sid form) exactly (§4.3); ECR is refused")
    func checkNoPublicAccess() throws {
        let server = try GatehouseProcess()
        let john = try PolicyFile(#"{"Version":"2012-10-17","Statement":[{"Sid":"CheckNoPublicAccess","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/JohnDoe"},"Action":["s3:GetObject"]}]}"#)
        let pass = try server.aws(["accessanalyzer", "check-no-public-access", "--policy-document", "file://\(john.path)", "--resource-type", "AWS::S3::Bucket"])
        #expect(pass.succeeded, "\(pass.stderr)")
        #expect(pass.json == (try JSONParser.parse(#"{"result":"PASS","message":"The resource policy does not grant public access for the given resource type."}"#)), "\(pass.stdout)")
        let bob = try PolicyFile(#"{"Version":"2012-10-17","Statement":[{"Sid":"Bob","Effect":"Allow","Principal":"*","Action":["s3:GetObject"]}]}"#)
        let fail = try server.aws(["accessanalyzer", "check-no-public-access", "--policy-document", "file://\(bob.path)", "--resource-type", "AWS::S3::Bucket"])
        #expect(fail.succeeded, "\(fail.stderr)")
        // The CLI prints a reason's members in the model's order (description, statementIndex, statementId), and the comparison is ordered.
        #expect(fail.json == (try JSONParser.parse(#"{"result":"FAIL","message":"The resource policy grants public access for the given resource type.","reasons":[{"description":"Public access granted in the following statement with sid: Bob.","statementIndex":0,"statementId":"Bob"}]}"#)), "\(fail.stdout)")
        let ecr = try server.aws(["accessanalyzer", "check-no-public-access", "--policy-document", "file://\(bob.path)", "--resource-type", "AWS::ECR::Repository"])
        #expect(ecr.errorCode == "ValidationException", "\(ecr.stderr)")
    }
}
