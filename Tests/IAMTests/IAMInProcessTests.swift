import GatehouseTesting
import Testing

/// IAM operations dispatched in process through the real services and
/// authorizer (GatehouseTesting), as the front door hands them on.
@Suite("IAM, in process")
struct IAMInProcessTests {
    static let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#

    /// A user with an access key and no policies; returns the key id.
    static func user(_ name: String, in world: TestWorld) async throws -> String {
        #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200)
        let key = try await world.iam("CreateAccessKey", ["UserName": name])
        return try #require(key.value("AccessKeyId"))
    }

    @Test("Create* answers its tags in the order given; List*Tags lists them by key", arguments: [
        ("CreateRole", ["RoleName": "tagged", "AssumeRolePolicyDocument": trust], "ListRoleTags", ["RoleName": "tagged"]),
        ("CreateUser", ["UserName": "tagged"], "ListUserTags", ["UserName": "tagged"]),
        ("CreateInstanceProfile", ["InstanceProfileName": "tagged"], "ListInstanceProfileTags", ["InstanceProfileName": "tagged"]),
        ("CreatePolicy", ["PolicyName": "tagged", "PolicyDocument": Docs.allow()], "ListPolicyTags",
         ["PolicyArn": "arn:aws:iam::000000000000:policy/tagged"]),
    ])
    func createdTagsInGivenOrder(create: String, parameters: [String: String], list: String, listParameters: [String: String]) async throws {
        let world = try TestWorld()
        var request = parameters
        for (index, key) in ["zeta", "Alpha", "mid"].enumerated() {
            request["Tags.member.\(index + 1).Key"] = key
            request["Tags.member.\(index + 1).Value"] = "v\(index)"
        }
        let created = try await world.iam(create, request)
        #expect(created.status == 200, "\(created)")
        #expect(created.values("Key") == ["zeta", "Alpha", "mid"])
        #expect(created.values("Value") == ["v0", "v1", "v2"])
        let listed = try await world.iam(list, listParameters)
        #expect(listed.values("Key") == ["Alpha", "mid", "zeta"])
    }

    @Test("a created role reads back; the same name again is EntityAlreadyExists (409) and changes nothing")
    func createRole() async throws {
        let world = try TestWorld()
        let created = try await world.iam("CreateRole", ["RoleName": "app", "AssumeRolePolicyDocument": Self.trust, "Description": "first"])
        #expect(created.status == 200, "\(created)")
        #expect(created.value("Arn") == "arn:aws:iam::000000000000:role/app")
        #expect(created.value("RoleId")?.hasPrefix("AROA") == true)

        let again = try await world.iam("CreateRole", ["RoleName": "APP", "AssumeRolePolicyDocument": Self.trust, "Description": "second"])
        #expect(again.status == 409)
        #expect(again.errorCode == "EntityAlreadyExists")
        #expect(again.errorMessage == "Role with name APP already exists.")
        let read = try await world.iam("GetRole", ["RoleName": "app"])
        #expect(read.value("Description") == "first")
    }

    @Test("a user without permissions is denied with IAM's message (the role named as IAM names it), and nothing is created")
    func denied() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        let refused = try await world.iam("CreateRole", ["RoleName": "app", "AssumeRolePolicyDocument": Self.trust], as: key)
        #expect(refused.status == 403)
        #expect(refused.errorCode == "AccessDenied")
        #expect(refused.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::000000000000:role/app because no identity-based policy allows the iam:CreateRole action")
        #expect(try await world.iam("GetRole", ["RoleName": "app"]).errorCode == "NoSuchEntity")
    }

    /// AWS's wording per action (docs/research/fidelity-issue18.md §3: CLI, Terraform and CloudTrail captures).
    @Test("denials name IAM resources as AWS does: full ARN for what Create* would make, `policy NAME` for CreatePolicy, `policy ARN` for a managed policy, `user NAME` for an existing user")
    func denialWording() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        let cases: [(String, [String: String], String)] = [
            ("CreatePolicy", ["PolicyName": "Mine", "PolicyDocument": Docs.allow()], "policy Mine"),
            ("GetPolicy", ["PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"], "policy arn:aws:iam::aws:policy/AdministratorAccess"),
            ("CreateUser", ["UserName": "new", "Path": "/team/"], "arn:aws:iam::000000000000:user/team/new"),
            ("CreateGroup", ["GroupName": "crew"], "arn:aws:iam::000000000000:group/crew"),
            ("CreateInstanceProfile", ["InstanceProfileName": "web"], "arn:aws:iam::000000000000:instance-profile/web"),
            ("GetUser", ["UserName": "dev2"], "user dev2"),
            ("GetGroup", ["GroupName": "crew"], "group crew"),
        ]
        for (action, parameters, resource) in cases {
            let refused = try await world.iam(action, parameters, as: key)
            #expect(refused.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: iam:\(action) on resource: \(resource) because no identity-based policy allows the iam:\(action) action", "\(action)")
        }
    }

    @Test("a policy attached to the user applies to its next request")
    func attachedPolicyApplies() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        #expect(try await world.iam("ListRoles", as: key).status == 403)
        let attached = try await world.iam(
            "AttachUserPolicy", ["UserName": "dev", "PolicyArn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        #expect(attached.status == 200, "\(attached)")
        #expect(try await world.iam("ListRoles", as: key).status == 200)
        #expect(try await world.iam("CreateRole", ["RoleName": "x", "AssumeRolePolicyDocument": Self.trust], as: key).status == 403)
    }

    @Test("GetCallerIdentity names the user the key belongs to")
    func callerIdentity() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        let identity = try await world.sts("GetCallerIdentity", as: key)
        #expect(identity.value("Arn") == "arn:aws:iam::000000000000:user/dev")
        #expect(identity.value("Account") == "000000000000")
    }

    @Test("identifiers are the same on every run")
    func deterministic() async throws {
        let first = try TestWorld(), second = try TestWorld()
        let a = try await first.iam("CreateUser", ["UserName": "u"]).value("UserId")
        let b = try await second.iam("CreateUser", ["UserName": "u"]).value("UserId")
        #expect(a != nil && a == b)
    }
}
