import Foundation
import JSON
import Testing

/// One decision path for the simulator and enforcement, the simulator's
/// answer as AWS's, List operations on typed resources, and MFA in
/// AssumeRole's trust decision — through the real AWS CLI.
@Suite("Authorization, end to end")
struct AuthorizationEndToEndTests {
    static let admin = "arn:aws:iam::aws:policy/AdministratorAccess"

    /// `value` with object members in key order, for comparing answers member by member.
    static func canonical(_ value: JSONValue?) -> String {
        switch value {
        case .object(let object)?:
            "{" + object.members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\(canonical($0.value))" }.joined(separator: ",") + "}"
        case .array(let items)?: "[" + items.map { canonical($0) }.joined(separator: ",") + "]"
        case .string(let text)?: "\"\(text)\""
        case .number(let number)?: number.text
        case .bool(let flag)?: flag ? "true" : "false"
        case .null?, nil: "null"
        }
    }

    static func user(_ server: GatehouseProcess, _ name: String, policy: String? = nil) throws -> (id: String, secret: String) {
        try server.createUser(name)
        if let policy { try server.iamOK("PutUserPolicy", ["UserName": name, "PolicyName": "p", "PolicyDocument": policy]) }
        return try server.createAccessKey(name)
    }

    @Test("the simulator's answer for a role, member by member as AWS recorded it")
    func simulatorMembers() throws {
        let server = try GatehouseProcess()
        try server.createRole("app")
        try server.iamOK("PutRolePolicy", [
            "RoleName": "app", "PolicyName": "put",
            "PolicyDocument": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#,
        ])
        let answer = try server.aws([
            "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::\(account):role/app",
            "--action-names", "s3:PutObject", "s3:GetObjectVersion", "--resource-arns", "arn:aws:s3:::bucket",
            // The whole answer, IsTruncated included: paginating, the CLI would leave it out.
            "--no-paginate",
        ])
        #expect(answer.succeeded, "\(answer.stderr)")
        let statement = #"{"SourcePolicyId":"role_app_put","SourcePolicyType":"IAM Policy","StartPosition":{"Line":1,"Column":39},"EndPosition":{"Line":1,"Column":95}}"#
        let expected = #"""
            {"EvaluationResults":[
              {"EvalActionName":"s3:PutObject","EvalResourceName":"arn:aws:s3:::bucket","EvalDecision":"allowed",
               "MatchedStatements":[\#(statement)],"MissingContextValues":[],"EvalDecisionDetails":{},
               "OrganizationsDecisionDetail":{"AllowedByOrganizations":true},
               "ResourceSpecificResults":[{"EvalResourceName":"arn:aws:s3:::bucket","EvalResourceDecision":"allowed",
                 "MatchedStatements":[\#(statement)],"MissingContextValues":[]}]},
              {"EvalActionName":"s3:GetObjectVersion","EvalResourceName":"arn:aws:s3:::bucket","EvalDecision":"implicitDeny",
               "MatchedStatements":[],"MissingContextValues":[],"EvalDecisionDetails":{},
               "OrganizationsDecisionDetail":{"AllowedByOrganizations":true},
               "ResourceSpecificResults":[{"EvalResourceName":"arn:aws:s3:::bucket","EvalResourceDecision":"implicitDeny",
                 "MatchedStatements":[],"MissingContextValues":[]}]}],
             "IsTruncated":false}
            """#
        #expect(Self.canonical(answer.json) == Self.canonical(json(expected)))

        // Without ResourceArns: `*`, no resource-specific results, no decision details.
        let star = try server.aws([
            "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::\(account):role/app", "--action-names", "s3:PutObject",
        ])
        let result = star.json?["EvaluationResults"]?.arrayValue?.first
        #expect(result?.objectValue?.keys.sorted()
            == ["EvalActionName", "EvalDecision", "EvalResourceName", "MatchedStatements", "MissingContextValues", "OrganizationsDecisionDetail"])
    }

    @Test("a user with IAMReadOnlyAccess reads AdministratorAccess, and the simulator agrees")
    func awsManagedPolicy() throws {
        let server = try GatehouseProcess()
        let key = try Self.user(server, "reader")
        try server.iamOK("AttachUserPolicy", ["UserName": "reader", "PolicyArn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        let read = try server.aws(["iam", "get-policy", "--policy-arn", Self.admin], accessKey: key.id, secret: key.secret)
        #expect(read.json?["Policy"]?["PolicyName"]?.stringValue == "AdministratorAccess", "\(read.stderr)")
        let simulated = try server.aws([
            "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::\(account):user/reader",
            "--action-names", "iam:GetPolicy", "--resource-arns", Self.admin,
        ])
        let result = simulated.json?["EvaluationResults"]?.arrayValue?.first
        #expect(result?["EvalDecision"]?.stringValue == "allowed", "\(simulated.stdout)")
        #expect(result?["MatchedStatements"]?.arrayValue?.first?["SourcePolicyId"]?.stringValue == "IAMReadOnlyAccess")
    }

    @Test("an Allow whose NotPrincipal names the caller does not apply to it: the repository refuses it, and so does the simulator")
    func notPrincipal() throws {
        let server = try GatehouseProcess()
        let bob = try Self.user(server, "bob")
        let eve = try Self.user(server, "eve")
        let bobArn = "arn:aws:iam::\(account):user/bob"
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":["arn:aws:iam::\#(account):user/carol","\#(bobArn)"]},"Action":"ecr:ListImages"}]}"#
        #expect(try server.aws(["ecr", "create-repository", "--repository-name", "app"]).succeeded)
        #expect(try server.aws(["ecr", "set-repository-policy", "--repository-name", "app", "--policy-text", policy]).succeeded)
        let refused = try server.aws(["ecr", "list-images", "--repository-name", "app"], accessKey: bob.id, secret: bob.secret)
        #expect(refused.errorCode == "AccessDeniedException")
        #expect(refused.errorMessage == "User: \(bobArn) is not authorized to perform: ecr:ListImages on resource: arn:aws:ecr:us-east-1:\(account):repository/app because no identity-based policy allows the ecr:ListImages action")
        #expect(try server.aws(["ecr", "list-images", "--repository-name", "app"], accessKey: eve.id, secret: eve.secret).succeeded)

        let simulated = try server.aws([
            "iam", "simulate-principal-policy", "--policy-source-arn", bobArn, "--action-names", "ecr:ListImages",
            "--resource-arns", "arn:aws:ecr:us-east-1:\(account):repository/app", "--resource-policy", policy,
        ])
        #expect(simulated.json?["EvaluationResults"]?.arrayValue?.first?["EvalDecision"]?.stringValue == "implicitDeny", "\(simulated.stdout)")
    }

    @Test("sts:AssumeRole needs the trust policy even within the account: the simulator says implicitDeny where AssumeRole is refused")
    func trustPolicy() throws {
        let server = try GatehouseProcess()
        let carol = try Self.user(server, "carol", policy: Doc.allow("sts:AssumeRole"))
        try server.createUser("dave")
        let trust = Doc.trust(aws: "arn:aws:iam::\(account):user/dave")
        try server.createRole("deploy", trust: trust)
        let role = "arn:aws:iam::\(account):role/deploy"
        let refused = try server.aws(
            ["sts", "assume-role", "--role-arn", role, "--role-session-name", "try"], accessKey: carol.id, secret: carol.secret)
        #expect(refused.errorCode == "AccessDenied")
        let simulated = try server.aws([
            "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::\(account):user/carol",
            "--action-names", "sts:AssumeRole", "--resource-arns", role, "--resource-policy", trust,
        ])
        #expect(simulated.json?["EvaluationResults"]?.arrayValue?.first?["EvalDecision"]?.stringValue == "implicitDeny", "\(simulated.stdout)")
    }

    @Test("list-users is allowed by a policy on user/*, and refused elsewhere naming user/ and the path; list-policies names the policy path")
    func listOperations() throws {
        let server = try GatehouseProcess()
        try server.createUser("ops", path: "/division_abc/")
        let scoped = try Self.user(server, "lister", policy: Doc.allow("iam:ListUsers", resource: "arn:aws:iam::\(account):user/division_abc/*"))
        let listed = try server.aws(["iam", "list-users", "--path-prefix", "/division_abc/"], accessKey: scoped.id, secret: scoped.secret)
        #expect(listed.json?.strings("Users", "UserName") == ["ops"], "\(listed.stderr)")
        let everyone = try server.aws(["iam", "list-users"], accessKey: scoped.id, secret: scoped.secret)
        #expect(everyone.errorCode == "AccessDenied")
        #expect(everyone.errorMessage == "User: arn:aws:iam::\(account):user/lister is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::\(account):user/ because no identity-based policy allows the iam:ListUsers action")
        let policies = try server.aws(["iam", "list-policies", "--scope", "Local"], accessKey: scoped.id, secret: scoped.secret)
        #expect(policies.errorMessage == "User: arn:aws:iam::\(account):user/lister is not authorized to perform: iam:ListPolicies on resource: policy path / because no identity-based policy allows the iam:ListPolicies action")

        let all = try Self.user(server, "all", policy: Doc.allow("iam:ListUsers", resource: "arn:aws:iam::\(account):user/*"))
        let users = try server.aws(["iam", "list-users"], accessKey: all.id, secret: all.secret)
        #expect(Set(users.json?.strings("Users", "UserName") ?? []) == ["ops", "lister", "all"], "\(users.stderr)")

        let keys = try server.aws(["iam", "list-access-keys"], accessKey: scoped.id, secret: scoped.secret)
        #expect(keys.errorMessage == "User: arn:aws:iam::\(account):user/lister is not authorized to perform: iam:ListAccessKeys on resource: user nulllister because no identity-based policy allows the iam:ListAccessKeys action")
    }

    @Test("a CLI profile with mfa_serial assumes a role whose trust policy requires MFA, the code read from the prompt")
    func mfaProfile() throws {
        let server = try GatehouseProcess()
        let directory = try IAMTestMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let alice = try Self.user(server, "alice", policy: Doc.allow("sts:AssumeRole"))
        let seedFile = directory.appendingPathComponent("seed.txt")
        let device = try server.aws([
            "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice", "--outfile", seedFile.path,
            "--bootstrap-method", "Base32StringSeed",
        ])
        let serial = try #require(device.json?["VirtualMFADevice"]?["SerialNumber"]?.stringValue)
        let seed = try String(contentsOf: seedFile, encoding: .utf8)
        let (first, second) = try IAMTestMaterial.totpCodes(seed: seed)
        #expect(try server.aws([
            "iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial, "--authentication-code1", first,
            "--authentication-code2", second,
        ]).succeeded)
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\#(account):user/alice"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#
        try server.createRole("admin", trust: trust)

        let config = directory.appendingPathComponent("config")
        try """
            [profile base]
            aws_access_key_id = \(alice.id)
            aws_secret_access_key = \(alice.secret)
            region = us-east-1

            [profile admin]
            role_arn = arn:aws:iam::\(account):role/admin
            source_profile = base
            mfa_serial = \(serial)
            region = us-east-1

            [profile admin-without-mfa]
            role_arn = arn:aws:iam::\(account):role/admin
            source_profile = base
            region = us-east-1
            """.write(to: config, atomically: true, encoding: .utf8)

        /// The CLI as a user runs it: a profile, and the MFA prompt answered on standard input
        /// (`setsid` leaves it no terminal, so its getpass prompt reads standard input).
        func cli(_ profile: String, code: String) throws -> GatehouseProcess.Result {
            var environment = ProcessInfo.processInfo.environment
            for key in environment.keys where key.hasPrefix("AWS_") { environment[key] = nil }
            environment["HOME"] = directory.path
            environment["AWS_CONFIG_FILE"] = config.path
            environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
            environment["AWS_PROFILE"] = profile
            environment["AWS_ENDPOINT_URL"] = server.endpoint
            environment["AWS_PAGER"] = ""
            environment["AWS_MAX_ATTEMPTS"] = "1"
            return try GatehouseProcess.run(
                "setsid", ["aws", "--output", "json", "sts", "get-caller-identity"], environment: environment, input: code + "\n")
        }

        let wrongCode = second == "000000" ? "111111" : "000000"
        let wrong = try cli("admin", code: wrongCode)
        #expect(wrong.errorCode == "AccessDenied", "\(wrong.stderr)")
        #expect(wrong.errorMessage == "MultiFactorAuthentication failed with invalid MFA one time pass code. ")

        let withoutMFA = try cli("admin-without-mfa", code: "")
        #expect(withoutMFA.errorCode == "AccessDenied", "\(withoutMFA.stderr)")

        let (_, current) = try IAMTestMaterial.totpCodes(seed: seed)
        let assumed = try cli("admin", code: current)
        #expect(assumed.succeeded, "\(assumed.stderr)")
        #expect(assumed.json?["Arn"]?.stringValue?.hasPrefix("arn:aws:sts::\(account):assumed-role/admin/") == true, "\(assumed.stdout)")
    }
}
