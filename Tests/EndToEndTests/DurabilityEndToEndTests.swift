import Foundation
import JSON
import Testing

/// State lives in the data directory: an acknowledged write survives a clean
/// stop and a kill -9.
@Suite("Durability, end to end")
struct DurabilityEndToEndTests {
    @Test("a role, its policies and a user's key survive the server being stopped (SIGTERM, or kill -9) and restarted on the same data directory",
          arguments: [SIGTERM, SIGKILL])
    func survivesRestart(signal: Int32) throws {
        let first = try GatehouseProcess()
        try withExtendedLifetime(first) {
            let created = try first.aws(["iam", "create-role", "--role-name", "durable", "--path", "/keep/", "--assume-role-policy-document", Doc.ec2Trust])
            #expect(created.succeeded, "\(created.stderr)")
            let roleId = created.json?["Role"]?["RoleId"]?.stringValue
            let policy = try first.createPolicy("kept-policy")
            try first.iamOK("AttachRolePolicy", ["RoleName": "durable", "PolicyArn": policy])
            try first.iamOK("PutRolePolicy", ["RoleName": "durable", "PolicyName": "inline", "PolicyDocument": Doc.allow()])
            try first.createUser("dev")
            let key = try first.createAccessKey("dev")
            // The last write is acknowledged, then the process dies.
            try first.iamOK("TagRole", ["RoleName": "durable", "Tags.member.1.Key": "last", "Tags.member.1.Value": "write"])
            first.stop(signal: signal)
            #expect(!first.process.isRunning)

            let second = try GatehouseProcess(dataDirectory: first.dataDirectory)
            let role = try #require(try second.aws(["iam", "get-role", "--role-name", "durable"]).json?["Role"])
            #expect(role["RoleId"]?.stringValue == roleId)
            #expect(role["Arn"]?.stringValue == "arn:aws:iam::\(account):role/keep/durable")
            #expect(role["AssumeRolePolicyDocument"] == json(Doc.ec2Trust))
            #expect(role["Tags"] == json(#"[{"Key":"last","Value":"write"}]"#))
            #expect(try second.iam("ListAttachedRolePolicies", ["RoleName": "durable"]).values("PolicyArn") == [policy])
            #expect(try second.iam("ListRolePolicies", ["RoleName": "durable"]).values("member") == ["inline"])
            let caller = try second.query(["Action": "GetCallerIdentity", "Version": "2011-06-15"], service: "sts", accessKey: key.id, secret: key.secret)
            #expect(caller.value("Arn") == "arn:aws:iam::\(account):user/dev", "\(caller)")
            // And it keeps working: the name is still taken, new writes land.
            #expect(try second.iam("CreateRole", ["RoleName": "durable", "AssumeRolePolicyDocument": Doc.ec2Trust]).status == 409)
            try second.createRole("after-restart")
            second.stop()
        }
    }
}
