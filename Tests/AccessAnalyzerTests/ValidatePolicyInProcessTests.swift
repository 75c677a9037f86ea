import AccessAnalyzer
import Foundation
import GatehouseTesting
import JSON
import Testing

/// Access Analyzer's ValidatePolicy through the service's own path (route,
/// decode, authorize, validate, encode) as a principal of a `TestWorld`.
/// Expected values: docs/research/access-analyzer.md.
@Suite struct ValidatePolicyInProcessTests {
    /// AWS CLI's validate-policy example (§3.1).
    static let cliExample = try! String(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/access-analyzer/validate-policy-cli-example.json"), encoding: .utf8)

    static func body(_ document: String, type: String = "IDENTITY_POLICY", extra: String = "") -> String {
        var w = JSONWriter()
        w.objectStart()
        w.key("policyDocument")
        w.value(document)
        w.key("policyType")
        w.value(type)
        w.objectEnd()
        let text = String(decoding: w.bytes, as: UTF8.self)
        return extra.isEmpty ? text : String(text.dropLast()) + "," + extra + "}"
    }

    static func validate(
        _ world: TestWorld, _ body: String, query: [String: String] = [:], as key: String = TestWorld.rootKey
    ) async throws -> TestWorld.Answer {
        try await world.accessAnalyzer("POST", "/policy/validation", query: query, body: body, as: key)
    }

    static func json(_ answer: TestWorld.Answer) throws -> JSONValue { try JSONParser.parse(answer.body) }

    @Test("a clean policy: 200 and {\"findings\":[]}, no nextToken")
    func clean() async throws {
        let world = try TestWorld()
        let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"#
        let answer = try await Self.validate(world, Self.body(document))
        #expect(answer.status == 200, "\(answer)")
        #expect(answer.body == #"{"findings":[]}"#)
    }

    /// Several findings: MISSING_VERSION, EMPTY_SID_VALUE, PASS_ROLE_WITH_STAR_IN_RESOURCE.
    static let manyFindings = #"{"Statement":[{"Sid":"","Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"#

    @Test("a finding in AWS's JSON: member names, path elements as {value}/{index}, span start and end (the CLI example, §3.1)")
    func cliExampleFinding() async throws {
        let world = try TestWorld()
        let answer = try await Self.validate(world, Self.body(Self.cliExample, type: "RESOURCE_POLICY"))
        #expect(answer.status == 200, "\(answer)")
        // AWS's EMPTY_SID_VALUE finding for this file, word for word (member order is the writer's).
        let expectedSid = #"{"findingDetails":"Add a value to the empty string in the Sid element.","findingType":"SUGGESTION","issueCode":"EMPTY_SID_VALUE","learnMoreLink":"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-suggestion-empty-sid-value","locations":[{"path":[{"value":"Statement"},{"index":0},{"value":"Sid"}],"span":{"start":{"line":5,"column":19,"offset":79},"end":{"line":5,"column":21,"offset":81}}}]}"#
        #expect(answer.body.contains(expectedSid), "\(answer.body)")
        #expect(try Self.json(answer)["nextToken"] == nil)
    }

    @Test("maxResults pages the findings; nextToken is opaque, absent on the last page, and bound to its request")
    func pagination() async throws {
        let world = try TestWorld()
        let body = Self.body(Self.manyFindings)
        let whole = try Self.json(try await Self.validate(world, body))
        let all = try #require(whole["findings"]?.arrayValue).compactMap { $0["issueCode"]?.stringValue }
        #expect(all.count >= 3, "\(all)")
        #expect(whole["nextToken"] == nil)
        var codes: [String] = []
        var token: String?
        var pages = 0
        repeat {
            var query = ["maxResults": "1"]
            if let token { query["nextToken"] = token }
            let answer = try await Self.validate(world, body, query: query)
            #expect(answer.status == 200, "\(answer)")
            let json = try Self.json(answer)
            let findings = try #require(json["findings"]?.arrayValue)
            #expect(findings.count == 1)
            codes += findings.compactMap { $0["issueCode"]?.stringValue }
            token = json["nextToken"]?.stringValue
            pages += 1
        } while token != nil && pages < 10
        #expect(pages == all.count)
        #expect(codes == all)

        let two = try Self.json(try await Self.validate(world, body, query: ["maxResults": "2"]))
        let next = try #require(two["nextToken"]?.stringValue)
        // The token belongs to its policy: another policy's request refuses it.
        let other = try await Self.validate(world, Self.body(Self.cliExample, type: "RESOURCE_POLICY"), query: ["nextToken": next])
        #expect(other.status == 400, "\(other)")
        #expect(other.header("x-amzn-ErrorType") == "ValidationException")
        let garbage = try await Self.validate(world, body, query: ["nextToken": "not-a-token"])
        #expect(garbage.status == 400, "\(garbage)")
        let last = try Self.json(try await Self.validate(world, body, query: ["maxResults": "100", "nextToken": next]))
        #expect(last["findings"]?.arrayValue?.count == all.count - 2)
        #expect(last["nextToken"] == nil)
    }

    @Test("a missing required member: ValidationException 400 with message, reason and fieldList, code in x-amzn-ErrorType")
    func missingMember() async throws {
        let world = try TestWorld()
        let answer = try await Self.validate(world, #"{"policyType":"IDENTITY_POLICY"}"#)
        #expect(answer.status == 400)
        #expect(answer.header("x-amzn-ErrorType") == "ValidationException")
        #expect(answer.body == #"{"message":"1 validation error detected: Value null at 'policyDocument' failed to satisfy constraint: Member must not be null","reason":"fieldValidationFailed","fieldList":[{"name":"policyDocument","message":"Member must not be null"}]}"#)
        #expect(!answer.body.contains("__type"))

        let neither = try await Self.validate(world, "")
        #expect(neither.status == 400)
        #expect(neither.errorMessage?.hasPrefix("2 validation errors detected: ") == true, "\(neither)")
    }

    @Test("unknown enum values (policyType, validatePolicyResourceType, locale) are ValidationExceptions naming the value set")
    func unknownEnums() async throws {
        let world = try TestWorld()
        let type = try await Self.validate(world, Self.body("{}", type: "USER_POLICY"))
        #expect(type.status == 400)
        #expect(type.errorMessage == "1 validation error detected: Value 'USER_POLICY' at 'policyType' failed to satisfy constraint: Member must satisfy enum value set: [IDENTITY_POLICY, RESOURCE_POLICY, SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY]")
        let resource = try await Self.validate(world, Self.body("{}", type: "RESOURCE_POLICY", extra: #""validatePolicyResourceType":"AWS::ECR::Repository""#))
        #expect(resource.status == 400)
        #expect(resource.body.contains("'validatePolicyResourceType'"), "\(resource)")
        let locale = try await Self.validate(world, Self.body("{}", extra: #""locale":"EN_US""#))
        #expect(locale.status == 400)
        #expect(locale.body.contains("'locale'"), "\(locale)")
        let english = try await Self.validate(world, Self.body("{}", extra: #""locale":"JA""#))
        #expect(english.status == 200, "\(english)")
        let page = try await Self.validate(world, Self.body("{}"), query: ["maxResults": "0"])
        #expect(page.status == 400, "\(page)")
    }

    @Test("validatePolicyResourceType with a policy type other than RESOURCE_POLICY: ValidationException InvalidInput (§1.5)")
    func resourceTypeNeedsResourcePolicy() async throws {
        let world = try TestWorld()
        let answer = try await Self.validate(world, Self.body("{}", extra: #""validatePolicyResourceType":"AWS::S3::Bucket""#))
        #expect(answer.status == 400)
        #expect(answer.header("x-amzn-ErrorType") == "ValidationException")
        #expect(answer.errorMessage == "InvalidInput")
        let allowed = try await Self.validate(world, Self.body("{}", type: "RESOURCE_POLICY", extra: #""validatePolicyResourceType":"AWS::S3::Bucket""#))
        #expect(allowed.status == 200, "\(allowed)")
    }

    @Test("a body that is not a JSON object, or a member of the wrong type: ValidationException cannotParse")
    func unreadableBody() async throws {
        let world = try TestWorld()
        for body in ["{", "[]", #"{"policyDocument":{},"policyType":"IDENTITY_POLICY"}"#] {
            let answer = try await Self.validate(world, body)
            #expect(answer.status == 400, "\(body): \(answer)")
            #expect(answer.body.contains(#""reason":"cannotParse""#), "\(body): \(answer)")
        }
    }

    @Test("a policy that is not JSON is no error: a JSON_SYNTAX_ERROR finding (§1.6)")
    func syntaxErrorFinding() async throws {
        let world = try TestWorld()
        let answer = try await Self.validate(world, Self.body("myfile.json", type: "SERVICE_CONTROL_POLICY"))
        #expect(answer.status == 200, "\(answer)")
        #expect(answer.body.contains(#""issueCode":"JSON_SYNTAX_ERROR""#), "\(answer)")
    }

    @Test("authorized as access-analyzer:ValidatePolicy on arn:aws:access-analyzer:REGION:ACCOUNT:* (§1.5)")
    func authorization() async throws {
        let world = try TestWorld()
        _ = try await world.iam("CreateUser", ["UserName": "dev"])
        let key = try #require(try await world.iam("CreateAccessKey", ["UserName": "dev"]).value("AccessKeyId"))
        let denied = try await Self.validate(world, Self.body("{}"), as: key)
        #expect(denied.status == 403, "\(denied)")
        #expect(denied.header("x-amzn-ErrorType") == "AccessDeniedException")
        #expect(denied.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: access-analyzer:ValidatePolicy on resource: arn:aws:access-analyzer:us-east-1:000000000000:* because no identity-based policy allows the access-analyzer:ValidatePolicy action")

        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"access-analyzer:ValidatePolicy","Resource":"arn:aws:access-analyzer:us-east-1:000000000000:*"}]}"#
        let put = try await world.iam("PutUserPolicy", ["UserName": "dev", "PolicyName": "validate", "PolicyDocument": policy])
        #expect(put.status == 200, "\(put)")
        let allowed = try await Self.validate(world, Self.body("{}"), as: key)
        #expect(allowed.status == 200, "\(allowed)")
        // Another region's wildcard ARN is another resource.
        let elsewhere = try await world.accessAnalyzer("POST", "/policy/validation", body: Self.body("{}"), as: key, region: "eu-west-1")
        #expect(elsewhere.status == 403, "\(elsewhere)")
    }

    @Test("the model's other operations answer NotImplementedException naming themselves; an unknown path UnknownOperationException 404")
    func otherOperations() async throws {
        let world = try TestWorld()
        let calls: [(String, String, String)] = [
            ("PUT", "/analyzer", "CreateAnalyzer"),
            ("GET", "/analyzer", "ListAnalyzers"),
            ("GET", "/analyzer/mine", "GetAnalyzer"),
            ("POST", "/analyzer/findings/statistics", "GetFindingsStatistics"),
            ("GET", "/tags/arn%3Aaws%3Aaccess-analyzer%3Aus-east-1%3A000000000000%3Aanalyzer%2Fa", "ListTagsForResource"),
        ]
        for (method, path, operation) in calls {
            let answer = try await world.accessAnalyzer(method, path, body: "{}")
            #expect(answer.status == 501, "\(operation): \(answer)")
            #expect(answer.header("x-amzn-ErrorType") == "NotImplementedException")
            #expect(answer.errorMessage == "Gatehouse does not implement Access Analyzer \(operation) yet.", "\(answer)")
        }
        for (method, path) in [("GET", "/policy/validation"), ("POST", "/policy/validate"), ("POST", "/")] {
            let answer = try await world.accessAnalyzer(method, path, body: "{}")
            #expect(answer.status == 404, "\(method) \(path): \(answer)")
            #expect(answer.header("x-amzn-ErrorType") == "UnknownOperationException")
            #expect(answer.errorMessage == "No operation matches \(method) \(path).")
        }
    }
}
