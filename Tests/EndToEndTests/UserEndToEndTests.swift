import Foundation
import JSON
import Testing

/// IAM users, driven with the real aws CLI.
@Suite("Users, end to end")
struct UserEndToEndTests {
    @Test("create-user and get-user return the path, ARN and an AIDA id; Tags only when the user has some")
    func createAndGet() throws {
        let server = try GatehouseProcess()
        let created = try server.aws(["iam", "create-user", "--user-name", "alice", "--path", "/dev/", "--tags", "Key=team,Value=blue"])
        let user = try #require(created.json?["User"], "\(created.stderr)")
        #expect(user["UserName"]?.stringValue == "alice")
        #expect(user["Path"]?.stringValue == "/dev/")
        #expect(user["Arn"]?.stringValue == "arn:aws:iam::\(account):user/dev/alice")
        let id = try #require(user["UserId"]?.stringValue)
        #expect(id.hasPrefix("AIDA") && id.count == 21, "\(id)")
        #expect(user["Tags"] == json(#"[{"Key":"team","Value":"blue"}]"#))

        try server.createUser("bob")
        let bob = try #require(try server.aws(["iam", "get-user", "--user-name", "bob"]).json?["User"])
        #expect(bob["Tags"] == nil)
        #expect(bob["PermissionsBoundary"] == nil)
        #expect(bob["PasswordLastUsed"] == nil)
        #expect(bob["Arn"]?.stringValue == "arn:aws:iam::\(account):user/bob")
    }

    @Test("get-user without a name, as the root user, describes the account root: its id and ARN, no user name or path")
    func rootGetUser() throws {
        let server = try GatehouseProcess()
        let result = try server.aws(["iam", "get-user"])
        let user = try #require(result.json?["User"], "\(result.stderr)")
        #expect(user["Arn"]?.stringValue == "arn:aws:iam::\(account):root")
        #expect(user["UserId"]?.stringValue == account)
        #expect(user["CreateDate"] != nil)
        // AWS leaves UserName and Path out for the root user (the raw GetUserResponse in
        // brendanhay/amazonka#102 and grycap/scar#181), though the model calls them required.
        #expect(user["UserName"] == nil)
        #expect(user["Path"] == nil)
    }

    @Test("a user without permissions is refused get-user of another user with AccessDenied, naming the user as IAM does")
    func accessDenied() throws {
        let server = try GatehouseProcess()
        try server.createUser("intern")
        try server.createUser("boss")
        let key = try server.createAccessKey("intern")
        let result = try server.aws(["iam", "get-user", "--user-name", "boss"], accessKey: key.id, secret: key.secret)
        #expect(result.errorCode == "AccessDenied", "\(result.stderr)")
        #expect(result.errorMessage == "User: arn:aws:iam::000000000000:user/intern is not authorized to perform: iam:GetUser on resource: user boss because no identity-based policy allows the iam:GetUser action")
    }

    @Test("user names are unique without regard to case; a missing user is NoSuchEntity with AWS's text")
    func duplicateAndMissing() throws {
        let server = try GatehouseProcess()
        try server.createUser("Carol")
        let again = try server.aws(["iam", "create-user", "--user-name", "carol"])
        #expect(again.errorCode == "EntityAlreadyExists")
        #expect(again.errorMessage == "User with name carol already exists.")
        #expect(try server.iam("CreateUser", ["UserName": "CAROL"]).status == 409)
        let missing = try server.aws(["iam", "get-user", "--user-name", "ghost"])
        #expect(missing.errorCode == "NoSuchEntity")
        #expect(missing.errorMessage == "The user with name ghost cannot be found.")
        for action in ["UpdateUser", "DeleteUser", "ListAttachedUserPolicies", "ListUserPolicies", "ListAccessKeys"] {
            let raw = try server.iam(action, ["UserName": "ghost"])
            #expect(raw.status == 404, "\(action)")
            #expect(raw.errorMessage == "The user with name ghost cannot be found.", "\(action)")
        }
        #expect(try server.iam("ListUsers").values("UserName") == ["Carol"])
    }

    @Test("update-user renames and moves a user: the old name is gone, the ARN follows, the id, keys and policies stay")
    func renameAndMove() throws {
        let server = try GatehouseProcess()
        try server.createUser("alice", path: "/dev/")
        let key = try server.createAccessKey("alice")
        try server.iamOK("PutUserPolicy", ["UserName": "alice", "PolicyName": "p", "PolicyDocument": Doc.allow()])
        let id = try server.iam("GetUser", ["UserName": "alice"]).value("UserId")

        let result = try server.aws(["iam", "update-user", "--user-name", "alice", "--new-user-name", "alice2", "--new-path", "/ops/"])
        #expect(result.succeeded, "\(result.stderr)")
        #expect(try server.iam("GetUser", ["UserName": "alice"]).status == 404)
        let user = try #require(try server.aws(["iam", "get-user", "--user-name", "alice2"]).json?["User"])
        #expect(user["Arn"]?.stringValue == "arn:aws:iam::\(account):user/ops/alice2")
        #expect(user["Path"]?.stringValue == "/ops/")
        #expect(user["UserId"]?.stringValue == id)
        #expect(try server.iam("ListAccessKeys", ["UserName": "alice2"]).values("AccessKeyId") == [key.id])
        #expect(try server.iam("ListUserPolicies", ["UserName": "alice2"]).values("member") == ["p"])
        // The key now signs as the renamed user.
        let caller = try server.aws(["sts", "get-caller-identity"], accessKey: key.id, secret: key.secret)
        #expect(caller.json?["Arn"]?.stringValue == "arn:aws:iam::\(account):user/ops/alice2", "\(caller.stderr)")
    }

    @Test("list-users lists by name ignoring case and filters by path prefix")
    func listUsers() throws {
        let server = try GatehouseProcess()
        try server.createUser("zed", path: "/eng/")
        try server.createUser("Amy", path: "/eng/ops/")
        try server.createUser("bea")
        let all = try server.aws(["iam", "list-users"]).json
        #expect(all?.strings("Users", "UserName") == ["Amy", "bea", "zed"])
        #expect(all?["Users"]?.arrayValue?.allSatisfy { $0["Tags"] == nil } == true)
        #expect(try server.iam("ListUsers", ["PathPrefix": "/eng/"]).values("UserName") == ["Amy", "zed"])
    }

    @Test("a user's permissions boundary shows in get-user and counts on the policy")
    func userBoundary() throws {
        let server = try GatehouseProcess()
        try server.createUser("u")
        let arn = try server.createPolicy("limit")
        #expect(try server.aws(["iam", "put-user-permissions-boundary", "--user-name", "u", "--permissions-boundary", arn]).succeeded)
        let user = try server.aws(["iam", "get-user", "--user-name", "u"]).json?["User"]
        #expect(user?["PermissionsBoundary"] == json(#"{"PermissionsBoundaryType":"Policy","PermissionsBoundaryArn":"\#(arn)"}"#))
        let missing = try server.iam("PutUserPermissionsBoundary", ["UserName": "u", "PermissionsBoundary": "arn:aws:iam::\(account):policy/ghost"])
        #expect(missing.status == 404)
        #expect(missing.errorMessage == "Scope ARN: arn:aws:iam::000000000000:policy/ghost does not exist or is not attachable.")
        #expect(try server.iam("GetUser", ["UserName": "u"]).value("PermissionsBoundaryArn") == arn)
    }
}
