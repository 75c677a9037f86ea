import Foundation
import JSON
import Testing

/// IAM roles, driven with the real aws CLI (texts: docs/research/iam.md §1–§6, §8).
@Suite("Roles, end to end")
struct RoleEndToEndTests {
    @Test("create-role returns the path, ARN, an AROA id, the trust policy, tags and boundary, but no Description and no MaxSessionDuration (get-role has both)")
    func createRole() throws {
        let server = try GatehouseProcess()
        let result = try server.aws([
            "iam", "create-role", "--role-name", "app-role", "--path", "/app/team/", "--assume-role-policy-document", Doc.ec2Trust,
            "--description", "the app's role", "--max-session-duration", "7200", "--tags", "Key=team,Value=blue",
            "--permissions-boundary", "arn:aws:iam::aws:policy/AdministratorAccess",
        ])
        #expect(result.succeeded, "\(result.stderr)")
        let role = try #require(result.json?["Role"])
        #expect(role["RoleName"]?.stringValue == "app-role")
        #expect(role["Path"]?.stringValue == "/app/team/")
        #expect(role["Arn"]?.stringValue == "arn:aws:iam::\(account):role/app/team/app-role")
        let id = try #require(role["RoleId"]?.stringValue)
        #expect(id.hasPrefix("AROA") && id.count == 21, "\(id)")
        #expect(role["AssumeRolePolicyDocument"] == json(Doc.ec2Trust))
        #expect(role["Description"] == nil, "recorded against AWS in 2026: CreateRole leaves it out")
        #expect(role["Tags"] == json(#"[{"Key":"team","Value":"blue"}]"#))
        #expect(role["PermissionsBoundary"]?["PermissionsBoundaryArn"]?.stringValue == "arn:aws:iam::aws:policy/AdministratorAccess")
        #expect(role["PermissionsBoundary"]?["PermissionsBoundaryType"]?.stringValue == "Policy")
        #expect(role["MaxSessionDuration"] == nil)
        #expect(role["RoleLastUsed"] == nil)

        let got = try #require(try server.aws(["iam", "get-role", "--role-name", "app-role"]).json?["Role"])
        #expect(got["MaxSessionDuration"] == .number(JSONNumber(7200)))
        #expect(got["RoleId"]?.stringValue == id)
        #expect(got["Description"]?.stringValue == "the app's role")
        #expect(got["Tags"] == json(#"[{"Key":"team","Value":"blue"}]"#))
        #expect(got["PermissionsBoundary"]?["PermissionsBoundaryArn"]?.stringValue == "arn:aws:iam::aws:policy/AdministratorAccess")
    }

    @Test("get-role of a plain role shows MaxSessionDuration 3600 and an empty RoleLastUsed, and no Tags, Description or boundary")
    func getPlainRole() throws {
        let server = try GatehouseProcess()
        try server.createRole("plain")
        let result = try server.aws(["iam", "get-role", "--role-name", "plain"])
        let role = try #require(result.json?["Role"], "\(result.stderr)")
        #expect(role["MaxSessionDuration"] == .number(JSONNumber(3600)))
        #expect(role["RoleLastUsed"] == .object(JSONObject()))
        #expect(role["Tags"] == nil)
        #expect(role["Description"] == nil)
        #expect(role["PermissionsBoundary"] == nil)
        #expect(role["Path"]?.stringValue == "/")
        #expect(role["Arn"]?.stringValue == "arn:aws:iam::\(account):role/plain")
    }

    @Test("role names are unique without regard to case, and a refused create-role changes nothing")
    func duplicateName() throws {
        let server = try GatehouseProcess()
        try server.createRole("Deployer")
        let before = try server.iam("ListRoles").state
        let again = try server.aws(["iam", "create-role", "--role-name", "Deployer", "--assume-role-policy-document", Doc.ec2Trust])
        #expect(again.errorCode == "EntityAlreadyExists")
        #expect(again.errorMessage == "Role with name Deployer already exists.")
        let lower = try server.iam("CreateRole", ["RoleName": "deployer", "AssumeRolePolicyDocument": Doc.trust(service: "lambda.amazonaws.com")])
        #expect(lower.status == 409)
        #expect(lower.errorCode == "EntityAlreadyExists")
        #expect(lower.errorMessage == "Role with name deployer already exists.")
        #expect(try server.iam("ListRoles").state == before)
    }

