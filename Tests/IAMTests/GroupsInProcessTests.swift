import GatehouseTesting
import Testing

/// IAM groups and their members dispatched in process.
@Suite("Groups, in process")
struct GroupsInProcessTests {
    static let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#

    @Test("ListGroups pages by name ignoring case across a deletion and filters by path prefix")
    func listGroupsPages() async throws {
        let world = try TestWorld()
        for (name, path) in [("b", "/"), ("A", "/eng/"), ("c", "/"), ("D", "/eng/")] {
            #expect(try await world.iam("CreateGroup", ["GroupName": name, "Path": path]).status == 200)
        }
        let first = try await world.iam("ListGroups", ["MaxItems": "2"])
        #expect(first.values("GroupName") == ["A", "b"])
        #expect(try await world.iam("DeleteGroup", ["GroupName": "b"]).status == 200)
        let second = try await world.iam("ListGroups", ["MaxItems": "2", "Marker": try #require(first.value("Marker"))])
        #expect(second.values("GroupName") == ["c", "D"])
        #expect(second.value("IsTruncated") == "false")
        let eng = try await world.iam("ListGroups", ["PathPrefix": "/eng/"])
        #expect(eng.values("GroupName") == ["A", "D"])
        #expect(eng.values("Arn") == ["arn:aws:iam::000000000000:group/eng/A", "arn:aws:iam::000000000000:group/eng/D"])
    }

    @Test("GetGroup pages its members by name ignoring case; a member removed meanwhile shifts no page")
    func getGroupPagesMembers() async throws {
        let world = try TestWorld()
        #expect(try await world.iam("CreateGroup", ["GroupName": "devs"]).status == 200)
        for name in ["b", "A", "c", "D", "e", "outsider"] {
            #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200)
            if name != "outsider" {
                #expect(try await world.iam("AddUserToGroup", ["GroupName": "devs", "UserName": name]).status == 200)
            }
        }
        // Adding a member again succeeds and lists it once.
        #expect(try await world.iam("AddUserToGroup", ["GroupName": "devs", "UserName": "A"]).status == 200)
        let first = try await world.iam("GetGroup", ["GroupName": "devs", "MaxItems": "2"])
        #expect(first.value("GroupName") == "devs")
        #expect(first.values("UserName") == ["A", "b"])
        #expect(first.value("IsTruncated") == "true")
        #expect(try await world.iam("RemoveUserFromGroup", ["GroupName": "devs", "UserName": "A"]).status == 200)
        let second = try await world.iam("GetGroup", ["GroupName": "devs", "MaxItems": "2", "Marker": try #require(first.value("Marker"))])
        #expect(second.values("UserName") == ["c", "D"])
        let third = try await world.iam("GetGroup", ["GroupName": "devs", "Marker": try #require(second.value("Marker"))])
        #expect(third.values("UserName") == ["e"])
        #expect(third.value("IsTruncated") == "false")
    }

    @Test("ListGroupsForUser pages the user's groups by name ignoring case; a user is in at most 10 groups")
    func groupsForUser() async throws {
        let world = try TestWorld()
        #expect(try await world.iam("CreateUser", ["UserName": "bob"]).status == 200)
        let names = ["g08", "G01", "g05", "G10", "g03", "g02", "G07", "g04", "g09", "g06", "g11"]
        for name in names {
            #expect(try await world.iam("CreateGroup", ["GroupName": name]).status == 200)
        }
        for name in names.dropLast() {
            #expect(try await world.iam("AddUserToGroup", ["GroupName": name, "UserName": "bob"]).status == 200)
        }
        let over = try await world.iam("AddUserToGroup", ["GroupName": "g11", "UserName": "bob"])
        #expect(over.status == 409)
        #expect(over.errorCode == "LimitExceeded")
        #expect(over.errorMessage == "Cannot exceed quota for GroupsPerUser: 10")

        var listed: [String] = []
        var marker: String?
        repeat {
            var parameters = ["UserName": "bob", "MaxItems": "3"]
            parameters["Marker"] = marker
            let page = try await world.iam("ListGroupsForUser", parameters)
            #expect(page.status == 200, "\(page)")
            listed += page.values("GroupName")
            marker = page.value("Marker")
        } while marker != nil
        #expect(listed == ["G01", "g02", "g03", "g04", "g05", "g06", "G07", "g08", "g09", "G10"])
    }

    @Test("removing a non-member succeeds; a missing user is reported before a missing group")
    func removal() async throws {
        let world = try TestWorld()
        #expect(try await world.iam("CreateGroup", ["GroupName": "devs"]).status == 200)
        #expect(try await world.iam("CreateUser", ["UserName": "bob"]).status == 200)
        #expect(try await world.iam("RemoveUserFromGroup", ["GroupName": "devs", "UserName": "bob"]).status == 200)
        let both = try await world.iam("RemoveUserFromGroup", ["GroupName": "ghost-group", "UserName": "ghost-user"])
        #expect(both.status == 404)
        #expect(both.errorCode == "NoSuchEntity")
        #expect(both.errorMessage == "The user with name ghost-user cannot be found.")
        let group = try await world.iam("AddUserToGroup", ["GroupName": "ghost-group", "UserName": "bob"])
        #expect(group.status == 404)
        #expect(group.errorMessage == "The group with name ghost-group cannot be found.")
        #expect(try await world.iam("ListGroupsForUser", ["UserName": "bob"]).values("GroupName").isEmpty)
    }

    @Test("a group with members, attached or inline policies cannot be deleted, in that order")
    func deleteConflicts() async throws {
        let world = try TestWorld()
        #expect(try await world.iam("CreateGroup", ["GroupName": "g"]).status == 200)
        #expect(try await world.iam("CreateUser", ["UserName": "u"]).status == 200)
        #expect(try await world.iam("AddUserToGroup", ["GroupName": "g", "UserName": "u"]).status == 200)
        let readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        #expect(try await world.iam("AttachGroupPolicy", ["GroupName": "g", "PolicyArn": readOnly]).status == 200)
        #expect(try await world.iam("PutGroupPolicy", ["GroupName": "g", "PolicyName": "inline", "PolicyDocument": Self.document]).status == 200)

        let steps: [(message: String, clear: (String, [String: String]))] = [
            ("Cannot delete entity, must remove users from group first.", ("RemoveUserFromGroup", ["GroupName": "g", "UserName": "u"])),
            ("Cannot delete entity, must detach all policies first.", ("DetachGroupPolicy", ["GroupName": "g", "PolicyArn": readOnly])),
            ("Cannot delete entity, must delete policies first.", ("DeleteGroupPolicy", ["GroupName": "g", "PolicyName": "inline"])),
        ]
        for step in steps {
            let refused = try await world.iam("DeleteGroup", ["GroupName": "g"])
            #expect(refused.status == 409)
            #expect(refused.errorCode == "DeleteConflict")
            #expect(refused.errorMessage == step.message)
            #expect(try await world.iam(step.clear.0, step.clear.1).status == 200)
        }
        #expect(try await world.iam("DeleteGroup", ["GroupName": "g"]).status == 200)
        #expect(try await world.iam("GetGroup", ["GroupName": "g"]).errorCode == "NoSuchEntity")
    }

    @Test("renaming a group to a taken name in any case is EntityAlreadyExists; a refused caller changes nothing")
    func renameAndRefusal() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("intern", in: world)
        for name in ["old", "other"] { #expect(try await world.iam("CreateGroup", ["GroupName": name]).status == 200) }
        let taken = try await world.iam("UpdateGroup", ["GroupName": "old", "NewGroupName": "OTHER"])
        #expect(taken.status == 409)
        #expect(taken.errorMessage == "Group with name OTHER already exists.")
        let refused = try await world.iam("UpdateGroup", ["GroupName": "old", "NewGroupName": "new"], as: key)
        #expect(refused.status == 403)
        #expect(refused.errorMessage == "User: arn:aws:iam::000000000000:user/intern is not authorized to perform: iam:UpdateGroup on resource: group old because no identity-based policy allows the iam:UpdateGroup action")
        #expect(try await world.iam("ListGroups").values("GroupName") == ["old", "other"])
        #expect(try await world.iam("UpdateGroup", ["GroupName": "old", "NewGroupName": "new", "NewPath": "/eng/"]).status == 200)
        #expect(try await world.iam("GetGroup", ["GroupName": "new"]).value("Arn") == "arn:aws:iam::000000000000:group/eng/new")
    }
}
