import AccessAnalyzer
import GatehouseTesting
import JSON
import Testing

/// StartPolicyGeneration, GetGeneratedPolicy, ListPolicyGenerations and
/// CancelPolicyGeneration through the service's own path, with the world's
/// decision log as the trail (docs/research/access-analyzer.md §5).
@Suite struct PolicyGenerationInProcessTests {
    /// A user `app` with a key, allowed to describe repositories and to read
    /// one role; it lists repositories, reads the role, and is refused GetUser.
    static func world() async throws -> (TestWorld, key: String) {
        let world = try TestWorld()
        #expect(try await world.iam("CreateUser", ["UserName": "app"]).status == 200)
        #expect(try await world.iam("CreateRole", ["RoleName": "web", "AssumeRolePolicyDocument": trust]).status == 200)
        let key = try #require(try await world.iam("CreateAccessKey", ["UserName": "app"]).value("AccessKeyId"))
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:DescribeRepositories","iam:GetRole"],"Resource":"*"}]}"#
        #expect(try await world.iam("PutUserPolicy", ["UserName": "app", "PolicyName": "p", "PolicyDocument": policy]).status == 200)
        #expect(try await world.ecr("DescribeRepositories", as: key).status == 200)
        #expect(try await world.iam("GetRole", ["RoleName": "web"], as: key).status == 200)
        #expect(try await world.iam("GetUser", ["UserName": "app"], as: key).status == 403)
        return (world, key)
    }

    static let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
    static let app = "arn:aws:iam::000000000000:user/app"

    static func start(_ world: TestWorld, _ body: String) async throws -> String {
        let answer = try await world.accessAnalyzer("PUT", "/policy/generation", body: body)
        #expect(answer.status == 200, "\(answer)")
        return try #require(try JSONParser.parse(answer.body)["jobId"]?.stringValue, "\(answer)")
    }

    static func json(_ answer: TestWorld.Answer) throws -> JSONValue { try JSONParser.parse(answer.body) }

    /// The statements of the generated policy's one document.
    static func statements(_ answer: TestWorld.Answer) throws -> [JSONValue] {
        let policies = try #require(try json(answer)["generatedPolicyResult"]?["generatedPolicies"]?.arrayValue, "\(answer)")
        #expect(policies.count == 1)
        let text = try #require(policies.first?["policy"]?.stringValue)
        return try #require(try JSONParser.parse(text)["Statement"]?.arrayValue)
    }

