import Foundation
import JSON
import Testing

/// IAM groups and their members.
@Suite("Groups, end to end")
struct GroupEndToEndTests {
    @Test("create-group returns the path, ARN and an AGPA id; a taken name in any case is EntityAlreadyExists")
    func createGroup() throws {
        let server = try GatehouseProcess()
        let created = try server.aws(["iam", "create-group", "--group-name", "Devs", "--path", "/eng/"])
        let group = try #require(created.json?["Group"], "\(created.stderr)")
        #expect(group["Arn"]?.stringValue == "arn:aws:iam::\(account):group/eng/Devs")
        let id = try #require(group["GroupId"]?.stringValue)
        #expect(id.hasPrefix("AGPA") && id.count == 21, "\(id)")
        let again = try server.aws(["iam", "create-group", "--group-name", "devs"])
        #expect(again.errorCode == "EntityAlreadyExists")
        #expect(again.errorMessage == "Group with name devs already exists.")
        let missing = try server.iam("GetGroup", ["GroupName": "ghost"])
        #expect(missing.status == 404)
        #expect(missing.errorMessage == "The group with name ghost cannot be found.")
    }

    @Test("adding a member twice is idempotent; get-group lists members and list-groups-for-user the groups")
    func membership() throws {
        let server = try GatehouseProcess()
        try server.createGroup("devs")
        try server.createGroup("Admins")
        try server.createUser("bob")
        try server.createUser("alice")
        let added = try server.aws(["iam", "add-user-to-group", "--group-name", "devs", "--user-name", "bob"])
        #expect(added.succeeded, "\(added.stderr)")
        #expect(try server.iam("AddUserToGroup", ["GroupName": "devs", "UserName": "bob"]).status == 200)
        try server.iamOK("AddUserToGroup", ["GroupName": "devs", "UserName": "alice"])
        try server.iamOK("AddUserToGroup", ["GroupName": "Admins", "UserName": "bob"])
        let got = try #require(try server.aws(["iam", "get-group", "--group-name", "devs"]).json)
        #expect(got.strings("Users", "UserName") == ["alice", "bob"])
        #expect(got["Group"]?["GroupName"]?.stringValue == "devs")
        let groups = try server.aws(["iam", "list-groups-for-user", "--user-name", "bob"]).json
        #expect(groups?.strings("Groups", "GroupName") == ["Admins", "devs"])
    }

    @Test("update-group renames a group; list-groups filters by path prefix")
    func renameAndList() throws {
        let server = try GatehouseProcess()
        try server.createGroup("old", path: "/eng/")
        try server.createGroup("other")
        try server.iamOK("UpdateGroup", ["GroupName": "old", "NewGroupName": "new"])
        let eng = try server.aws(["iam", "list-groups", "--path-prefix", "/eng/"]).json
        #expect(eng?.strings("Groups", "GroupName") == ["new"])
        #expect(eng?.strings("Groups", "Arn") == ["arn:aws:iam::\(account):group/eng/new"])
        let taken = try server.iam("UpdateGroup", ["GroupName": "new", "NewGroupName": "OTHER"])
        #expect(taken.status == 409)
        #expect(taken.errorMessage == "Group with name OTHER already exists.")
    }
}
