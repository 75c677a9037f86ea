import AccessAnalyzer
import GatehouseTesting
import JSON
import Testing

/// Access Analyzer's custom policy checks through the service's own path
/// (route, decode, authorize, check, encode). Expected texts:
/// docs/research/access-analyzer.md §4.
@Suite struct CustomPolicyChecksInProcessTests {
    static func call(_ world: TestWorld, _ path: String, _ body: String, as key: String = TestWorld.rootKey) async throws -> TestWorld.Answer {
        try await world.accessAnalyzer("POST", path, body: body, as: key)
    }

    /// A JSON string literal of `text`.
    static func quoted(_ text: String) -> String {
        var w = JSONWriter()
        w.value(text)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static func notGranted(_ policy: String, actions: [String]? = nil, resources: [String]? = nil, type: String = "IDENTITY_POLICY") -> String {
        var access: [String] = []
        if let actions { access.append(#""actions":["# + actions.map(quoted).joined(separator: ",") + "]") }
        if let resources { access.append(#""resources":["# + resources.map(quoted).joined(separator: ",") + "]") }
        return #"{"policyDocument":\#(quoted(policy)),"access":[{\#(access.joined(separator: ","))}],"policyType":"\#(type)"}"#
    }

    /// The AWS CLI's check-access-not-granted example policy (§4.3).
    static let cliPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"]}]}"#

    // MARK: - CheckAccessNotGranted

    @Test("CheckAccessNotGranted: the CLI example PASSes with AWS's message and no reasons key (§4.3)")
    func notGrantedPass() async throws {
        let world = try TestWorld()
        let answer = try await Self.call(world, "/policy/check-access-not-granted",
                                         Self.notGranted(Self.cliPolicy, actions: ["s3:DeleteBucket", "s3:GetBucketLocation"]))
        #expect(answer.status == 200, "\(answer)")
        #expect(answer.body == #"{"result":"PASS","message":"The policy document does not grant access to perform one or more of the listed actions."}"#)
    }

    @Test("CheckAccessNotGranted: FAIL per granting statement, index and sid forms, the three 2025 wordings (§4.2)")
    func notGrantedFail() async throws {
        let world = try TestWorld()
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},{"Sid":"Objects","Effect":"Allow","Action":"s3:GetObj*","Resource":"arn:aws:s3:::bucket/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}"#
        let actions = try await Self.call(world, "/policy/check-access-not-granted", Self.notGranted(policy, actions: ["s3:GetObject"]))
        #expect(answer(actions) == #"{"result":"FAIL","message":"The policy document grants access to perform one or more of the listed actions.","reasons":[{"description":"One or more of the listed actions in the statement with index: 0.","statementIndex":0},{"description":"One or more of the listed actions in the statement with sid: Objects.","statementId":"Objects","statementIndex":1}]}"#)
        let resources = try await Self.call(world, "/policy/check-access-not-granted", Self.notGranted(policy, resources: ["arn:aws:s3:::bucket/key"]))
        #expect(answer(resources) == #"{"result":"FAIL","message":"The policy document grants access to one or more of the listed resources.","reasons":[{"description":"One or more of the listed resources in the statement with index: 0.","statementIndex":0},{"description":"One or more of the listed resources in the statement with sid: Objects.","statementId":"Objects","statementIndex":1},{"description":"One or more of the listed resources in the statement with index: 2.","statementIndex":2}]}"#)
        let both = try await Self.call(world, "/policy/check-access-not-granted",
                                       Self.notGranted(policy, actions: ["s3:GetObject*"], resources: ["arn:aws:s3:::other/*"]))
        #expect(answer(both) == #"{"result":"FAIL","message":"The policy document grants access to one or more listed resources to perform one or more listed actions.","reasons":[{"description":"One or more of the listed actions and/or resources in the statement with index: 0.","statementIndex":0}]}"#)
        let bothPass = try await Self.call(world, "/policy/check-access-not-granted",
                                           Self.notGranted(policy, actions: ["sqs:DeleteQueue"], resources: ["arn:aws:s3:::other/*"]))
        #expect(answer(bothPass) == #"{"result":"PASS","message":"The policy document does not grant access to one or more listed resources to perform one or more listed actions."}"#)
    }

    @Test("CheckAccessNotGranted: wildcards meet only through real actions; NotAction; an unconditional Deny removes the grant, a conditional one does not")
    func notGrantedSemantics() async throws {
        let world = try TestWorld()
        func result(_ policy: String, _ actions: [String]) async throws -> String? {
            let answer = try await Self.call(world, "/policy/check-access-not-granted", Self.notGranted(policy, actions: actions))
            return try JSONParser.parse(answer.body)["result"]?.stringValue
        }
        func allow(_ action: String) -> String { #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(action)","Resource":"*"}]}"# }
        #expect(try await result(allow("s3:GetObj*"), ["s3:Get*"]) == "FAIL")
        #expect(try await result(allow("s3:*Acl"), ["s3:Get*"]) == "FAIL") // s3:GetObjectAcl
        #expect(try await result(allow("s3:Put*"), ["s3:Get*"]) == "PASS")
        // The patterns meet in s3:GetZzz, which no service has: the catalog decides.
        #expect(try await result(allow("s3:*Zzz"), ["s3:Get*"]) == "PASS")
        #expect(try await result(allow("S3:getobject"), ["s3:GetObject"]) == "FAIL")
        let notAction = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}]}"#
        #expect(try await result(notAction, ["s3:GetObject"]) == "PASS")
        #expect(try await result(notAction, ["iam:PassRole"]) == "FAIL")
        let denied = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}"#
        #expect(try await result(denied, ["s3:DeleteBucket"]) == "PASS")
        #expect(try await result(denied, ["s3:DeleteBucket", "s3:PutObject"]) == "FAIL")
        let conditional = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}"#
        #expect(try await result(conditional, ["s3:DeleteBucket"]) == "FAIL")
    }

    @Test("CheckAccessNotGranted: a non-ARN resource is ValidationException Invalid ARN (§1.5); the model's limits and enums")
    func notGrantedValidation() async throws {
        let world = try TestWorld()
        let invalid = try await Self.call(world, "/policy/check-access-not-granted",
                                          Self.notGranted(Self.cliPolicy, actions: ["s3:GetObject"], resources: ["example"]))
        #expect(invalid.status == 400)
        #expect(invalid.header("x-amzn-ErrorType") == "ValidationException")
        #expect(invalid.body == #"{"message":"Invalid ARN","reason":"fieldValidationFailed"}"#)
        let two = #"{"policyDocument":"{}","access":[{"actions":["s3:GetObject"]},{"actions":["s3:PutObject"]}],"policyType":"IDENTITY_POLICY"}"#
        let tooMany = try await Self.call(world, "/policy/check-access-not-granted", two)
        #expect(tooMany.status == 400)
        #expect(tooMany.errorMessage == "1 validation error detected: Value at 'access' failed to satisfy constraint: Member must have length less than or equal to 1" || tooMany.body.contains("less than or equal to 1"), "\(tooMany)")
        let many = try await Self.call(world, "/policy/check-access-not-granted",
                                       Self.notGranted(Self.cliPolicy, actions: (0...100).map { "s3:Action\($0)" }))
        #expect(many.status == 400, "\(many)")
        #expect(many.body.contains("less than or equal to 100"), "\(many)")
        let type = try await Self.call(world, "/policy/check-access-not-granted", Self.notGranted(Self.cliPolicy, actions: ["s3:GetObject"], type: "SERVICE_CONTROL_POLICY"))
        #expect(type.status == 400)
        #expect(type.errorMessage == "1 validation error detected: Value 'SERVICE_CONTROL_POLICY' at 'policyType' failed to satisfy constraint: Member must satisfy enum value set: [IDENTITY_POLICY, RESOURCE_POLICY]")
        let missing = try await Self.call(world, "/policy/check-access-not-granted", #"{"policyType":"IDENTITY_POLICY"}"#)
        #expect(missing.status == 400)
        #expect(missing.errorMessage?.hasPrefix("2 validation errors detected: ") == true, "\(missing)")
        let wrongType = try await Self.call(world, "/policy/check-access-not-granted", #"{"policyDocument":"{}","access":{},"policyType":"IDENTITY_POLICY"}"#)
        #expect(wrongType.body.contains(#""reason":"cannotParse""#), "\(wrongType)")
    }

    @Test("CheckAccessNotGranted: authorized as access-analyzer:CheckAccessNotGranted on the account's wildcard ARN")
    func notGrantedAuthorization() async throws {
        let world = try TestWorld()
        let key = try await Self.user(world)
        let body = Self.notGranted(Self.cliPolicy, actions: ["s3:GetObject"])
        let denied = try await Self.call(world, "/policy/check-access-not-granted", body, as: key)
        #expect(denied.status == 403, "\(denied)")
        #expect(denied.header("x-amzn-ErrorType") == "AccessDeniedException")
        #expect(denied.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: access-analyzer:CheckAccessNotGranted on resource: arn:aws:access-analyzer:us-east-1:000000000000:* because no identity-based policy allows the access-analyzer:CheckAccessNotGranted action")
        try await Self.allow(world, "CheckAccessNotGranted")
        let allowed = try await Self.call(world, "/policy/check-access-not-granted", body, as: key)
        #expect(allowed.status == 200, "\(allowed)")
    }

    // MARK: - CheckNoNewAccess

    static func noNew(_ new: String, _ existing: String, type: String = "IDENTITY_POLICY") -> String {
        #"{"newPolicyDocument":\#(quoted(new)),"existingPolicyDocument":\#(quoted(existing)),"policyType":"\#(type)"}"#
    }

    /// The AWS CLI's check-no-new-access example: the new policy adds s3:GetObjectAcl (§4.3).
    static let cliNewPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectAcl","s3:ListBucket"],"Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"]}]}"#

    @Test("CheckNoNewAccess: the CLI example FAILs as AWS answered it (§4.3); the reverse PASSes without reasons")
    func noNewAccessCLI() async throws {
        let world = try TestWorld()
        let fail = try await Self.call(world, "/policy/check-no-new-access", Self.noNew(Self.cliNewPolicy, Self.cliPolicy))
        #expect(answer(fail) == #"{"result":"FAIL","message":"The modified permissions grant new access compared to your existing policy.","reasons":[{"description":"New access in the statement with index: 0.","statementIndex":0}]}"#)
        let pass = try await Self.call(world, "/policy/check-no-new-access", Self.noNew(Self.cliPolicy, Self.cliNewPolicy))
        #expect(answer(pass) == #"{"result":"PASS","message":"The modified permissions do not grant new access compared to your existing policy."}"#)
    }

    @Test("CheckNoNewAccess: split and merged statements, wildcards, conditions, dropped Denies, principals, the sid form")
    func noNewAccessSemantics() async throws {
        let world = try TestWorld()
        func check(_ new: String, _ existing: String, type: String = "IDENTITY_POLICY") async throws -> String {
            answer(try await Self.call(world, "/policy/check-no-new-access", Self.noNew(new, existing, type: type)))
        }
        let two = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#
        let merged = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"}]}"#
        #expect(try await check(merged, two).contains(#""result":"PASS""#))
        let wider = #"{"Version":"2012-10-17","Statement":[{"Sid":"Wide","Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}"#
        #expect(try await check(wider, two) == #"{"result":"FAIL","message":"The modified permissions grant new access compared to your existing policy.","reasons":[{"description":"New access in the statement with sid: Wide.","statementId":"Wide","statementIndex":0}]}"#)
        #expect(try await check(two, wider).contains(#""result":"FAIL""#)) // s3:PutObject is new
        let conditioned = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#
        let plain = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
        #expect(try await check(conditioned, plain).contains(#""result":"PASS""#))
        #expect(try await check(plain, conditioned).contains(#""result":"FAIL""#))
        let withDeny = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#
        let withoutDeny = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        #expect(try await check(withoutDeny, withDeny).contains(#""result":"FAIL""#))
        #expect(try await check(withDeny, withoutDeny).contains(#""result":"PASS""#))
        let account = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sqs:SendMessage"}]}"#
        let everyone = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage"}]}"#
        #expect(try await check(everyone, account, type: "RESOURCE_POLICY").contains(#""result":"FAIL""#))
        #expect(try await check(account, everyone, type: "RESOURCE_POLICY").contains(#""result":"PASS""#))
    }

    @Test("CheckNoNewAccess: required members, policyType enum, AccessDenied")
    func noNewAccessErrors() async throws {
        let world = try TestWorld()
        let missing = try await Self.call(world, "/policy/check-no-new-access", #"{"newPolicyDocument":"{}","policyType":"IDENTITY_POLICY"}"#)
        #expect(missing.status == 400)
        #expect(missing.body == #"{"message":"1 validation error detected: Value null at 'existingPolicyDocument' failed to satisfy constraint: Member must not be null","reason":"fieldValidationFailed","fieldList":[{"name":"existingPolicyDocument","message":"Member must not be null"}]}"#)
        let type = try await Self.call(world, "/policy/check-no-new-access", Self.noNew(Self.cliPolicy, Self.cliPolicy, type: "RESOURCE_CONTROL_POLICY"))
        #expect(type.status == 400)
        #expect(type.body.contains("[IDENTITY_POLICY, RESOURCE_POLICY]"), "\(type)")
        let key = try await Self.user(world)
        let denied = try await Self.call(world, "/policy/check-no-new-access", Self.noNew(Self.cliPolicy, Self.cliPolicy), as: key)
        #expect(denied.status == 403)
        #expect(denied.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: access-analyzer:CheckNoNewAccess on resource: arn:aws:access-analyzer:us-east-1:000000000000:* because no identity-based policy allows the access-analyzer:CheckNoNewAccess action")
        try await Self.allow(world, "CheckNoNewAccess")
        let allowed = try await Self.call(world, "/policy/check-no-new-access", Self.noNew(Self.cliPolicy, Self.cliPolicy), as: key)
        #expect(answer(allowed).contains(#""result":"PASS""#))
    }

    // MARK: - CheckNoPublicAccess

    static func noPublic(_ policy: String, _ type: String = "AWS::S3::Bucket") -> String {
        #"{"policyDocument":\#(quoted(policy)),"resourceType":"\#(type)"}"#
    }

    @Test("CheckNoPublicAccess: the SDK's FAIL (sid form) and the CLI's PASS, word for word (§4.3)")
    func noPublicExamples() async throws {
        let world = try TestWorld()
        let bob = #"{"Version":"2012-10-17","Statement":[{"Sid":"Bob","Effect":"Allow","Principal":"*","Action":["s3:GetObject"]}]}"#
        let fail = try await Self.call(world, "/policy/check-no-public-access", Self.noPublic(bob))
        #expect(answer(fail) == #"{"result":"FAIL","message":"The resource policy grants public access for the given resource type.","reasons":[{"description":"Public access granted in the following statement with sid: Bob.","statementId":"Bob","statementIndex":0}]}"#)
        let john = #"{"Version":"2012-10-17","Statement":[{"Sid":"CheckNoPublicAccess","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/JohnDoe"},"Action":["s3:GetObject"]}]}"#
        let pass = try await Self.call(world, "/policy/check-no-public-access", Self.noPublic(john))
        #expect(answer(pass) == #"{"result":"PASS","message":"The resource policy does not grant public access for the given resource type."}"#)
    }

    @Test("CheckNoPublicAccess: confining conditions, negated and IfExists ones, a trust policy, the index form")
    func noPublicSemantics() async throws {
        let world = try TestWorld()
        func check(_ policy: String, _ type: String = "AWS::SQS::Queue") async throws -> String {
            answer(try await Self.call(world, "/policy/check-no-public-access", Self.noPublic(policy, type)))
        }
        func statement(_ condition: String) -> String {
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:SendMessage","Resource":"*"\#(condition)}]}"#
        }
        #expect(try await check(statement("")) == #"{"result":"FAIL","message":"The resource policy grants public access for the given resource type.","reasons":[{"description":"Public access granted in the following statement with index: 0.","statementIndex":0}]}"#)
        #expect(try await check(statement(#","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}"#)).contains("PASS"))
        #expect(try await check(statement(#","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:t"}}"#)).contains("PASS"))
        #expect(try await check(statement(#","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}"#)).contains("FAIL"))
        #expect(try await check(statement(#","Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}}"#)).contains("FAIL"))
        #expect(try await check(statement(#","Condition":{"StringLike":{"aws:PrincipalArn":"*"}}"#)).contains("FAIL"))
        #expect(try await check(statement(#","Condition":{"Bool":{"aws:SecureTransport":"true"}}"#)).contains("FAIL"))
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#
        #expect(try await check(trust, "AWS::IAM::AssumeRolePolicyDocument").contains("FAIL"))
    }

    @Test("CheckNoPublicAccess: a resource type outside the model's enum (ECR) is a ValidationException; AccessDenied")
    func noPublicErrors() async throws {
        let world = try TestWorld()
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}"#
        let ecr = try await Self.call(world, "/policy/check-no-public-access", Self.noPublic(policy, "AWS::ECR::Repository"))
        #expect(ecr.status == 400)
        #expect(ecr.header("x-amzn-ErrorType") == "ValidationException")
        #expect(ecr.errorMessage?.hasPrefix("1 validation error detected: Value 'AWS::ECR::Repository' at 'resourceType' failed to satisfy constraint: Member must satisfy enum value set: [AWS::DynamoDB::Table, ") == true, "\(ecr)")
        let missing = try await Self.call(world, "/policy/check-no-public-access", #"{"policyDocument":"{}"}"#)
        #expect(missing.status == 400)
        #expect(missing.body.contains("'resourceType'"), "\(missing)")
        let key = try await Self.user(world)
        let denied = try await Self.call(world, "/policy/check-no-public-access", Self.noPublic(policy), as: key)
        #expect(denied.status == 403)
        #expect(denied.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: access-analyzer:CheckNoPublicAccess on resource: arn:aws:access-analyzer:us-east-1:000000000000:* because no identity-based policy allows the access-analyzer:CheckNoPublicAccess action")
    }

    // MARK: - Helpers

    static func user(_ world: TestWorld) async throws -> String {
        _ = try await world.iam("CreateUser", ["UserName": "dev"])
        return try #require(try await world.iam("CreateAccessKey", ["UserName": "dev"]).value("AccessKeyId"))
    }

    static func allow(_ world: TestWorld, _ operation: String) async throws {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"access-analyzer:\#(operation)","Resource":"arn:aws:access-analyzer:us-east-1:000000000000:*"}]}"#
        let put = try await world.iam("PutUserPolicy", ["UserName": "dev", "PolicyName": operation, "PolicyDocument": policy])
        #expect(put.status == 200, "\(put)")
    }
}

/// The body of a 200 answer; the whole answer otherwise, so a failure shows it.
private func answer(_ answer: TestWorld.Answer) -> String {
    answer.status == 200 ? answer.body : "\(answer)"
}
