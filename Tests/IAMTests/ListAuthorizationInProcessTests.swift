import GatehouseTesting
import Testing

/// IAM List operations are authorized on a resource of the listed kind under
/// the requested path, as AWS's denials name it (docs/research/fidelity-issue18.md §13).
@Suite("List authorization, in process")
struct ListAuthorizationInProcessTests {
    static let account = "000000000000"

    static func user(_ name: String, allowing action: String, on resource: String, in world: TestWorld) async throws -> String {
        let key = try await IAMInProcessTests.user(name, in: world)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(action)","Resource":"\#(resource)"}]}"#
        try await world.iamOK("PutUserPolicy", ["UserName": name, "PolicyName": "list", "PolicyDocument": policy])
        return key
    }

    static func denial(_ caller: String, _ action: String, _ resource: String) -> String {
        "User: arn:aws:iam::000000000000:user/\(caller) is not authorized to perform: iam:\(action) on resource: \(resource) because no identity-based policy allows the iam:\(action) action"
    }

    @Test("a policy on user/* allows ListUsers, with and without a PathPrefix")
    func usersScopedPolicy() async throws {
        let world = try TestWorld()
        try await world.iamOK("CreateUser", ["UserName": "ops", "Path": "/division_abc/"])
        let key = try await Self.user("lister", allowing: "iam:ListUsers", on: "arn:aws:iam::\(Self.account):user/*", in: world)
        let all = try await world.iam("ListUsers", [:], as: key)
        #expect(all.status == 200, "\(all)")
        #expect(all.values("UserName").contains("ops"))
        let division = try await world.iam("ListUsers", ["PathPrefix": "/division_abc/"], as: key)
        #expect(division.values("UserName") == ["ops"])
    }

    @Test("a policy on one path allows listing under it and is refused elsewhere, the denial naming user/ and the path")
    func usersPathPolicy() async throws {
        let world = try TestWorld()
        let key = try await Self.user("lister", allowing: "iam:ListUsers", on: "arn:aws:iam::\(Self.account):user/division_abc/*", in: world)
        #expect(try await world.iam("ListUsers", ["PathPrefix": "/division_abc/"], as: key).status == 200)
        let everyone = try await world.iam("ListUsers", [:], as: key)
        #expect(everyone.status == 403)
        #expect(everyone.errorMessage == Self.denial("lister", "ListUsers", "arn:aws:iam::000000000000:user/"))
        let other = try await world.iam("ListUsers", ["PathPrefix": "/other/"], as: key)
        #expect(other.errorMessage == Self.denial("lister", "ListUsers", "arn:aws:iam::000000000000:user/other/"))
    }

    @Test("each List operation's denial names its kind of resource, policies as 'policy path'")
    func denialsNameTheListedKind() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("nobody", in: world)
        let cases: [(String, [String: String], String)] = [
            ("ListRoles", [:], "arn:aws:iam::000000000000:role/"),
            ("ListGroups", ["PathPrefix": "/team/"], "arn:aws:iam::000000000000:group/team/"),
            ("ListInstanceProfiles", ["PathPrefix": "/karpenter/"], "arn:aws:iam::000000000000:instance-profile/karpenter/"),
            ("ListServerCertificates", [:], "arn:aws:iam::000000000000:server-certificate/"),
            ("ListVirtualMFADevices", [:], "arn:aws:iam::000000000000:mfa/"),
            ("ListOpenIDConnectProviders", [:], "arn:aws:iam::000000000000:oidc-provider/*"),
            ("ListPolicies", [:], "policy path /"),
            ("ListPolicies", ["PathPrefix": "/team/"], "policy path /team/"),
            ("ListAccountAliases", [:], "*"),
        ]
        for (action, parameters, resource) in cases {
            let refused = try await world.iam(action, parameters, as: key)
            #expect(refused.status == 403, "\(action)")
            #expect(refused.errorMessage == Self.denial("nobody", action, resource))
        }
    }

    @Test("ListRoles, ListGroups, ListInstanceProfiles and ListPolicies are allowed by a policy on their kind of resource")
    func kindScopedPolicies() async throws {
        let world = try TestWorld()
        for (action, kind) in [("ListRoles", "role"), ("ListGroups", "group"), ("ListInstanceProfiles", "instance-profile"), ("ListPolicies", "policy")] {
            let key = try await Self.user("lister-\(kind)", allowing: "iam:\(action)", on: "arn:aws:iam::\(Self.account):\(kind)/*", in: world)
            let listed = try await world.iam(action, [:], as: key)
            #expect(listed.status == 200, "\(action): \(listed)")
        }
    }

    @Test("without a UserName an IAM user is asked about itself: its own ARN is authorized, and the denial reads 'user null' and its name")
    func callerWithoutUserName() async throws {
        let world = try TestWorld()
        let key = try await Self.user(
            "self", allowing: "iam:ListAccessKeys", on: "arn:aws:iam::\(Self.account):user/${aws:username}", in: world)
        let own = try await world.iam("ListAccessKeys", [:], as: key)
        #expect(own.status == 200, "\(own)")
        #expect(own.value("UserName") == "self")
        let refused = try await world.iam("ListMFADevices", [:], as: key)
        #expect(refused.status == 403)
        #expect(refused.errorMessage == Self.denial("self", "ListMFADevices", "user nullself"))
        let named = try await world.iam("ListMFADevices", ["UserName": "self"], as: key)
        #expect(named.errorMessage == Self.denial("self", "ListMFADevices", "user self"))
    }
}
