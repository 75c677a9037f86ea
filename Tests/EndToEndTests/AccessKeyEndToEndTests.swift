import Foundation
import JSON
import Testing

/// Access keys of IAM users: their shape, quota, status, and that the server
/// honours a change on the very next request.
@Suite("Access keys, end to end")
struct AccessKeyEndToEndTests {
    @Test("create-access-key returns a 20-character AKIA id, a 40-character secret and status Active, and the key signs as the user")
    func createKey() throws {
        let server = try GatehouseProcess()
        try server.createUser("dev")
        let created = try server.aws(["iam", "create-access-key", "--user-name", "dev"])
        let key = try #require(created.json?["AccessKey"], "\(created.stderr)")
        let id = try #require(key["AccessKeyId"]?.stringValue)
        let secret = try #require(key["SecretAccessKey"]?.stringValue)
        #expect(id.hasPrefix("AKIA") && id.count == 20, "\(id)")
        #expect(id.allSatisfy { $0.isUppercase || ("2"..."7").contains($0) }, "\(id)")
        #expect(secret.count == 40, "\(secret)")
        #expect(key["Status"]?.stringValue == "Active")
        #expect(key["UserName"]?.stringValue == "dev")
        #expect(key["CreateDate"]?.stringValue != nil)

        let caller = try server.aws(["sts", "get-caller-identity"], accessKey: id, secret: secret)
        #expect(caller.json?["Arn"]?.stringValue == "arn:aws:iam::\(account):user/dev", "\(caller.stderr)")
        #expect(caller.json?["UserId"]?.stringValue?.hasPrefix("AIDA") == true)
        let listed = try server.aws(["iam", "list-access-keys", "--user-name", "dev"]).json?["AccessKeyMetadata"]
        #expect(listed == .array([.object(JSONObject([
            ("UserName", .string("dev")), ("AccessKeyId", .string(id)), ("Status", .string("Active")),
            ("CreateDate", key["CreateDate"] ?? .null),
        ]))]))
    }

    @Test("list-access-keys pages through both keys whatever their ids")
    func paging() throws {
        let server = try GatehouseProcess()
        try server.createUser("dev")
        // Keys are listed oldest first; make the newer key's id sort before the older one's.
        // Keeping the larger id each round (rather than retrying against a fixed
        // first key, which may sort near the bottom) makes each round at least
        // an even chance, whatever ids come up.
        var first = try server.createAccessKey("dev")
        var second = try server.createAccessKey("dev")
        for _ in 0..<40 where second.id > first.id {
            try server.iamOK("DeleteAccessKey", ["UserName": "dev", "AccessKeyId": first.id])
            first = second
            second = try server.createAccessKey("dev")
        }
        try #require(second.id < first.id)
        #expect(Set(try server.iam("ListAccessKeys", ["UserName": "dev"]).values("AccessKeyId")) == [first.id, second.id])
        let paged = try server.aws(["iam", "list-access-keys", "--user-name", "dev", "--page-size", "1"])
        #expect(Set(paged.json?.strings("AccessKeyMetadata", "AccessKeyId") ?? []) == [first.id, second.id], "\(paged.stderr)")
    }

    @Test("an inactive key is refused with InvalidClientTokenId on the next request, and works again once reactivated")
    func inactiveKey() throws {
        let server = try GatehouseProcess()
        try server.createUser("dev")
        let key = try server.createAccessKey("dev")
        #expect(try server.aws(["sts", "get-caller-identity"], accessKey: key.id, secret: key.secret).succeeded)

        #expect(try server.aws(["iam", "update-access-key", "--user-name", "dev", "--access-key-id", key.id, "--status", "Inactive"]).succeeded)
        #expect(try server.iam("ListAccessKeys", ["UserName": "dev"]).value("Status") == "Inactive")
        let refused = try server.aws(["sts", "get-caller-identity"], accessKey: key.id, secret: key.secret)
        #expect(refused.errorCode == "InvalidClientTokenId")
        #expect(refused.errorMessage == "The security token included in the request is invalid.")
        let raw = try server.query(["Action": "GetCallerIdentity", "Version": "2011-06-15"], service: "sts", accessKey: key.id, secret: key.secret)
        #expect(raw.status == 403)

        try server.iamOK("UpdateAccessKey", ["UserName": "dev", "AccessKeyId": key.id, "Status": "Active"])
        #expect(try server.query(["Action": "GetCallerIdentity", "Version": "2011-06-15"], service: "sts", accessKey: key.id, secret: key.secret).status == 200)
    }

    @Test("a deleted key is refused with InvalidClientTokenId; deleting or updating a missing key is NoSuchEntity")
    func deletedKey() throws {
        let server = try GatehouseProcess()
        try server.createUser("dev")
        let key = try server.createAccessKey("dev")
        let deleted = try server.aws(["iam", "delete-access-key", "--user-name", "dev", "--access-key-id", key.id])
        #expect(deleted.succeeded, "\(deleted.stderr)")
        let refused = try server.aws(["iam", "list-roles"], accessKey: key.id, secret: key.secret)
        #expect(refused.errorCode == "InvalidClientTokenId")
        #expect(try server.iam("ListAccessKeys", ["UserName": "dev"]).values("AccessKeyId").isEmpty)

        let again = try server.iam("DeleteAccessKey", ["UserName": "dev", "AccessKeyId": key.id])
        #expect(again.status == 404)
        #expect(again.errorMessage == "The Access Key with id \(key.id) cannot be found.")
        let update = try server.iam("UpdateAccessKey", ["UserName": "dev", "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Status": "Inactive"])
        #expect(update.status == 404)
        #expect(update.errorMessage == "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.")
    }
}
