import GatehouseTesting
import AWSShapes
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

    /// AWS's answers recorded in LocalStack's test_sts TestSTSAssumeRoleTagging (10-04-2025; docs/research/fidelity-issue18.md §7).
    @Test("transitive tag keys must be among the request's tags (without regard to case); a chained session may not set one its caller passes on")
    func transitiveTags() async throws {
        let world = try TestWorld()
        let assumeAndTag = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession"],"Resource":"*"}]}"#
        let key = try await Self.user("dev", policy: assumeAndTag, in: world)
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#
        #expect(try await world.iam("CreateRole", ["RoleName": "tagged", "AssumeRolePolicyDocument": trust]).status == 200)
        #expect(try await world.iam("PutRolePolicy", ["RoleName": "tagged", "PolicyName": "chain", "PolicyDocument": assumeAndTag]).status == 200)
        let role = ["RoleArn": "arn:aws:iam::000000000000:role/tagged", "RoleSessionName": "first"]
        let missing = try await world.sts("AssumeRole", role.merging([
            "Tags.member.1.Key": "Team", "Tags.member.1.Value": "a", "TransitiveTagKeys.member.1": "Project",
        ]) { $1 }, as: key)
        #expect(missing.status == 400)
        #expect(missing.errorCode == "InvalidParameterValue")
        #expect(missing.errorMessage == "The specified transitive tag key must be included in the requested tags.")
        let first = try await world.sts("AssumeRole", role.merging([
            "Tags.member.1.Key": "SessionTag1", "Tags.member.1.Value": "a", "TransitiveTagKeys.member.1": "sessiontag1",
        ]) { $1 }, as: key)
        #expect(first.status == 200, "\(first)")
        let session = try #require(first.value("AccessKeyId"))
        let chained = try await world.sts("AssumeRole", role.merging([
            "RoleSessionName": "again", "Tags.member.1.Key": "SESSIONTAG1", "Tags.member.1.Value": "b",
        ]) { $1 }, as: session)
        #expect(chained.status == 400)
        #expect(chained.errorCode == "InvalidParameterValue")
        #expect(chained.errorMessage?.replacingOccurrences(of: "&apos;", with: "'") == "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
        #expect(try await world.sts("AssumeRole", role.merging(["RoleSessionName": "plain"]) { $1 }, as: session).status == 200)
    }

    @Test("GetFederationToken answers PackedPolicySize 0 when no session policy was passed")
    func federationPackedSize() async throws {
        let world = try TestWorld()
        let allow = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"*"}]}"#
        let key = try await Self.user("dev", policy: allow, in: world)
        let token = try await world.sts("GetFederationToken", ["Name": "TestName", "DurationSeconds": "900"], as: key)
        #expect(token.status == 200, "\(token)")
        #expect(token.value("PackedPolicySize") == "0")
    }

    @Test("the root user may call GetFederationToken: the federated user may do what the session policy allows, for at most an hour")
    func rootFederation() async throws {
        let world = try TestWorld()
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#
        let token = try await world.sts("GetFederationToken", ["Name": "rooted", "DurationSeconds": "7200", "Policy": policy])
        #expect(token.status == 200, "\(token)")
        #expect(token.value("Arn") == "arn:aws:sts::000000000000:federated-user/rooted")
        let expires = try #require(token.value("Expiration"))
        #expect(expires == Timestamp(secondsSince1970: world.clock.now().secondsSince1970 + 3600).iso8601, "capped at one hour")
        let key = try #require(token.value("AccessKeyId"))
        let me = try await world.sts("GetCallerIdentity", as: key)
        #expect(me.value("Arn") == "arn:aws:sts::000000000000:federated-user/rooted")
        #expect(try await world.iam("ListUsers", as: key).status == 200)
        let refused = try await world.iam("ListRoles", as: key)
        #expect(refused.errorCode == "AccessDenied")
        // Without a session policy, the federated user may do nothing.
        let bare = try #require(try await world.sts("GetFederationToken", ["Name": "bare"]).value("AccessKeyId"))
        #expect(try await world.iam("ListUsers", as: bare).errorCode == "AccessDenied")
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
