import GatehouseTesting
import Testing

/// Instance profiles, in process.
@Suite("Instance profiles, in process")
struct InstanceProfilesInProcessTests {
    @Test("ListInstanceProfiles pages in IAM's order by marker; a profile deleted meanwhile shifts no page")
    func listPaging() async throws {
        let world = try TestWorld()
        for name in ["b", "A", "c", "D", "e"] { try await world.iamOK("CreateInstanceProfile", ["InstanceProfileName": name]) }
        try await world.iamOK("CreateInstanceProfile", ["InstanceProfileName": "other", "Path": "/other/"])
        let first = try await world.iamOK("ListInstanceProfiles", ["MaxItems": "2"])
        #expect(first.values("InstanceProfileName") == ["A", "b"])
        try await world.iamOK("DeleteInstanceProfile", ["InstanceProfileName": "A"])
        let second = try await world.iamOK("ListInstanceProfiles", ["MaxItems": "2", "Marker": try #require(first.value("Marker"))])
        #expect(second.values("InstanceProfileName") == ["c", "D"])
        #expect(try await world.pages("ListInstanceProfiles", element: "InstanceProfileName", maxItems: 4) == ["b", "c", "D", "e", "other"])
        #expect(try await world.pages("ListInstanceProfiles", ["PathPrefix": "/other/"], element: "InstanceProfileName", maxItems: 1) == ["other"])
    }

    @Test("ListInstanceProfilesForRole pages the profiles holding the role, each with its role")
    func listForRole() async throws {
        let world = try TestWorld()
        try await HolderKind.role.create("app", in: world)
        try await HolderKind.role.create("web", in: world)
        for (profile, role) in [("p-b", "app"), ("P-a", "app"), ("p-c", "web"), ("p-d", "app")] {
            try await world.iamOK("CreateInstanceProfile", ["InstanceProfileName": profile])
            try await world.iamOK("AddRoleToInstanceProfile", ["InstanceProfileName": profile, "RoleName": role])
        }
        let first = try await world.iamOK("ListInstanceProfilesForRole", ["RoleName": "app", "MaxItems": "2"])
        #expect(first.values("InstanceProfileName") == ["P-a", "p-b"])
        #expect(first.values("RoleName") == ["app", "app"])
        let rest = try await world.iamOK("ListInstanceProfilesForRole", ["RoleName": "app", "Marker": try #require(first.value("Marker"))])
        #expect(rest.values("InstanceProfileName") == ["p-d"])
        #expect(rest.value("IsTruncated") == "false")
        let missing = try await world.iam("ListInstanceProfilesForRole", ["RoleName": "ghost"])
        #expect(missing.status == 404)
        #expect(missing.errorMessage == "The role with name ghost cannot be found.")
    }

    @Test("instance profile tags: set at creation, added, paged by key, removed without regard to case")
    func tags() async throws {
        let world = try TestWorld()
        let created = try await world.iamOK("CreateInstanceProfile", [
            "InstanceProfileName": "web", "Tags.member.1.Key": "b", "Tags.member.1.Value": "2",
        ])
        #expect(created.values("Key") == ["b"])
        try await world.iamOK("TagInstanceProfile", [
            "InstanceProfileName": "web", "Tags.member.1.Key": "a", "Tags.member.1.Value": "1", "Tags.member.2.Key": "C", "Tags.member.2.Value": "3",
        ])
        #expect(try await world.pages("ListInstanceProfileTags", ["InstanceProfileName": "web"], element: "Key", maxItems: 1) == ["C", "a", "b"])
        try await world.iamOK("UntagInstanceProfile", ["InstanceProfileName": "web", "TagKeys.member.1": "c"])
        #expect(try await world.iamOK("GetInstanceProfile", ["InstanceProfileName": "web"]).values("Key") == ["a", "b"])
        let duplicate = try await world.iam("TagInstanceProfile", [
            "InstanceProfileName": "web", "Tags.member.1.Key": "x", "Tags.member.1.Value": "1", "Tags.member.2.Key": "X", "Tags.member.2.Value": "2",
        ])
        #expect(duplicate.errorCode == "InvalidInput")
        let ghost = try await world.iam("ListInstanceProfileTags", ["InstanceProfileName": "ghost"])
        #expect(ghost.status == 404)
        #expect(ghost.errorMessage == "Instance Profile ghost cannot be found.")
    }

    @Test("a user allowed only on one path is refused elsewhere, before NoSuchEntity, and the refusal changes nothing")
    func refusedByPath() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        let onPath = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*InstanceProfile*","Resource":"arn:aws:iam::000000000000:instance-profile/team/*"}]}"#
        try await world.iamOK("PutUserPolicy", ["UserName": "dev", "PolicyName": "team", "PolicyDocument": onPath])
        try await world.iamOK("CreateInstanceProfile", ["InstanceProfileName": "mine", "Path": "/team/"], as: key)
        try await world.iamOK("CreateInstanceProfile", ["InstanceProfileName": "theirs"])
        #expect(try await world.iam("GetInstanceProfile", ["InstanceProfileName": "mine"], as: key).status == 200)
        let refused = try await world.iam("DeleteInstanceProfile", ["InstanceProfileName": "theirs"], as: key)
        #expect(refused.status == 403)
        #expect(refused.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: iam:DeleteInstanceProfile on resource: arn:aws:iam::000000000000:instance-profile/theirs because no identity-based policy allows the iam:DeleteInstanceProfile action")
        #expect(try await world.iam("GetInstanceProfile", ["InstanceProfileName": "theirs"]).status == 200)
        // A missing profile is named at path "/", outside the user's path: refused, not NoSuchEntity.
        #expect(try await world.iam("GetInstanceProfile", ["InstanceProfileName": "ghost"], as: key).errorCode == "AccessDenied")
    }

    // MARK: - Moved from the end-to-end suite (service behaviour only)

    @Test("removing a role that is not in the profile is NoSuchEntity; missing roles and profiles name themselves")
    func removeErrors() async throws {
        let world = try TestWorld()
        try await world.iamOK("CreateInstanceProfile", ["InstanceProfileName": "web"])
        try await HolderKind.role.create("outsider", in: world)
        let notIn = try await world.iam("RemoveRoleFromInstanceProfile", ["InstanceProfileName": "web", "RoleName": "outsider"])
        #expect(notIn.status == 404)
        #expect(notIn.errorCode == "NoSuchEntity")
        #expect(notIn.errorMessage == "Role outsider in Instance Profile web cannot be found.")
        let noRole = try await world.iam("AddRoleToInstanceProfile", ["InstanceProfileName": "web", "RoleName": "ghost"])
        #expect(noRole.status == 404)
        #expect(noRole.errorMessage == "The role with name ghost cannot be found.")
        let noProfile = try await world.iam("AddRoleToInstanceProfile", ["InstanceProfileName": "ghost", "RoleName": "outsider"])
        #expect(noProfile.status == 404)
        #expect(noProfile.errorMessage == "Instance Profile ghost cannot be found.")
    }

    @Test("a profile with a role cannot be deleted until the role is removed")
    func deleteConflict() async throws {
        let world = try TestWorld()
        try await world.iamOK("CreateInstanceProfile", ["InstanceProfileName": "web"])
        try await HolderKind.role.create("app", in: world)
        try await world.iamOK("AddRoleToInstanceProfile", ["InstanceProfileName": "web", "RoleName": "app"])
        let refused = try await world.iam("DeleteInstanceProfile", ["InstanceProfileName": "web"])
        #expect(refused.status == 409)
        #expect(refused.errorCode == "DeleteConflict")
        #expect(refused.errorMessage == "Cannot delete entity, must remove roles from instance profile first.")
        #expect(try await world.iamOK("ListInstanceProfilesForRole", ["RoleName": "app"]).values("InstanceProfileName") == ["web"])
        try await world.iamOK("RemoveRoleFromInstanceProfile", ["InstanceProfileName": "web", "RoleName": "app"])
        try await world.iamOK("DeleteInstanceProfile", ["InstanceProfileName": "web"])
        #expect(try await world.iam("GetInstanceProfile", ["InstanceProfileName": "web"]).status == 404)
        #expect(try await world.iam("GetRole", ["RoleName": "app"]).status == 200)
    }
}
