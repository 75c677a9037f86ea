import GatehouseTesting
import Testing

/// IAM users dispatched in process: paging, refusals, deletion order, and
/// changes that apply on the very next request.
@Suite("Users, in process")
struct UsersInProcessTests {
    static let readOnly = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"

    @Test("ListUsers pages by name ignoring case; a user deleted meanwhile shifts no page; PathPrefix filters; a forged marker is refused")
    func listUsersPages() async throws {
        let world = try TestWorld()
        for (name, path) in [("b", "/"), ("A", "/eng/"), ("c", "/"), ("D", "/eng/ops/"), ("e", "/")] {
            #expect(try await world.iam("CreateUser", ["UserName": name, "Path": path]).status == 200)
        }
        let first = try await world.iam("ListUsers", ["MaxItems": "2"])
        #expect(first.values("UserName") == ["A", "b"])
        #expect(first.value("IsTruncated") == "true")
        let marker = try #require(first.value("Marker"))
        #expect(try await world.iam("DeleteUser", ["UserName": "b"]).status == 200)
        let second = try await world.iam("ListUsers", ["MaxItems": "2", "Marker": marker])
        #expect(second.values("UserName") == ["c", "D"])
        let third = try await world.iam("ListUsers", ["MaxItems": "2", "Marker": try #require(second.value("Marker"))])
        #expect(third.values("UserName") == ["e"])
        #expect(third.value("IsTruncated") == "false")
        #expect(third.value("Marker") == nil)

        #expect(try await world.iam("ListUsers", ["PathPrefix": "/eng/"]).values("UserName") == ["A", "D"])
        // Lists leave the boundary and tags out.
        #expect(try await world.iam("ListUsers").value("Tags") == nil)
        let forged = try await world.iam("ListUsers", ["Marker": "bm90IGEgbWFya2Vy"])
        #expect(forged.status == 400)
        #expect(forged.errorCode == "ValidationError")
        #expect(forged.errorMessage == "Invalid Marker.")
    }

    @Test("a user without permissions is refused with AccessDenied naming the user, before a missing one is reported, and nothing changes")
    func refusedChangesNothing() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("intern", in: world)
        #expect(try await world.iam("CreateUser", ["UserName": "boss", "Path": "/exec/"]).status == 200)

        let rename = try await world.iam("UpdateUser", ["UserName": "boss", "NewUserName": "intern2"], as: key)
        #expect(rename.status == 403)
        #expect(rename.errorCode == "AccessDenied")
        #expect(rename.errorMessage == "User: arn:aws:iam::000000000000:user/intern is not authorized to perform: iam:UpdateUser on resource: user boss because no identity-based policy allows the iam:UpdateUser action")
        #expect(try await world.iam("TagUser", ["UserName": "boss", "Tags.member.1.Key": "k", "Tags.member.1.Value": "v"], as: key).status == 403)
        #expect(try await world.iam("DeleteUser", ["UserName": "boss"], as: key).status == 403)
        let after = try await world.iam("GetUser", ["UserName": "boss"])
        #expect(after.value("Arn") == "arn:aws:iam::000000000000:user/exec/boss")
        #expect(after.values("Tags").isEmpty)
        #expect(try await world.iam("GetUser", ["UserName": "intern2"]).errorCode == "NoSuchEntity")

        // IAM authorizes before it says whether the user exists.
        let ghost = try await world.iam("DeleteUser", ["UserName": "ghost"], as: key)
        #expect(ghost.errorCode == "AccessDenied")
        let missing = try await world.iam("DeleteUser", ["UserName": "ghost"])
        #expect(missing.status == 404)
        #expect(missing.errorCode == "NoSuchEntity")
        #expect(missing.errorMessage == "The user with name ghost cannot be found.")
    }

    @Test("a tag on a user is a condition key of the very next request: aws:ResourceTag is read with the user")
    func resourceTagIsCurrent() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"a"}}}]}"#
        #expect(try await world.iam("PutUserPolicy", ["UserName": "dev", "PolicyName": "p", "PolicyDocument": policy]).status == 200)
        #expect(try await world.iam("CreateUser", ["UserName": "peer"]).status == 200)
        #expect(try await world.iam("GetUser", ["UserName": "peer"], as: key).errorCode == "AccessDenied")
        #expect(try await world.iam("TagUser", ["UserName": "peer", "Tags.member.1.Key": "team", "Tags.member.1.Value": "a"]).status == 200)
        #expect(try await world.iam("GetUser", ["UserName": "peer"], as: key).status == 200)
        #expect(try await world.iam("UntagUser", ["UserName": "peer", "TagKeys.member.1": "team"]).status == 200)
        #expect(try await world.iam("GetUser", ["UserName": "peer"], as: key).errorCode == "AccessDenied")
    }

    @Test("a warm GetUser is one transaction, and stays one after another user is tagged")
    func getUserIsOneTransaction() async throws {
        let world = try TestWorld()
        let key = try await RequestPathTests.admin("ops", in: world)
        for name in ["alice", "bob"] { #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200) }
        #expect(try await world.iam("GetUser", ["UserName": "alice"], as: key).status == 200)
        #expect(try await world.iam("TagUser", ["UserName": "bob", "Tags.member.1.Key": "k", "Tags.member.1.Value": "v"], as: key).status == 200)
        let count = try await RequestPathTests.transactions(in: world) {
            let read = try await world.iam("GetUser", ["UserName": "alice"], as: key)
            #expect(read.value("UserName") == "alice")
        }
        #expect(count == 1)
    }

    @Test("group membership applies on the very next request: joining a group grants its policy, leaving takes it away")
    func membershipApplies() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        #expect(try await world.iam("CreateGroup", ["GroupName": "readers"]).status == 200)
        #expect(try await world.iam("AttachGroupPolicy", ["GroupName": "readers", "PolicyArn": Self.readOnly]).status == 200)
        #expect(try await world.iam("ListUsers", as: key).status == 403)
        #expect(try await world.iam("AddUserToGroup", ["GroupName": "readers", "UserName": "dev"]).status == 200)
        #expect(try await world.iam("ListUsers", as: key).status == 200)
        #expect(try await world.iam("RemoveUserFromGroup", ["GroupName": "readers", "UserName": "dev"]).status == 200)
        #expect(try await world.iam("ListUsers", as: key).status == 403)
    }

    @Test("a permissions boundary applies on the very next request, and its removal too")
    func boundaryApplies() async throws {
        let world = try TestWorld()
        let key = try await RequestPathTests.admin("dev", in: world)
        #expect(try await world.iam("ListUsers", as: key).status == 200)
        let boundary = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
        #expect(try await world.iam("PutUserPermissionsBoundary", ["UserName": "dev", "PermissionsBoundary": boundary]).status == 200)
        #expect(try await world.iam("GetUser", ["UserName": "dev"]).value("PermissionsBoundaryArn") == boundary)
        #expect(try await world.iam("ListUsers", as: key).status == 403)
        #expect(try await world.iam("DeleteUserPermissionsBoundary", ["UserName": "dev"]).status == 200)
        #expect(try await world.iam("ListUsers", as: key).status == 200)
    }

    @Test("a renamed user is found under its new name only, and its key signs as the renamed user on the next request")
    func rename() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("alice", in: world)
        #expect(try await world.sts("GetCallerIdentity", as: key).value("Arn") == "arn:aws:iam::000000000000:user/alice")
        #expect(try await world.iam("UpdateUser", ["UserName": "alice", "NewUserName": "alice2", "NewPath": "/ops/"]).status == 200)
        #expect(try await world.iam("GetUser", ["UserName": "alice"]).status == 404)
        #expect(try await world.iam("GetUser", ["UserName": "alice2"]).value("Arn") == "arn:aws:iam::000000000000:user/ops/alice2")
        #expect(try await world.sts("GetCallerIdentity", as: key).value("Arn") == "arn:aws:iam::000000000000:user/ops/alice2")
    }

    @Test("renaming a user to a taken name, in any case, is EntityAlreadyExists and changes nothing")
    func renameToTaken() async throws {
        let world = try TestWorld()
        for name in ["alice", "bob"] { #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200) }
        let result = try await world.iam("UpdateUser", ["UserName": "alice", "NewUserName": "BOB"])
        #expect(result.status == 409)
        #expect(result.errorCode == "EntityAlreadyExists")
        #expect(result.errorMessage == "User with name BOB already exists.")
        #expect(try await world.iam("ListUsers").values("UserName") == ["alice", "bob"])
        // Only the case of its own name changes: not a conflict.
        #expect(try await world.iam("UpdateUser", ["UserName": "alice", "NewUserName": "Alice"]).status == 200)
        #expect(try await world.iam("ListUsers").values("UserName") == ["Alice", "bob"])
    }

    @Test("a user with keys, policies and groups cannot be deleted, in the order of AWS's DeleteUser prerequisites; each refusal changes nothing")
    func deleteConflictOrder() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("busy", in: world)
        let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        #expect(try await world.iam("PutUserPolicy", ["UserName": "busy", "PolicyName": "inline", "PolicyDocument": document]).status == 200)
        #expect(try await world.iam("AttachUserPolicy", ["UserName": "busy", "PolicyArn": Self.readOnly]).status == 200)
        #expect(try await world.iam("CreateGroup", ["GroupName": "team"]).status == 200)
        #expect(try await world.iam("AddUserToGroup", ["UserName": "busy", "GroupName": "team"]).status == 200)
        #expect(try await world.iam("CreateLoginProfile", ["UserName": "busy", "Password": "Corr3ct-Horse!"]).status == 200)

        let steps: [(message: String, clear: (String, [String: String]))] = [
            ("Cannot delete entity, must delete login profile first.", ("DeleteLoginProfile", ["UserName": "busy"])),
            ("Cannot delete entity, must delete access keys first.", ("DeleteAccessKey", ["UserName": "busy", "AccessKeyId": key])),
            ("Cannot delete entity, must delete policies first.", ("DeleteUserPolicy", ["UserName": "busy", "PolicyName": "inline"])),
            ("Cannot delete entity, must detach all policies first.", ("DetachUserPolicy", ["UserName": "busy", "PolicyArn": Self.readOnly])),
            ("Cannot delete entity, must remove users from group first.", ("RemoveUserFromGroup", ["UserName": "busy", "GroupName": "team"])),
        ]
        for step in steps {
            let refused = try await world.iam("DeleteUser", ["UserName": "busy"])
            #expect(refused.status == 409)
            #expect(refused.errorCode == "DeleteConflict")
            #expect(refused.errorMessage == step.message)
            #expect(try await world.iam("GetUser", ["UserName": "busy"]).status == 200)
            let cleared = try await world.iam(step.clear.0, step.clear.1)
            #expect(cleared.status == 200, "\(step.clear.0): \(cleared)")
        }
        #expect(try await world.iam("DeleteUser", ["UserName": "busy"]).status == 200)
        #expect(try await world.iam("GetUser", ["UserName": "busy"]).errorCode == "NoSuchEntity")
    }

    @Test("GetUser without a name answers the calling user, or for root the account")
    func getCaller() async throws {
        let world = try TestWorld()
        let key = try await RequestPathTests.admin("me", in: world)
        #expect(try await world.iam("GetUser", as: key).value("UserName") == "me")
        let root = try await world.iam("GetUser")
        #expect(root.value("Arn") == "arn:aws:iam::000000000000:root")
        #expect(root.value("UserName") == nil)
    }
}