    @Test("every operation on a missing role is NoSuchEntity: The role with name … cannot be found.")
    func missingRole() throws {
        let server = try GatehouseProcess()
        for verb in ["get-role", "delete-role"] {
            let result = try server.aws(["iam", verb, "--role-name", "ghost"])
            #expect(result.errorCode == "NoSuchEntity", "\(verb): \(result.stderr)")
            #expect(result.errorMessage == "The role with name ghost cannot be found.", "\(verb)")
        }
        let calls: [(String, [String: String])] = [
            ("UpdateRole", ["Description": "x"]), ("UpdateRoleDescription", ["Description": "x"]),
            ("UpdateAssumeRolePolicy", ["PolicyDocument": Doc.ec2Trust]), ("ListRoleTags", [:]), ("ListRolePolicies", [:]),
            ("ListAttachedRolePolicies", [:]), ("PutRolePermissionsBoundary", ["PermissionsBoundary": "arn:aws:iam::aws:policy/ReadOnlyAccess"]),
            ("ListInstanceProfilesForRole", [:]),
        ]
        for (action, extra) in calls {
            let raw = try server.iam(action, extra.merging(["RoleName": "ghost"]) { $1 })
            #expect(raw.status == 404, "\(action): \(raw)")
            #expect(raw.errorMessage == "The role with name ghost cannot be found.", "\(action)")
        }
    }

    @Test("bad role names and session durations are ValidationErrors in AWS's constraint wording")
    func validation() throws {
        let server = try GatehouseProcess()
        let slash = try server.aws(["iam", "create-role", "--role-name", "team/app", "--assume-role-policy-document", Doc.ec2Trust])
        #expect(slash.errorCode == "ValidationError")
        #expect(slash.errorMessage == #"1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"#)
        let long = try server.aws([
            "iam", "create-role", "--role-name", String(repeating: "r", count: 65), "--assume-role-policy-document", Doc.ec2Trust,
        ])
        #expect(long.errorCode == "ValidationError")
        #expect(long.errorMessage == "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64")
        let tooLong = try server.aws([
            "iam", "create-role", "--role-name", "r", "--max-session-duration", "43201", "--assume-role-policy-document", Doc.ec2Trust,
        ])
        #expect(tooLong.errorCode == "ValidationError")
        #expect(tooLong.errorMessage == "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200")
        // The CLI refuses durations under 3600 itself; the server must too.
        let short = try server.iam("CreateRole", ["RoleName": "r", "MaxSessionDuration": "900", "AssumeRolePolicyDocument": Doc.ec2Trust])
        #expect(short.status == 400)
        #expect(short.errorCode == "ValidationError")
        #expect(short.errorMessage == "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600")
        try server.createRole("r")
        let update = try server.iam("UpdateRole", ["RoleName": "r", "MaxSessionDuration": "50000"])
        #expect(update.status == 400)
        #expect(update.errorMessage == "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200")
        #expect(try server.iam("GetRole", ["RoleName": "r"]).value("MaxSessionDuration") == "3600")
    }

    @Test("a role path that does not begin and end with / is refused with IAM's path message")
    func badPath() throws {
        let server = try GatehouseProcess()
        let result = try server.aws(["iam", "create-role", "--role-name", "r", "--path", "/root", "--assume-role-policy-document", Doc.ec2Trust])
        #expect(result.errorCode == "ValidationError")
        #expect(try server.iam("ListRoles").values("RoleName").isEmpty)
        #expect(result.errorMessage == "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
    }

    @Test("the /aws-service-role/ path is reserved for service-linked roles: create-role refuses it with InvalidInput")
    func reservedPath() throws {
        let server = try GatehouseProcess()
        let result = try server.aws([
            "iam", "create-role", "--role-name", "AWSServiceRoleForECS", "--path", "/aws-service-role/ecs.amazonaws.com/",
            "--assume-role-policy-document", Doc.trust(service: "ecs.amazonaws.com"),
        ])
        let stored = try server.iam("GetRole", ["RoleName": "AWSServiceRoleForECS"]).status
        #expect(result.errorCode == "InvalidInput")
        #expect(result.errorMessage == "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles")
        #expect(stored == 404)
    }

