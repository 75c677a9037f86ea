import Foundation
import JSON
import Testing

/// Instance profiles: one role each.
@Suite("Instance profiles, end to end")
struct InstanceProfileEndToEndTests {
    @Test("create-instance-profile returns an AIPA id, the ARN with its path and an empty Roles list; a taken name is EntityAlreadyExists")
    func create() throws {
        let server = try GatehouseProcess()
        let created = try server.aws(["iam", "create-instance-profile", "--instance-profile-name", "web", "--path", "/app/"])
        let profile = try #require(created.json?["InstanceProfile"], "\(created.stderr)")
        #expect(profile["Arn"]?.stringValue == "arn:aws:iam::\(account):instance-profile/app/web")
        let id = try #require(profile["InstanceProfileId"]?.stringValue)
        #expect(id.hasPrefix("AIPA") && id.count == 21, "\(id)")
        #expect(profile["Roles"] == .array([]))
        #expect(profile["Tags"] == nil)
        let again = try server.aws(["iam", "create-instance-profile", "--instance-profile-name", "WEB"])
        #expect(again.errorCode == "EntityAlreadyExists")
        #expect(again.errorMessage == "Instance Profile WEB already exists.")
        let missing = try server.iam("GetInstanceProfile", ["InstanceProfileName": "ghost"])
        #expect(missing.status == 404)
        #expect(missing.errorMessage == "Instance Profile ghost cannot be found.")
    }

    @Test("a profile holds one role: a second one, or the same again, is LimitExceeded")
    func oneRole() throws {
        let server = try GatehouseProcess()
        try server.iamOK("CreateInstanceProfile", ["InstanceProfileName": "web"])
        try server.createRole("first")
        try server.createRole("second")
        try server.iamOK("AddRoleToInstanceProfile", ["InstanceProfileName": "web", "RoleName": "first"])
        let before = try server.iam("GetInstanceProfile", ["InstanceProfileName": "web"]).state
        let second = try server.aws(["iam", "add-role-to-instance-profile", "--instance-profile-name", "web", "--role-name", "second"])
        #expect(second.errorCode == "LimitExceeded")
        #expect(second.errorMessage == "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
        let same = try server.iam("AddRoleToInstanceProfile", ["InstanceProfileName": "web", "RoleName": "first"])
        #expect(same.status == 409)
        #expect(same.errorMessage == "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
        #expect(try server.iam("GetInstanceProfile", ["InstanceProfileName": "web"]).state == before)

        let got = try #require(try server.aws(["iam", "get-instance-profile", "--instance-profile-name", "web"]).json?["InstanceProfile"])
        #expect(got["Tags"] == .array([]))
        let roles = try #require(got["Roles"]?.arrayValue)
        #expect(roles.count == 1)
        #expect(roles.first?["RoleName"]?.stringValue == "first")
        #expect(roles.first?["AssumeRolePolicyDocument"] == json(Doc.ec2Trust))
        #expect(roles.first?["MaxSessionDuration"] == nil)
        #expect(roles.first?["RoleLastUsed"] == nil)
    }

    @Test("list-instance-profiles-for-role and list-instance-profiles show the profiles with their role")
    func listing() throws {
        let server = try GatehouseProcess()
        try server.createRole("app")
        for name in ["b-profile", "A-profile"] {
            try server.iamOK("CreateInstanceProfile", ["InstanceProfileName": name])
            try server.iamOK("AddRoleToInstanceProfile", ["InstanceProfileName": name, "RoleName": "app"])
        }
        try server.iamOK("CreateInstanceProfile", ["InstanceProfileName": "empty", "Path": "/other/"])
        let forRole = try server.aws(["iam", "list-instance-profiles-for-role", "--role-name", "app"]).json
        #expect(forRole?.strings("InstanceProfiles", "InstanceProfileName") == ["A-profile", "b-profile"])
        #expect(forRole?["InstanceProfiles"]?.arrayValue?.allSatisfy { $0["Roles"]?.count == 1 } == true)
        #expect(try server.iam("ListInstanceProfiles").values("InstanceProfileName") == ["A-profile", "b-profile", "empty"])
        let other = try server.iam("ListInstanceProfiles", ["PathPrefix": "/other/"])
        #expect(other.values("InstanceProfileName") == ["empty"])
    }
}
