import GatehouseTesting
import Testing

/// STS dispatched in process through the real services and authorizer.
@Suite("STS, in process")
struct STSInProcessTests {
    static func trust(_ principal: String) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(principal)"},"Action":"sts:AssumeRole"}]}"#
    }

    /// A user with an access key and an inline policy; returns the key id.
    static func user(_ name: String, policy: String? = nil, in world: TestWorld) async throws -> String {
        #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200)
        if let policy {
            #expect(try await world.iam("PutUserPolicy", ["UserName": name, "PolicyName": "p", "PolicyDocument": policy]).status == 200)
        }
        return try #require(try await world.iam("CreateAccessKey", ["UserName": name]).value("AccessKeyId"))
    }

    static let assumeAnything = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#

    @Test("a user the trust policy names assumes the role; the session is the role's, by name and id")
    func assume() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", policy: Self.assumeAnything, in: world)
        let role = try await world.iam(
            "CreateRole", ["RoleName": "deploy", "AssumeRolePolicyDocument": Self.trust("arn:aws:iam::000000000000:user/dev")])
        let roleId = try #require(role.value("RoleId"))
        let session = try await world.sts(
            "AssumeRole", ["RoleArn": "arn:aws:iam::000000000000:role/deploy", "RoleSessionName": "ci"], as: key)
        #expect(session.status == 200, "\(session)")
        #expect(session.value("Arn") == "arn:aws:sts::000000000000:assumed-role/deploy/ci")
        #expect(session.value("AssumedRoleId") == "\(roleId):ci")
        let sessionKey = try #require(session.value("AccessKeyId"))
        #expect(sessionKey.hasPrefix("ASIA"))
        let identity = try await world.sts("GetCallerIdentity", as: sessionKey)
        #expect(identity.value("Arn") == "arn:aws:sts::000000000000:assumed-role/deploy/ci")
        #expect(identity.value("UserId") == "\(roleId):ci")
    }

    @Test("a user the trust policy does not name is refused with STS's message, and no session is issued")
    func trustRefuses() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", policy: Self.assumeAnything, in: world)
        _ = try await Self.user("other", in: world)
        #expect(try await world.iam(
            "CreateRole", ["RoleName": "deploy", "AssumeRolePolicyDocument": Self.trust("arn:aws:iam::000000000000:user/other")]
        ).status == 200)
        let refused = try await world.sts(
            "AssumeRole", ["RoleArn": "arn:aws:iam::000000000000:role/deploy", "RoleSessionName": "ci"], as: key)
        #expect(refused.status == 403)
        #expect(refused.errorCode == "AccessDenied")
        #expect(refused.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/deploy")
        #expect(try await world.iam("GetRole", ["RoleName": "deploy"]).value("LastUsedDate") == nil)
    }

    @Test("a session's permissions follow its role: a policy detached from the role applies to the session's very next request")
    func sessionFollowsRole() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", policy: Self.assumeAnything, in: world)
        #expect(try await world.iam(
            "CreateRole", ["RoleName": "reader", "AssumeRolePolicyDocument": Self.trust("arn:aws:iam::000000000000:user/dev")]
        ).status == 200)
        let readOnly = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
        #expect(try await world.iam("AttachRolePolicy", ["RoleName": "reader", "PolicyArn": readOnly]).status == 200)
        let session = try await world.sts(
            "AssumeRole", ["RoleArn": "arn:aws:iam::000000000000:role/reader", "RoleSessionName": "session"], as: key)
        let sessionKey = try #require(session.value("AccessKeyId"))
        #expect(try await world.iam("ListRoles", as: sessionKey).status == 200)
        #expect(try await world.iam("DetachRolePolicy", ["RoleName": "reader", "PolicyArn": readOnly]).status == 200)
        #expect(try await world.iam("ListRoles", as: sessionKey).errorCode == "AccessDenied")
    }

    @Test("GetUser without a user name, from a role session, is IAM's ValidationError: a role session has no user")
    func getUserFromRoleSession() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", policy: Self.assumeAnything, in: world)
        #expect(try await world.iam(
            "CreateRole", ["RoleName": "admin", "AssumeRolePolicyDocument": Self.trust("arn:aws:iam::000000000000:user/dev")]
        ).status == 200)
        #expect(try await world.iam(
            "AttachRolePolicy", ["RoleName": "admin", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"]).status == 200)
        let session = try await world.sts(
            "AssumeRole", ["RoleArn": "arn:aws:iam::000000000000:role/admin", "RoleSessionName": "session"], as: key)
        let sessionKey = try #require(session.value("AccessKeyId"))
        let answer = try await world.iam("GetUser", as: sessionKey)
        #expect(answer.status == 400)
        #expect(answer.errorCode == "ValidationError")
        #expect(answer.errorMessage == "Must specify userName when calling with non-User credentials")
        #expect(try await world.iam("GetUser", ["UserName": "dev"], as: sessionKey).value("UserName") == "dev")
    }

    @Test("a deleted role's sessions stop working on their next request")
    func deletedRoleEndsSessions() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", policy: Self.assumeAnything, in: world)
        #expect(try await world.iam(
            "CreateRole", ["RoleName": "gone", "AssumeRolePolicyDocument": Self.trust("arn:aws:iam::000000000000:user/dev")]
        ).status == 200)
        let session = try await world.sts(
            "AssumeRole", ["RoleArn": "arn:aws:iam::000000000000:role/gone", "RoleSessionName": "session"], as: key)
        let sessionKey = try #require(session.value("AccessKeyId"))
        #expect(try await world.sts("GetCallerIdentity", as: sessionKey).status == 200)
        #expect(try await world.iam("DeleteRole", ["RoleName": "gone"]).status == 200)
        #expect(throws: TestWorld.UnknownKey.self) { try world.principal(sessionKey) }
    }

    @Test("GetSessionToken from a role session is refused; from a user it issues a session of that user")
    func sessionToken() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", policy: Self.assumeAnything, in: world)
        let token = try await world.sts("GetSessionToken", as: key)
        #expect(token.status == 200, "\(token)")
        let tokenKey = try #require(token.value("AccessKeyId"))
        #expect(try await world.sts("GetCallerIdentity", as: tokenKey).value("Arn") == "arn:aws:iam::000000000000:user/dev")
        let again = try await world.sts("GetSessionToken", as: tokenKey)
        #expect(again.errorCode == "AccessDenied", "\(again)")
    }

    @Test("GetAccessKeyInfo names the account of a key it issued, and refuses one it never did")
    func accessKeyInfo() async throws {
        let world = try TestWorld()
        let key = try await Self.user("dev", in: world)
        #expect(try await world.sts("GetAccessKeyInfo", ["AccessKeyId": key]).value("Account") == "000000000000")
        #expect(try await world.sts("GetAccessKeyInfo", ["AccessKeyId": "AKIAIOSFODNN7EXAMPLE"]).errorCode == "InvalidClientTokenId")
    }
}
