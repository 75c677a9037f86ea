import Foundation
import GatehouseTesting
import Testing

/// Account-level IAM dispatched in process: alias, password policy, summary,
/// credential report and authorization details.
@Suite("IAM account operations, in process")
struct AccountInProcessTests {
    static let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#

    @Test("one alias per account: a new one replaces the old; deleting another alias is NoSuchEntity; a refused caller changes nothing")
    func alias() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("intern", in: world)
        #expect(try await world.iam("ListAccountAliases").values("member").isEmpty)
        #expect(try await world.iam("CreateAccountAlias", ["AccountAlias": "first-name"]).status == 200)
        #expect(try await world.iam("CreateAccountAlias", ["AccountAlias": "second-name"]).status == 200)
        #expect(try await world.iam("ListAccountAliases").values("member") == ["second-name"])
        #expect(try await world.iam("CreateAccountAlias", ["AccountAlias": "third-name"], as: key).errorCode == "AccessDenied")
        let other = try await world.iam("DeleteAccountAlias", ["AccountAlias": "first-name"])
        #expect(other.status == 404)
        #expect(other.errorMessage == "The account alias first-name cannot be found.")
        let page = try await world.iam("ListAccountAliases", ["MaxItems": "1"])
        #expect(page.values("member") == ["second-name"])
        #expect(page.value("IsTruncated") == "false")
        #expect(try await world.iam("DeleteAccountAlias", ["AccountAlias": "second-name"]).status == 200)
        #expect(try await world.iam("ListAccountAliases").values("member").isEmpty)
    }

    @Test("the summary counts what the account holds and gives AWS's default quotas")
    func summary() async throws {
        let world = try TestWorld()
        func summary() async throws -> [String: Int] {
            let answer = try await world.iam("GetAccountSummary")
            return Dictionary(uniqueKeysWithValues: zip(answer.values("key"), answer.values("value").map { Int($0) ?? -1 }))
        }
        let before = try await summary()
        #expect(before["UsersQuota"] == 5000)
        #expect(before["AccessKeysPerUserQuota"] == 2)
        #expect(before["GlobalEndpointTokenVersion"] == 1)
        #expect(before["AccountAccessKeysPresent"] == 1)
        #expect(before["Users"] == 0)
        #expect(try await world.iam("CreateUser", ["UserName": "counted"]).status == 200)
        #expect(try await world.iam("CreateGroup", ["GroupName": "counted"]).status == 200)
        #expect(try await world.iam("CreateOpenIDConnectProvider", ["Url": "https://issuer.example.com"]).status == 200)
        #expect(try await world.iam("CreateVirtualMFADevice", ["VirtualMFADeviceName": "phone"]).status == 200)
        let after = try await summary()
        #expect(after["Users"] == 1)
        #expect(after["Groups"] == 1)
        #expect(after["Providers"] == 1)
        #expect(after["MFADevices"] == 1)
        #expect(after["MFADevicesInUse"] == 0)
    }

    @Test("the password policy reads back with AWS's defaults filled in; deleting a missing one is NoSuchEntity")
    func passwordPolicy() async throws {
        let world = try TestWorld()
        let missing = try await world.iam("GetAccountPasswordPolicy")
        #expect(missing.status == 404)
        #expect(missing.errorMessage == "The Password Policy with domain name 000000000000 cannot be found.")
        #expect(try await world.iam("UpdateAccountPasswordPolicy", ["MinimumPasswordLength": "14", "RequireSymbols": "true"]).status == 200)
        let policy = try await world.iam("GetAccountPasswordPolicy")
        #expect(policy.value("MinimumPasswordLength") == "14")
        #expect(policy.value("RequireSymbols") == "true")
        #expect(policy.value("RequireNumbers") == "false")
        #expect(policy.value("ExpirePasswords") == "false")
        #expect(try await world.iam("DeleteAccountPasswordPolicy").status == 200)
        let again = try await world.iam("DeleteAccountPasswordPolicy")
        #expect(again.status == 404)
        #expect(again.errorMessage == "The account policy with name PasswordPolicy cannot be found.")
    }

    @Test("the credential report is absent, then STARTED, then COMPLETE with a row per user in name order")
    func credentialReport() async throws {
        let world = try TestWorld()
        #expect(try await world.iam("GetCredentialReport").errorCode == "ReportNotPresent")
        for name in ["zed", "Amy"] { #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200) }
        #expect(try await world.iam("GenerateCredentialReport").value("State") == "STARTED")
        #expect(try await world.iam("GenerateCredentialReport").value("State") == "COMPLETE")
        let report = try await world.iam("GetCredentialReport")
        let content = try #require(report.value("Content").flatMap { Data(base64Encoded: $0) })
        let users = String(decoding: content, as: UTF8.self).split(separator: "\n").dropFirst().map { $0.prefix { $0 != "," } }
        #expect(users == ["<root_account>", "Amy", "zed"])
    }

    @Test("authorization details page through users, groups, roles and policies one at a time, each once, across a deletion")
    func authorizationDetailsPage() async throws {
        let world = try TestWorld()
        for name in ["u2", "U1"] { #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200) }
        #expect(try await world.iam("CreateGroup", ["GroupName": "g1"]).status == 200)
        #expect(try await world.iam("AddUserToGroup", ["UserName": "u2", "GroupName": "g1"]).status == 200)
        #expect(try await world.iam("PutUserPolicy", ["UserName": "u2", "PolicyName": "inline", "PolicyDocument": Self.document]).status == 200)
        #expect(try await world.iam("CreateRole", ["RoleName": "r1", "AssumeRolePolicyDocument": IAMInProcessTests.trust]).status == 200)
        let created = try await world.iam("CreatePolicy", ["PolicyName": "p1", "PolicyDocument": Self.document])
        let policyArn = try #require(created.value("Arn"))
        #expect(try await world.iam("AttachRolePolicy", ["RoleName": "r1", "PolicyArn": policyArn]).status == 200)
        let readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        #expect(try await world.iam("AttachRolePolicy", ["RoleName": "r1", "PolicyArn": readOnly]).status == 200)

        var seen: [String] = []
        var marker: String?
        var deleted = false
        repeat {
            var parameters = ["MaxItems": "1"]
            parameters["Marker"] = marker
            let page = try await world.iam("GetAccountAuthorizationDetails", parameters)
            #expect(page.status == 200, "\(page)")
            seen += page.values("UserName") + page.values("GroupName") + page.values("RoleName")
            // PolicyName also names a role's attached and a user's inline policies: only a policy's own entry has a PolicyId.
            if page.value("PolicyId") != nil { seen += page.values("PolicyName") }
            marker = page.value("Marker")
            if !deleted, seen == ["U1"] {
                // A user deleted after its page was read shifts nothing.
                #expect(try await world.iam("DeleteUser", ["UserName": "U1"]).status == 200)
                deleted = true
            }
        } while marker != nil
        #expect(seen == ["U1", "u2", "g1", "r1", "p1", "ReadOnlyAccess"])

        let roles = try await world.iam("GetAccountAuthorizationDetails", ["Filter.member.1": "Role"])
        #expect(roles.values("RoleName") == ["r1"])
        #expect(roles.values("UserName").isEmpty)
        let aws = try await world.iam("GetAccountAuthorizationDetails", ["Filter.member.1": "AWSManagedPolicy"])
        #expect(aws.values("PolicyName") == ["ReadOnlyAccess"])
    }

    /// The element named `name` in `body` with its content, from the first `<name>` or `<name/>` on (nil: absent).
    static func element(_ name: String, in body: Substring) -> Substring? {
        if let empty = body.range(of: "<\(name)/>"), body.range(of: "<\(name)>").map({ $0.lowerBound > empty.lowerBound }) ?? true {
            return body[empty]
        }
        guard let open = body.range(of: "<\(name)>"), let close = body[open.upperBound...].range(of: "</\(name)>") else { return nil }
        return body[open.lowerBound..<close.upperBound]
    }

    @Test("authorization details carry the members AWS's do: empty Tags and role lists present, an empty UserPolicyList and policies' descriptions left out")
    func authorizationDetailsMembers() async throws {
        let world = try TestWorld()
        try await world.iamOK("CreateUser", ["UserName": "plain"])
        try await world.iamOK("CreateRole", ["RoleName": "plain", "AssumeRolePolicyDocument": IAMInProcessTests.trust])
        try await world.iamOK("CreateGroup", ["GroupName": "plain"])
        try await world.iamOK("CreatePolicy", ["PolicyName": "described", "PolicyDocument": Self.document, "Description": "said once"])
        try await world.iamOK("AttachRolePolicy", ["RoleName": "plain", "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"])
        let details = try await world.iamOK("GetAccountAuthorizationDetails")
        let body = details.body[...]
        let user = try #require(Self.element("UserDetailList", in: body))
        #expect(Self.element("Tags", in: user).map { $0 == "<Tags/>" || $0 == "<Tags></Tags>" } == true, "\(user)")
        #expect(Self.element("UserPolicyList", in: user) == nil, "\(user)")
        #expect(Self.element("GroupList", in: user) != nil)
        #expect(Self.element("AttachedManagedPolicies", in: user) != nil)
        let role = try #require(Self.element("RoleDetailList", in: body))
        #expect(Self.element("Tags", in: role).map { $0 == "<Tags/>" || $0 == "<Tags></Tags>" } == true, "\(role)")
        #expect(Self.element("RolePolicyList", in: role) != nil, "\(role)")
        #expect(Self.element("RoleLastUsed", in: role) != nil, "\(role)")
        #expect(Self.element("InstanceProfileList", in: role) != nil, "\(role)")
        #expect(Self.element("MaxSessionDuration", in: role) == nil, "\(role)")
        let group = try #require(Self.element("GroupDetailList", in: body))
        #expect(Self.element("GroupPolicyList", in: group) != nil, "\(group)")
        let policies = try #require(Self.element("Policies", in: body))
        #expect(!policies.contains("<Description>"), "\(policies)")
        #expect(!policies.contains("said once"))
        #expect(policies.contains("<PolicyName>described</PolicyName>"))
        #expect(policies.contains("<PolicyName>AmazonS3FullAccess</PolicyName>"))

        // An AWS managed policy in use is listed with every version, newest first, documents included
        // (recorded for AmazonS3FullAccess: v2 then v1).
        let aws = try await world.iamOK("GetAccountAuthorizationDetails", ["Filter.member.1": "AWSManagedPolicy"])
        #expect(aws.values("PolicyName") == ["AmazonS3FullAccess"])
        #expect(aws.value("PolicyId") == "ANPAIFIR6V6BVTRAHWINE")
        #expect(aws.values("VersionId") == ["v2", "v1"])
        #expect(aws.values("IsDefaultVersion") == ["true", "false"])
        #expect(aws.values("Document").map { $0.removingPercentEncoding ?? "" }.last == #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)

        // Inline policies make the user's list appear; tags are listed when there are some.
        try await world.iamOK("PutUserPolicy", ["UserName": "plain", "PolicyName": "inline", "PolicyDocument": Self.document])
        try await world.iamOK("TagUser", ["UserName": "plain", "Tags.member.1.Key": "team", "Tags.member.1.Value": "platform"])
        let users = try await world.iamOK("GetAccountAuthorizationDetails", ["Filter.member.1": "User"])
        let tagged = try #require(Self.element("UserDetailList", in: users.body[...]))
        #expect(Self.element("UserPolicyList", in: tagged)?.contains("<PolicyName>inline</PolicyName>") == true, "\(tagged)")
        #expect(users.values("Key") == ["team"])
    }
}