    @Test("a job completes as it starts: SUCCEEDED, AWS's form (one SupportedServiceSid0 on *), the refused call included")
    func startAndGet() async throws {
        let (world, _) = try await Self.world()
        let jobId = try await Self.start(world, #"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"}}"#)
        #expect(jobId.count == 36 && jobId == jobId.lowercased(), "a lower-case UUID, as AWS's: \(jobId)")
        let answer = try await world.accessAnalyzer("GET", "/policy/generation/\(jobId)")
        #expect(answer.status == 200, "\(answer)")
        let json = try Self.json(answer)
        #expect(json["jobDetails"]?["jobId"]?.stringValue == jobId)
        #expect(json["jobDetails"]?["status"]?.stringValue == "SUCCEEDED")
        #expect(json["jobDetails"]?["startedOn"]?.stringValue == world.clock.now().iso8601)
        #expect(json["jobDetails"]?["completedOn"]?.stringValue == world.clock.now().iso8601)
        #expect(json["generatedPolicyResult"]?["properties"]?["principalArn"]?.stringValue == Self.app)
        #expect(json["generatedPolicyResult"]?["properties"]?["isComplete"] == .bool(true))
        #expect(json["generatedPolicyResult"]?["properties"]?["cloudTrailProperties"] == nil)
        let policy = try #require(json["generatedPolicyResult"]?["generatedPolicies"]?.arrayValue?.first?["policy"]?.stringValue)
        #expect(policy == #"{"Version":"2012-10-17","Statement":[{"Sid":"SupportedServiceSid0","Effect":"Allow","Action":["ecr:DescribeRepositories","iam:GetRole","iam:GetUser"],"Resource":"*"}]}"#)
    }

    @Test("includeResourcePlaceholders=true: the resources the calls used, where AWS writes ARN templates")
    func resources() async throws {
        let (world, _) = try await Self.world()
        let jobId = try await Self.start(world, #"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"}}"#)
        let answer = try await world.accessAnalyzer("GET", "/policy/generation/\(jobId)", query: ["includeResourcePlaceholders": "true"])
        let statements = try Self.statements(answer)
        let byAction = Dictionary(uniqueKeysWithValues: statements.compactMap { s -> (String, JSONValue)? in
            guard let first = s["Action"]?.stringValue ?? s["Action"]?.arrayValue?.first?.stringValue else { return nil }
            return (first, s["Resource"] ?? .null)
        })
        #expect(byAction["iam:GetRole"] == .string("arn:aws:iam::000000000000:role/web"))
        #expect(byAction["iam:GetUser"] == .string(Self.app))
        let bad = try await world.accessAnalyzer("GET", "/policy/generation/\(jobId)", query: ["includeResourcePlaceholders": "yes"])
        #expect(bad.status == 400 && bad.header("x-amzn-ErrorType") == "ValidationException", "\(bad)")
    }

    @Test("cloudTrailDetails: the window bounds the calls read; the trails come back as AWS's example shows them")
    func window() async throws {
        let (world, key) = try await Self.world()
        world.clock.advance(seconds: 3600)
        let since = world.clock.now()
        #expect(try await world.iam("GetRole", ["RoleName": "web"], as: key).status == 200)
        let details = #"{"accessRole":"arn:aws:iam::000000000000:role/service-role/AccessAnalyzerMonitorServiceRole","startTime":"\#(since.iso8601)","trails":[{"allRegions":true,"cloudTrailArn":"arn:aws:cloudtrail:us-east-1:000000000000:trail/my-trail"}]}"#
        let jobId = try await Self.start(world, #"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"},"cloudTrailDetails":\#(details)}"#)
        let answer = try await world.accessAnalyzer("GET", "/policy/generation/\(jobId)")
        let properties = try #require(try Self.json(answer)["generatedPolicyResult"]?["properties"]?["cloudTrailProperties"])
        #expect(properties["startTime"]?.stringValue == since.iso8601)
        #expect(properties["endTime"]?.stringValue == world.clock.now().iso8601, "no endTime: the job's start")
        let trail = properties["trailProperties"]?.arrayValue?.first
        #expect(trail?["cloudTrailArn"]?.stringValue == "arn:aws:cloudtrail:us-east-1:000000000000:trail/my-trail")
        #expect(trail?["regions"] == .array([]))
        #expect(trail?["allRegions"] == .bool(true))
        let statements = try Self.statements(answer)
        #expect(statements.count == 1)
        #expect(statements.first?["Action"] == .string("iam:GetRole"), "only the call inside the window")
    }

    @Test("a role's policy comes from what its sessions did; a principal that did nothing gets no policy")
    func roleAndNothing() async throws {
        let world = try TestWorld()
        let nothing = try await Self.start(world, #"{"policyGenerationDetails":{"principalArn":"arn:aws:iam::000000000000:role/idle"}}"#)
        let answer = try await world.accessAnalyzer("GET", "/policy/generation/\(nothing)")
        #expect(try Self.json(answer)["generatedPolicyResult"]?["generatedPolicies"] == .array([]), "\(answer)")
        // Another account's principal: this account's trail holds nothing of it.
        try world.addAccount("111122223333", rootKey: "OTHER")
        _ = try await world.iam("CreateUser", ["UserName": "x"], as: "OTHER")
        _ = try await world.iam("GetUser", ["UserName": "x"], as: "OTHER")
        let other = try await Self.start(world, #"{"policyGenerationDetails":{"principalArn":"arn:aws:iam::111122223333:user/x"}}"#)
        let foreign = try await world.accessAnalyzer("GET", "/policy/generation/\(other)")
        #expect(try Self.json(foreign)["generatedPolicyResult"]?["generatedPolicies"] == .array([]), "\(foreign)")
    }

    @Test("ListPolicyGenerations: newest first, by principal, in pages; CancelPolicyGeneration answers 200 with no body")
    func listAndCancel() async throws {
        let (world, _) = try await Self.world()
        let first = try await Self.start(world, #"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"}}"#)
        world.clock.advance(seconds: 60)
        let second = try await Self.start(world, #"{"policyGenerationDetails":{"principalArn":"arn:aws:iam::000000000000:role/web"}}"#)
        let all = try Self.json(try await world.accessAnalyzer("GET", "/policy/generation"))
        #expect(all["policyGenerations"]?.arrayValue?.compactMap { $0["jobId"]?.stringValue } == [second, first])
        #expect(all["policyGenerations"]?.arrayValue?.last?["principalArn"]?.stringValue == Self.app)
        #expect(all["policyGenerations"]?.arrayValue?.last?["status"]?.stringValue == "SUCCEEDED")
        #expect(all["nextToken"] == nil)

        let mine = try Self.json(try await world.accessAnalyzer("GET", "/policy/generation", query: ["principalArn": Self.app]))
        #expect(mine["policyGenerations"]?.arrayValue?.compactMap { $0["jobId"]?.stringValue } == [first])

        let page1 = try Self.json(try await world.accessAnalyzer("GET", "/policy/generation", query: ["maxResults": "1"]))
        #expect(page1["policyGenerations"]?.arrayValue?.compactMap { $0["jobId"]?.stringValue } == [second])
        let token = try #require(page1["nextToken"]?.stringValue)
        let page2 = try Self.json(try await world.accessAnalyzer("GET", "/policy/generation", query: ["maxResults": "1", "nextToken": token]))
        #expect(page2["policyGenerations"]?.arrayValue?.compactMap { $0["jobId"]?.stringValue } == [first])
        #expect(page2["nextToken"] == nil)
        let zero = try await world.accessAnalyzer("GET", "/policy/generation", query: ["maxResults": "0"])
        #expect(zero.status == 400 && zero.body.contains("Member must have value greater than or equal to 1"), "\(zero)")
        let badToken = try await world.accessAnalyzer("GET", "/policy/generation", query: ["nextToken": "nope"])
        #expect(badToken.status == 400 && badToken.header("x-amzn-ErrorType") == "ValidationException")

        let cancel = try await world.accessAnalyzer("PUT", "/policy/generation/\(first)")
        #expect(cancel.status == 200 && cancel.body.isEmpty, "\(cancel)")
        let after = try Self.json(try await world.accessAnalyzer("GET", "/policy/generation/\(first)"))
        #expect(after["jobDetails"]?["status"]?.stringValue == "SUCCEEDED", "a finished job stays as it ended")

        // More than seven days on, the jobs are no longer listed or read.
        world.clock.advance(seconds: 7 * 86_400 + 1)
        let later = try Self.json(try await world.accessAnalyzer("GET", "/policy/generation"))
        #expect(later["policyGenerations"] == .array([]))
        #expect(try await world.accessAnalyzer("GET", "/policy/generation/\(second)").status == 400)
    }

    @Test("unknown jobs, another account's job, a retried clientToken")
    func jobsAndTokens() async throws {
        let world = try TestWorld()
        for (method, path) in [("GET", "/policy/generation/nope"), ("PUT", "/policy/generation/nope")] {
            let answer = try await world.accessAnalyzer(method, path)
            #expect(answer.status == 400, "\(answer)")
            #expect(answer.header("x-amzn-ErrorType") == "ValidationException")
        }
        let body = #"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"},"clientToken":"48ef57fb-122c-49b4-8fe6-6adc07271038"}"#
        let jobId = try await Self.start(world, body)
        #expect(try await Self.start(world, body) == jobId, "a retry with the same client token is the same job")
        #expect(try await Self.start(world, #"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"}}"#) != jobId)

        try world.addAccount("111122223333", rootKey: "OTHER")
        #expect(try await world.accessAnalyzer("GET", "/policy/generation/\(jobId)", as: "OTHER").status == 400)
        let theirs = try Self.json(try await world.accessAnalyzer("GET", "/policy/generation", as: "OTHER"))
        #expect(theirs["policyGenerations"] == .array([]))
    }

    @Test("bad input: AWS's constraint wording, and no job")
    func badInput() async throws {
        let world = try TestWorld()
        let cases: [(String, String)] = [
            ("{}", "policyGenerationDetails"),
            (#"{"policyGenerationDetails":{}}"#, "policyGenerationDetails.principalArn"),
            (#"{"policyGenerationDetails":{"principalArn":"arn:aws:iam::000000000000:group/g"}}"#, "policyGenerationDetails.principalArn"),
            (#"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"},"cloudTrailDetails":{"trails":[]}}"#, "cloudTrailDetails.accessRole"),
            (#"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"},"cloudTrailDetails":{"accessRole":"arn:aws:iam::000000000000:role/r","startTime":"2024-02-13T00:30:00Z","trails":[{"cloudTrailArn":"trail"}]}}"#, "cloudTrailDetails.trails.1.member.cloudTrailArn"),
        ]
        for (body, member) in cases {
            let answer = try await world.accessAnalyzer("PUT", "/policy/generation", body: body)
            #expect(answer.status == 400, "\(body): \(answer)")
            #expect(answer.header("x-amzn-ErrorType") == "ValidationException")
            #expect(try Self.json(answer)["fieldList"]?.arrayValue?.first?["name"]?.stringValue == member, "\(body): \(answer)")
        }
        let notTimestamp = try await world.accessAnalyzer(
            "PUT", "/policy/generation",
            body: #"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"},"cloudTrailDetails":{"accessRole":"arn:aws:iam::000000000000:role/r","startTime":"yesterday","trails":[]}}"#)
        #expect(try Self.json(notTimestamp)["reason"]?.stringValue == "cannotParse", "\(notTimestamp)")
        let listed = try Self.json(try await world.accessAnalyzer("GET", "/policy/generation"))
        #expect(listed["policyGenerations"] == .array([]))
    }

    @Test("authorized as access-analyzer:StartPolicyGeneration and the others, on the account's wildcard ARN")
    func authorization() async throws {
        let (world, key) = try await Self.world()
        let denied = try await world.accessAnalyzer(
            "PUT", "/policy/generation", body: #"{"policyGenerationDetails":{"principalArn":"\#(Self.app)"}}"#, as: key)
        #expect(denied.status == 403, "\(denied)")
        #expect(denied.errorMessage == "User: arn:aws:iam::000000000000:user/app is not authorized to perform: access-analyzer:StartPolicyGeneration on resource: arn:aws:access-analyzer:us-east-1:000000000000:* because no identity-based policy allows the access-analyzer:StartPolicyGeneration action")
        let listed = try Self.json(try await world.accessAnalyzer("GET", "/policy/generation"))
        #expect(listed["policyGenerations"] == .array([]), "a refused start makes no job")
        let list = try await world.accessAnalyzer("GET", "/policy/generation", as: key)
        #expect(list.status == 403 && list.errorMessage?.contains("access-analyzer:ListPolicyGenerations") == true, "\(list)")
    }
}
