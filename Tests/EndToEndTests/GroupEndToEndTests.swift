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

    @Test("removing a user who is not a member succeeds; a missing user is reported before a missing group")
    func removal() throws {
        let server = try GatehouseProcess()
        try server.createGroup("devs")
        try server.createUser("bob")
        let nonMember = try server.aws(["iam", "remove-user-from-group", "--group-name", "devs", "--user-name", "bob"])
        #expect(nonMember.succeeded, "\(nonMember.stderr)")
        let both = try server.aws(["iam", "remove-user-from-group", "--group-name", "ghost-group", "--user-name", "ghost-user"])
        #expect(both.errorCode == "NoSuchEntity")
        #expect(both.errorMessage == "The user with name ghost-user cannot be found.")
        let group = try server.iam("AddUserToGroup", ["GroupName": "ghost-group", "UserName": "bob"])
        #expect(group.status == 404)
        #expect(group.errorMessage == "The group with name ghost-group cannot be found.")
        #expect(try server.iam("ListGroupsForUser", ["UserName": "bob"]).values("GroupName").isEmpty)
    }

    @Test("a group with members, attached or inline policies cannot be deleted")
    func deleteConflicts() throws {
        let server = try GatehouseProcess()
        try server.createGroup("g")
        try server.createUser("u")
        try server.iamOK("AddUserToGroup", ["GroupName": "g", "UserName": "u"])
        try server.iamOK("AttachGroupPolicy", ["GroupName": "g", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"])
        try server.iamOK("PutGroupPolicy", ["GroupName": "g", "PolicyName": "inline", "PolicyDocument": Doc.allow()])

        let members = try server.aws(["iam", "delete-group", "--group-name", "g"])
        #expect(members.errorCode == "DeleteConflict")
        #expect(members.errorMessage == "Cannot delete entity, must remove users from group first.")
        try server.iamOK("RemoveUserFromGroup", ["GroupName": "g", "UserName": "u"])
        let result = try server.iam("DeleteGroup", ["GroupName": "g"])
        #expect(result.status == 409)
        #expect(result.errorCode == "DeleteConflict")
        #expect(result.errorMessage == "Cannot delete entity, must detach all policies first.")
        try server.iamOK("DetachGroupPolicy", ["GroupName": "g", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"])
        let inline = try server.iam("DeleteGroup", ["GroupName": "g"])
        #expect(inline.status == 409)
        #expect(inline.errorMessage == "Cannot delete entity, must delete policies first.")
        try server.iamOK("DeleteGroupPolicy", ["GroupName": "g", "PolicyName": "inline"])
        #expect(try server.aws(["iam", "delete-group", "--group-name", "g"]).succeeded)
        #expect(try server.iam("GetGroup", ["GroupName": "g"]).status == 404)
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