    @Test("list-roles with a path prefix that does not begin with / is refused with IAM's pathPrefix message")
    func badPathPrefix() throws {
        let server = try GatehouseProcess()
        let result = try server.aws(["iam", "list-roles", "--path-prefix", "app"])
        #expect(result.errorCode == "ValidationError")
        #expect(result.errorMessage == "The specified value for pathPrefix is invalid. It must begin with the / character and contain only alphanumeric characters and/or / characters.")
    }

    static let malformedTrust: [(document: String, message: String)] = [
        (
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#,
            "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"
        ),
        (#"{"Version":"2012-10-17","Statement":["#, "This policy contains invalid Json"),
        (Doc.trust(aws: "arn:aws:iam::\(account):user/nobody"), #"Invalid principal in policy: "AWS":"arn:aws:iam::000000000000:user/nobody""#),
        (Doc.trust(aws: "arn:aws:iam::\(account):role/nobody"), #"Invalid principal in policy: "AWS":"arn:aws:iam::000000000000:role/nobody""#),
        (
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"s3:GetObject"}]}"#,
            "AssumeRole policy may only specify STS AssumeRole actions."
        ),
        (
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]}"#,
            "Has prohibited field Resource"
        ),
    ]

    @Test("a malformed trust policy is MalformedPolicyDocument with AWS's message, on create-role and update-assume-role-policy",
          arguments: malformedTrust)
    func malformedTrustPolicy(document: String, message: String) throws {
        let server = try GatehouseProcess()
        let create = try server.aws(["iam", "create-role", "--role-name", "r", "--assume-role-policy-document", document])
        #expect(create.errorCode == "MalformedPolicyDocument", "\(create.stderr)")
        #expect(create.errorMessage == message)
        #expect(try server.iam("GetRole", ["RoleName": "r"]).status == 404)

        try server.createRole("kept")
        let before = try server.iam("GetRole", ["RoleName": "kept"]).state
        let update = try server.iam("UpdateAssumeRolePolicy", ["RoleName": "kept", "PolicyDocument": document])
        #expect(update.status == 400)
        #expect(update.errorCode == "MalformedPolicyDocument")
        #expect(update.errorMessage == message)
        #expect(try server.iam("GetRole", ["RoleName": "kept"]).state == before)
    }

    @Test("a trust policy may name users and roles that exist, the account root and services")
    func validPrincipals() throws {
        let server = try GatehouseProcess()
        try server.createUser("alice")
        try server.createRole("base")
        for (name, principal) in [
            ("by-user", "arn:aws:iam::\(account):user/alice"), ("by-role", "arn:aws:iam::\(account):role/base"),
            ("by-root", "arn:aws:iam::\(account):root"), ("by-account", account),
        ] {
            let result = try server.iam("CreateRole", ["RoleName": name, "AssumeRolePolicyDocument": Doc.trust(aws: principal)])
            #expect(result.status == 200, "\(principal): \(result)")
        }
    }

    @Test("a trust policy that names a user who is later deleted shows the user's unique id, as IAM keeps principals by id")
    func deletedPrincipal() throws {
        let server = try GatehouseProcess()
        let userId = try #require(try server.createUser("alice").value("UserId"))
        // The same ARN in a condition is a string: IAM leaves it as written.
        let alice = "arn:aws:iam::\(account):user/alice"
        let trust = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\(alice)"},"Action":"sts:AssumeRole",\
            "Condition":{"StringEquals":{"aws:PrincipalArn":"\(alice)"}}}]}
            """
        try server.createRole("trusts-alice", trust: trust)
        let before = try server.aws(["iam", "get-role", "--role-name", "trusts-alice"]).json?["Role"]?["AssumeRolePolicyDocument"]
        #expect(before == json(trust))
        try server.iamOK("DeleteUser", ["UserName": "alice"])
        // IAM User Guide, role trust policy examples: "the principal ID shows up ... because AWS can
        // no longer map it back to an ARN".
        func shownPrincipal() throws -> String? {
            try server.aws(["iam", "get-role", "--role-name", "trusts-alice"]).json?["Role"]?["AssumeRolePolicyDocument"]?["Statement"]?
                .arrayValue?.first?["Principal"]?["AWS"]?.stringValue
        }
        #expect(try shownPrincipal() == userId)
        let condition = try server.aws(["iam", "get-role", "--role-name", "trusts-alice"]).json?["Role"]?["AssumeRolePolicyDocument"]?["Statement"]?
            .arrayValue?.first?["Condition"]?["StringEquals"]?["aws:PrincipalArn"]?.stringValue
        #expect(condition == alice)

        // A new alice is someone else: the policy still names the old one, and she cannot assume the role.
        let newcomer = try #require(try server.createUser("alice").value("UserId"))
        #expect(newcomer != userId)
        #expect(try shownPrincipal() == userId)
        try server.iamOK("PutUserPolicy", ["UserName": "alice", "PolicyName": "assume", "PolicyDocument": Doc.allow("sts:AssumeRole")])
        let key = try server.aws(["iam", "create-access-key", "--user-name", "alice"]).json?["AccessKey"]
        let assume = try server.aws(
            ["sts", "assume-role", "--role-arn", "arn:aws:iam::\(account):role/trusts-alice", "--role-session-name", "newcomer"],
            accessKey: key?["AccessKeyId"]?.stringValue ?? "", secret: key?["SecretAccessKey"]?.stringValue ?? "")
        #expect(assume.errorCode == "AccessDenied", "\(assume.stderr)")

        // Written again, the policy names the new alice.
        try server.iamOK("UpdateAssumeRolePolicy", ["RoleName": "trusts-alice", "PolicyDocument": Doc.trust(aws: "arn:aws:iam::\(account):user/alice")])
        #expect(try shownPrincipal() == "arn:aws:iam::\(account):user/alice")
    }

    @Test("a user without permissions is refused get-role with AccessDenied, 403, naming the role as IAM does")
    func accessDenied() throws {
        let server = try GatehouseProcess()
        try server.createRole("guarded", path: "/team/")
        try server.createUser("intern")
        let key = try server.createAccessKey("intern")
        let result = try server.aws(["iam", "get-role", "--role-name", "guarded"], accessKey: key.id, secret: key.secret)
        #expect(result.errorCode == "AccessDenied", "\(result.stderr)")
        let raw = try server.query(["Action": "GetRole", "Version": "2010-05-08", "RoleName": "guarded"], accessKey: key.id, secret: key.secret)
        #expect(raw.status == 403)
        #expect(result.errorMessage == "User: arn:aws:iam::000000000000:user/intern is not authorized to perform: iam:GetRole on resource: role guarded because no identity-based policy allows the iam:GetRole action")
    }

    @Test("a trust policy over 2,048 characters is LimitExceeded: Cannot exceed quota for ACLSizePerRole: 2048")
    func trustPolicyTooLarge() throws {
        let server = try GatehouseProcess()
        let big = Doc.trust(atLeast: 2100)
        let create = try server.aws(["iam", "create-role", "--role-name", "big", "--assume-role-policy-document", big])
        #expect(create.errorCode == "LimitExceeded")
        #expect(create.errorMessage == "Cannot exceed quota for ACLSizePerRole: 2048")
        #expect(try server.iam("GetRole", ["RoleName": "big"]).status == 404)
        try server.createRole("small")
        let update = try server.iam("UpdateAssumeRolePolicy", ["RoleName": "small", "PolicyDocument": big])
        #expect(update.errorCode == "LimitExceeded")
        #expect(update.errorMessage == "Cannot exceed quota for ACLSizePerRole: 2048")
        let raw = try server.iam("CreateRole", ["RoleName": "big", "AssumeRolePolicyDocument": big])
        #expect(raw.status == 409)
    }

    @Test("the trust policy quota counts characters that are not whitespace: 2,048 fit however much whitespace surrounds them, 2,049 do not")
    func trustPolicyWhitespace() throws {
        let server = try GatehouseProcess()
        let fits = try server.aws(["iam", "create-role", "--role-name", "fits", "--assume-role-policy-document", Doc.trust(size: 2048, whitespace: 1000)])
        #expect(fits.succeeded, "\(fits.stderr)")
        let over = try server.iam("CreateRole", ["RoleName": "over", "AssumeRolePolicyDocument": Doc.trust(size: 2049)])
        #expect(over.status == 409)
        #expect(over.errorMessage == "Cannot exceed quota for ACLSizePerRole: 2048")
        #expect(try server.iam("UpdateAssumeRolePolicy", ["RoleName": "fits", "PolicyDocument": Doc.trust(size: 2048)]).status == 200)
    }

    @Test("list-roles lists by name ignoring case, filters by path prefix, and leaves out RoleLastUsed, Tags and boundary")
    func listRoles() throws {
        let server = try GatehouseProcess()
        try server.createRole("beta", path: "/svc/")
        try server.createRole("Alpha", path: "/svc/a/")
        try server.createRole("gamma")
        try server.iamOK("TagRole", ["RoleName": "gamma", "Tags.member.1.Key": "k", "Tags.member.1.Value": "v"])
        try server.iamOK("PutRolePermissionsBoundary", ["RoleName": "gamma", "PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess"])
        let all = try #require(try server.aws(["iam", "list-roles"]).json)
        #expect(all.strings("Roles", "RoleName") == ["Alpha", "beta", "gamma"])
        let gamma = try #require(all["Roles"]?.arrayValue?.last)
        #expect(gamma["MaxSessionDuration"] == .number(JSONNumber(3600)))
        #expect(gamma["RoleLastUsed"] == nil)
        #expect(gamma["Tags"] == nil)
        #expect(gamma["PermissionsBoundary"] == nil)
        let svc = try server.aws(["iam", "list-roles", "--path-prefix", "/svc/"]).json
        #expect(svc?.strings("Roles", "RoleName") == ["Alpha", "beta"])
        #expect(try server.iam("ListRoles", ["PathPrefix": "/svc/a/"]).values("RoleName") == ["Alpha"])
        #expect(try server.iam("ListRoles", ["PathPrefix": "/nothing/"]).values("RoleName").isEmpty)
    }

    @Test("list-roles pages with --page-size, --max-items and --starting-token without losing or repeating a role")
    func pagination() throws {
        let server = try GatehouseProcess()
        let names = ["r1", "r2", "r3", "r4", "r5"]
        for name in names { try server.createRole(name) }
        let walked = try server.aws(["iam", "list-roles", "--page-size", "2"]).json
        #expect(walked?.strings("Roles", "RoleName") == names)

        let first = try #require(try server.aws(["iam", "list-roles", "--page-size", "2", "--max-items", "3"]).json)
        #expect(first.strings("Roles", "RoleName") == ["r1", "r2", "r3"])
        let token = try #require(first["NextToken"]?.stringValue)
        let rest = try server.aws(["iam", "list-roles", "--page-size", "2", "--max-items", "3", "--starting-token", token]).json
        #expect(rest?.strings("Roles", "RoleName") == ["r4", "r5"])
        #expect(rest?["NextToken"] == nil)

        // One raw call: IAM's own Marker and IsTruncated.
        let page = try #require(try server.aws(["iam", "list-roles", "--no-paginate", "--max-items", "2"]).json)
        #expect(page.strings("Roles", "RoleName") == ["r1", "r2"])
        #expect(page["IsTruncated"] == .bool(true))
        let marker = try #require(page["Marker"]?.stringValue)
        let next = try #require(try server.aws(["iam", "list-roles", "--no-paginate", "--max-items", "3", "--marker", marker]).json)
        #expect(next.strings("Roles", "RoleName") == ["r3", "r4", "r5"])
        #expect(next["IsTruncated"] == .bool(false))
        #expect(next["Marker"] == nil)
    }

    @Test("a marker IAM did not hand out is ValidationError: Invalid Marker.")
    func badMarker() throws {
        let server = try GatehouseProcess()
        let result = try server.aws(["iam", "list-roles", "--no-paginate", "--marker", "not-a-marker!"])
        #expect(result.errorCode == "ValidationError")
        #expect(result.errorMessage == "Invalid Marker.")
    }

    @Test("update-role, update-role-description and update-assume-role-policy change what get-role shows")
    func updates() throws {
        let server = try GatehouseProcess()
        try server.createRole("svc")
        #expect(try server.aws(["iam", "update-role", "--role-name", "svc", "--description", "first", "--max-session-duration", "43200"]).succeeded)
        let updated = try server.iam("GetRole", ["RoleName": "svc"])
        #expect(updated.value("Description") == "first")
        #expect(updated.value("MaxSessionDuration") == "43200")

        let described = try server.aws(["iam", "update-role-description", "--role-name", "svc", "--description", "second"])
        let returned = try #require(described.json?["Role"], "\(described.stderr)")
        #expect(returned["Description"]?.stringValue == "second")
        #expect(returned["RoleName"]?.stringValue == "svc")
        #expect(returned["MaxSessionDuration"] == nil)
        #expect(returned["RoleLastUsed"] == nil)

        let lambda = Doc.trust(service: "lambda.amazonaws.com")
        #expect(try server.aws(["iam", "update-assume-role-policy", "--role-name", "svc", "--policy-document", lambda]).succeeded)
        let role = try server.aws(["iam", "get-role", "--role-name", "svc"]).json?["Role"]
        #expect(role?["AssumeRolePolicyDocument"] == json(lambda))
        #expect(role?["Description"]?.stringValue == "second")
        #expect(role?["MaxSessionDuration"] == .number(JSONNumber(43200)))
    }

    @Test("delete-role removes the role: get-role is NoSuchEntity and list-roles no longer shows it")
    func deleteRole() throws {
        let server = try GatehouseProcess()
        try server.createRole("temp")
        try server.createRole("stays")
        let deleted = try server.aws(["iam", "delete-role", "--role-name", "temp"])
        #expect(deleted.succeeded, "\(deleted.stderr)")
        #expect(deleted.stdout.isEmpty)
        #expect(try server.iam("GetRole", ["RoleName": "temp"]).status == 404)
        #expect(try server.iam("ListRoles").values("RoleName") == ["stays"])
        // The name is free again.
        try server.createRole("temp")
    }

    @Test("a role with an instance profile, attached and inline policies cannot be deleted, and AWS's order decides the message")
    func deleteConflictOrder() throws {
        let server = try GatehouseProcess()
        try server.createRole("busy")
        let policy = try server.createPolicy("busy-policy")
        try server.iamOK("AttachRolePolicy", ["RoleName": "busy", "PolicyArn": policy])
        try server.iamOK("PutRolePolicy", ["RoleName": "busy", "PolicyName": "inline", "PolicyDocument": Doc.allow()])
        try server.iamOK("CreateInstanceProfile", ["InstanceProfileName": "busy-profile"])
        try server.iamOK("AddRoleToInstanceProfile", ["InstanceProfileName": "busy-profile", "RoleName": "busy"])
        let before = try server.iam("GetRole", ["RoleName": "busy"]).state

        let first = try server.aws(["iam", "delete-role", "--role-name", "busy"])
        #expect(first.errorCode == "DeleteConflict")
        #expect(first.errorMessage == "Cannot delete entity, must remove roles from instance profile first.")
        func deleteRole() throws -> QueryResponse { try server.iam("DeleteRole", ["RoleName": "busy"]) }
        try server.iamOK("RemoveRoleFromInstanceProfile", ["InstanceProfileName": "busy-profile", "RoleName": "busy"])
        var result = try deleteRole()
        #expect(result.status == 409)
        #expect(result.errorCode == "DeleteConflict")
        #expect(result.errorMessage == "Cannot delete entity, must detach all policies first.")
        try server.iamOK("DetachRolePolicy", ["RoleName": "busy", "PolicyArn": policy])
        result = try deleteRole()
        #expect(result.status == 409)
        #expect(result.errorMessage == "Cannot delete entity, must delete policies first.")
        #expect(try server.iam("GetRole", ["RoleName": "busy"]).state == before)
        #expect(try server.iam("ListRolePolicies", ["RoleName": "busy"]).values("member") == ["inline"])
        try server.iamOK("DeleteRolePolicy", ["RoleName": "busy", "PolicyName": "inline"])
        #expect(try server.aws(["iam", "delete-role", "--role-name", "busy"]).succeeded)
    }

    @Test("a permissions boundary must be an existing managed policy ARN")
    func permissionsBoundary() throws {
        let server = try GatehouseProcess()
        let missing = try server.aws([
            "iam", "create-role", "--role-name", "b", "--assume-role-policy-document", Doc.ec2Trust,
            "--permissions-boundary", "arn:aws:iam::\(account):policy/nope",
        ])
        #expect(missing.errorCode == "NoSuchEntity")
        #expect(missing.errorMessage == "Scope ARN: arn:aws:iam::000000000000:policy/nope does not exist or is not attachable.")
        let notPolicy = try server.iam("CreateRole", [
            "RoleName": "b", "AssumeRolePolicyDocument": Doc.ec2Trust, "PermissionsBoundary": "arn:aws:iam::\(account):role/nope",
        ])
        #expect(notPolicy.status == 400)
        #expect(notPolicy.errorCode == "InvalidInput")
        #expect(notPolicy.errorMessage == "ARN arn:aws:iam::000000000000:role/nope is not valid.")
        #expect(try server.iam("GetRole", ["RoleName": "b"]).status == 404)

        try server.createRole("b")
        let boundary = try server.createPolicy("boundary")
        #expect(try server.aws(["iam", "put-role-permissions-boundary", "--role-name", "b", "--permissions-boundary", boundary]).succeeded)
        let role = try server.aws(["iam", "get-role", "--role-name", "b"]).json?["Role"]
        #expect(role?["PermissionsBoundary"]?["PermissionsBoundaryArn"]?.stringValue == boundary)
        #expect(try server.iam("GetPolicy", ["PolicyArn": boundary]).value("PermissionsBoundaryUsageCount") == "1")
        try server.iamOK("DeleteRolePermissionsBoundary", ["RoleName": "b"])
        #expect(try server.iam("GetRole", ["RoleName": "b"]).value("PermissionsBoundaryArn") == nil)
    }

    @Test("list-role-tags pages through every tag when keys differ in case, in key order (B before a)")
    func roleTagPaging() throws {
        let server = try GatehouseProcess()
        try server.createRole("tagged")
        try server.iamOK("TagRole", [
            "RoleName": "tagged", "Tags.member.1.Key": "a", "Tags.member.1.Value": "1", "Tags.member.2.Key": "B", "Tags.member.2.Value": "2",
        ])
        let all = try server.aws(["iam", "list-role-tags", "--role-name", "tagged"]).json
        #expect(all?.strings("Tags", "Key") == ["B", "a"])
        let paged = try server.aws(["iam", "list-role-tags", "--role-name", "tagged", "--page-size", "1"])
        #expect(paged.json?.strings("Tags", "Key") == ["B", "a"], "\(paged.stderr)")
    }

    @Test("role tags: keys are unique without regard to case, listed by key, and untag removes them")
    func roleTags() throws {
        let server = try GatehouseProcess()
        try server.createRole("tagged")
        let duplicate = try server.aws(["iam", "tag-role", "--role-name", "tagged", "--tags", "Key=env,Value=a", "Key=ENV,Value=b"])
        #expect(duplicate.errorCode == "InvalidInput")
        #expect(duplicate.errorMessage == "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
        #expect(try server.iam("ListRoleTags", ["RoleName": "tagged"]).values("Key").isEmpty)
        try server.iamOK("TagRole", ["RoleName": "tagged", "Tags.member.1.Key": "b", "Tags.member.1.Value": "2", "Tags.member.2.Key": "a", "Tags.member.2.Value": "1"])
        #expect(try server.aws(["iam", "list-role-tags", "--role-name", "tagged"]).json?["Tags"] == json(#"[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]"#))
        try server.iamOK("UntagRole", ["RoleName": "tagged", "TagKeys.member.1": "a"])
        #expect(try server.iam("ListRoleTags", ["RoleName": "tagged"]).values("Key") == ["b"])
    }
}
