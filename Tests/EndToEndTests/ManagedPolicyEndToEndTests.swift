import Foundation
import JSON
import Testing

/// Customer and AWS managed policies and their versions, driven with the real aws CLI.
@Suite("Managed policies, end to end")
struct ManagedPolicyEndToEndTests {
    static let admin = "arn:aws:iam::aws:policy/AdministratorAccess"

    @Test("create-policy returns the ARN, an ANPA id, v1 and AttachmentCount 0 without the description; get-policy shows the description")
    func createPolicy() throws {
        let server = try GatehouseProcess()
        let created = try server.aws([
            "iam", "create-policy", "--policy-name", "reader", "--path", "/team/", "--policy-document", Doc.allow(),
            "--description", "reads objects",
        ])
        let policy = try #require(created.json?["Policy"], "\(created.stderr)")
        #expect(policy["Arn"]?.stringValue == "arn:aws:iam::\(account):policy/team/reader")
        let id = try #require(policy["PolicyId"]?.stringValue)
        #expect(id.hasPrefix("ANPA") && id.count == 21, "\(id)")
        #expect(policy["DefaultVersionId"]?.stringValue == "v1")
        #expect(policy["AttachmentCount"] == .number(JSONNumber(0)))
        #expect(policy["PermissionsBoundaryUsageCount"] == .number(JSONNumber(0)))
        #expect(policy["IsAttachable"] == .bool(true))
        #expect(policy["Path"]?.stringValue == "/team/")
        #expect(policy["Description"] == nil)
        #expect(policy["Tags"] == nil)

        let got = try #require(try server.aws(["iam", "get-policy", "--policy-arn", "arn:aws:iam::\(account):policy/team/reader"]).json?["Policy"])
        #expect(got["Description"]?.stringValue == "reads objects")
        #expect(got["PolicyId"]?.stringValue == id)
        #expect(got["Tags"] == .array([]))
        let version = try server.iam("GetPolicyVersion", ["PolicyArn": "arn:aws:iam::\(account):policy/team/reader", "VersionId": "v1"])
        #expect(version.value("Document")?.removingPercentEncoding == Doc.allow())
        #expect(version.value("IsDefaultVersion") == "true")
    }

    @Test("a policy name already taken, in any case, is EntityAlreadyExists and creates nothing")
    func duplicateName() throws {
        let server = try GatehouseProcess()
        try server.createPolicy("Shared")
        let result = try server.aws(["iam", "create-policy", "--policy-name", "shared", "--path", "/other/", "--policy-document", Doc.allow("s3:PutObject")])
        #expect(result.errorCode == "EntityAlreadyExists")
        #expect(result.errorMessage == "A policy called shared already exists. Duplicate names are not allowed.")
        #expect(try server.iam("ListPolicies", ["Scope": "Local"]).values("PolicyName") == ["Shared"])
    }

    @Test("get-policy and delete-policy of a missing policy are NoSuchEntity: Policy … was not found.")
    func missingPolicy() throws {
        let server = try GatehouseProcess()
        let arn = "arn:aws:iam::\(account):policy/ghost"
        let result = try server.aws(["iam", "get-policy", "--policy-arn", arn])
        #expect(result.errorCode == "NoSuchEntity")
        #expect(result.errorMessage == "Policy arn:aws:iam::000000000000:policy/ghost was not found.")
        for action in ["GetPolicy", "DeletePolicy", "ListPolicyVersions", "ListPolicyTags"] {
            let raw = try server.iam(action, ["PolicyArn": arn])
            #expect(raw.status == 404, "\(action)")
            #expect(raw.errorMessage == "Policy arn:aws:iam::000000000000:policy/ghost was not found.", "\(action)")
        }
    }

    @Test("list-policies: --scope Local, AWS and All, --only-attached, --path-prefix and --policy-usage-filter")
    func listPolicies() throws {
        let server = try GatehouseProcess()
        try server.createPolicy("zeta", path: "/team/")
        let alpha = try server.createPolicy("Alpha")
        let bound = try server.createPolicy("bound")
        try server.createRole("r")
        try server.iamOK("AttachRolePolicy", ["RoleName": "r", "PolicyArn": alpha])
        try server.iamOK("AttachRolePolicy", ["RoleName": "r", "PolicyArn": Self.admin])
        try server.iamOK("PutRolePermissionsBoundary", ["RoleName": "r", "PermissionsBoundary": bound])

        let local = try #require(try server.aws(["iam", "list-policies", "--scope", "Local"]).json)
        #expect(local.strings("Policies", "PolicyName") == ["Alpha", "bound", "zeta"])
        #expect(local["Policies"]?.arrayValue?.first?["AttachmentCount"] == .number(JSONNumber(1)))
        #expect(local["Policies"]?.arrayValue?.allSatisfy { $0["Description"] == nil && $0["Tags"] == nil } == true)

        let awsArns = try server.iam("ListPolicies", ["Scope": "AWS", "MaxItems": "1000"]).values("Arn")
        #expect(awsArns.count == 1000)
        #expect(awsArns.contains(Self.admin))
        #expect(awsArns.allSatisfy { $0.hasPrefix("arn:aws:iam::aws:policy/") })

        let attached = try server.aws(["iam", "list-policies", "--only-attached"]).json
        #expect(attached?.strings("Policies", "PolicyName") == ["AdministratorAccess", "Alpha", "bound"])
        let attachedLocal = try server.iam("ListPolicies", ["OnlyAttached": "true", "Scope": "Local", "PolicyUsageFilter": "PermissionsPolicy"])
        #expect(attachedLocal.values("PolicyName") == ["Alpha"])
        let boundaries = try server.aws(["iam", "list-policies", "--policy-usage-filter", "PermissionsBoundary"]).json
        #expect(boundaries?.strings("Policies", "PolicyName") == ["bound"])
        #expect(boundaries?["Policies"]?.arrayValue?.first?["PermissionsBoundaryUsageCount"] == .number(JSONNumber(1)))
        #expect(try server.iam("ListPolicies", ["PathPrefix": "/team/"]).values("PolicyName") == ["zeta"])
        // All = AWS + Local.
        let all = try server.iam("ListPolicies", ["MaxItems": "1000", "OnlyAttached": "true", "Scope": "All"])
        #expect(all.values("PolicyName") == ["AdministratorAccess", "Alpha", "bound"])
    }

    @Test("policy versions: create, set as default, list newest first, get the document back, delete")
    func versions() throws {
        let server = try GatehouseProcess()
        let arn = try server.createPolicy("versioned")
        let v2Doc = Doc.allow("s3:PutObject")
        let v3Doc = #"{"Version":"2012-10-17","Statement":[{"Sid":"Two","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#
        let v2 = try server.iamOK("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": v2Doc])
        #expect(v2.value("VersionId") == "v2")
        #expect(v2.value("IsDefaultVersion") == "false")
        #expect(v2.value("Document") == nil)
        let v3 = try server.aws(["iam", "create-policy-version", "--policy-arn", arn, "--policy-document", v3Doc, "--set-as-default"])
        #expect(v3.json?["PolicyVersion"] == .object(JSONObject([
            ("VersionId", .string("v3")), ("IsDefaultVersion", .bool(true)), ("CreateDate", v3.json?["PolicyVersion"]?["CreateDate"] ?? .null),
        ])), "\(v3.stdout)")

        let listed = try #require(try server.aws(["iam", "list-policy-versions", "--policy-arn", arn]).json)
        #expect(listed.strings("Versions", "VersionId") == ["v3", "v2", "v1"])
        #expect(listed["Versions"]?.arrayValue?.map { $0["IsDefaultVersion"] } == [.bool(true), .bool(false), .bool(false)])
        #expect(try server.iam("GetPolicy", ["PolicyArn": arn]).value("DefaultVersionId") == "v3")

        let got = try server.aws(["iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v3"]).json?["PolicyVersion"]
        #expect(got?["Document"] == json(v3Doc))
        #expect(got?["IsDefaultVersion"] == .bool(true))

        #expect(try server.aws(["iam", "set-default-policy-version", "--policy-arn", arn, "--version-id", "v1"]).succeeded)
        #expect(try server.iam("GetPolicy", ["PolicyArn": arn]).value("DefaultVersionId") == "v1")
        try server.iamOK("DeletePolicyVersion", ["PolicyArn": arn, "VersionId": "v2"])
        #expect(try server.iam("ListPolicyVersions", ["PolicyArn": arn]).values("VersionId") == ["v3", "v1"])
    }

    @Test("AWS managed policies can be read and attached; AttachmentCount counts this account's attachments")
    func awsManagedReadable() throws {
        let server = try GatehouseProcess()
        let got = try #require(try server.aws(["iam", "get-policy", "--policy-arn", Self.admin]).json?["Policy"])
        #expect(got["PolicyName"]?.stringValue == "AdministratorAccess")
        #expect(got["Arn"]?.stringValue == Self.admin)
        #expect(got["Path"]?.stringValue == "/")
        #expect(got["DefaultVersionId"]?.stringValue == "v1")
        #expect(got["IsAttachable"] == .bool(true))
        #expect(got["AttachmentCount"] == .number(JSONNumber(0)))
        #expect(got["CreateDate"]?.stringValue == "2015-02-06T18:39:46Z")
        let version = try server.aws(["iam", "get-policy-version", "--policy-arn", Self.admin, "--version-id", "v1"]).json?["PolicyVersion"]
        #expect(version?["Document"]?["Statement"]?.arrayValue?.first?["Action"]?.stringValue == "*")
        #expect(version?["Document"]?["Statement"]?.arrayValue?.first?["Resource"]?.stringValue == "*")
        #expect(version?["Document"]?["Statement"]?.arrayValue?.first?["Effect"]?.stringValue == "Allow")
        #expect(version?["IsDefaultVersion"] == .bool(true))

        try server.createRole("admin")
        try server.iamOK("AttachRolePolicy", ["RoleName": "admin", "PolicyArn": Self.admin])
        #expect(try server.iam("GetPolicy", ["PolicyArn": Self.admin]).value("AttachmentCount") == "1")
    }

    @Test("AWS managed policies carry AWS's own policy ids and dates")
    func awsManagedIdentity() throws {
        let server = try GatehouseProcess()
        let got = try server.aws(["iam", "get-policy", "--policy-arn", Self.admin]).json?["Policy"]
        #expect(got?["PolicyId"]?.stringValue == "ANPAIWMBCKSKIEE64ZLYK")
        let readOnly = try server.aws(["iam", "get-policy", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"]).json?["Policy"]
        #expect(readOnly?["PolicyId"]?.stringValue == "ANPAILL3HVNFSB6DCOWYQ")
        #expect(readOnly?["DefaultVersionId"]?.stringValue == "v178")
        #expect(readOnly?["CreateDate"]?.stringValue == "2015-02-06T18:39:48Z")
        #expect(readOnly?["UpdateDate"]?.stringValue == "2026-02-12T18:01:33Z")
        withKnownIssue("no dated data set of AWS managed policies with descriptions was found (MAMIP records list-policies, which has none): Gatehouse leaves Description out") {
            #expect(got?["Description"]?.stringValue == "Provides full access to AWS services and resources.")
        }
    }

    @Test("list-policy-versions shows every recorded version of an AWS managed policy with its date; get-policy-version reads an old one")
    func awsManagedVersions() throws {
        let server = try GatehouseProcess()
        let arn = "arn:aws:iam::aws:policy/IAMUserChangePassword"
        let listed = try server.aws(["iam", "list-policy-versions", "--policy-arn", arn])
        let versions = try #require(listed.json?["Versions"]?.arrayValue, "\(listed.stderr)")
        #expect(versions.map { $0["VersionId"]?.stringValue } == ["v5", "v4", "v3", "v2"])
        #expect(versions.map { $0["IsDefaultVersion"] } == [.bool(true), .bool(false), .bool(false), .bool(false)])
        #expect(versions.map { $0["CreateDate"]?.stringValue } == [
            "2026-02-12T17:58:57Z", "2026-02-11T22:16:11Z", "2025-05-29T21:52:06Z", "2016-11-15T23:18:55Z",
        ])
        let paged = try server.aws(["iam", "list-policy-versions", "--policy-arn", arn, "--page-size", "1"]).json
        #expect(paged?["Versions"]?.arrayValue?.count == 4)
        let old = try server.aws(["iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v2"]).json?["PolicyVersion"]
        #expect(old?["IsDefaultVersion"] == .bool(false))
        #expect(old?["Document"]?["Statement"]?.arrayValue?.first?["Resource"] == .array([.string("arn:aws:iam::*:user/${aws:username}")]))
        let current = try server.aws(["iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v5"]).json?["PolicyVersion"]
        #expect(current?["Document"]?["Statement"]?.arrayValue?.first?["Resource"]?.arrayValue?.count == 2)
    }

    @Test("list-policies --scope AWS lists in AWS's recorded order, pages included")
    func awsManagedOrder() throws {
        let server = try GatehouseProcess()
        let first = try server.aws(["iam", "list-policies", "--scope", "AWS", "--max-items", "5"]).json
        #expect(first?.strings("Policies", "PolicyName") == [
            "AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "AWSCloudFormationReadOnlyAccess", "CloudFrontFullAccess",
        ])
        let small = try server.aws(["iam", "list-policies", "--scope", "AWS", "--page-size", "300"]).json?.strings("Policies", "PolicyName")
        let large = try server.aws(["iam", "list-policies", "--scope", "AWS"]).json?.strings("Policies", "PolicyName")
        #expect(small == large)
        #expect(Array(small?.prefix(5) ?? []) == first?.strings("Policies", "PolicyName"))
    }

    @Test("create-policy answers its tags in the order given; list-policy-tags lists them by key")
    func policyTagOrder() throws {
        let server = try GatehouseProcess()
        let created = try server.aws([
            "iam", "create-policy", "--policy-name", "tagged", "--policy-document", Doc.allow(), "--tags", "Key=a,Value=lower", "Key=A,Value=upper",
        ]).json
        #expect(created?["Policy"]?["Tags"]?.arrayValue?.map { $0["Key"]?.stringValue } == ["a", "A"])
        let listed = try server.aws(["iam", "list-policy-tags", "--policy-arn", "arn:aws:iam::\(account):policy/tagged"]).json
        #expect(listed?.strings("Tags", "Key") == ["A", "a"])
    }

    @Test("regional S3 resource types may name a region in a policy; a bucket may not")
    func regionalS3Resources() throws {
        let server = try GatehouseProcess()
        let accessPoint = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:us-west-2:123456789012:accesspoint/reports/object/*"}]}"#
        #expect(try server.aws(["iam", "create-policy", "--policy-name", "ap", "--policy-document", accessPoint]).succeeded)
        let bucket = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:us-west-2:123456789012:reports/2026"}]}"#
        let refused = try server.aws(["iam", "create-policy", "--policy-name", "bucket", "--policy-document", bucket])
        #expect(refused.errorCode == "MalformedPolicyDocument")
        #expect(refused.errorMessage == "Resource arn:aws:s3:us-west-2:123456789012:reports/2026 can not contain region information.")
    }

    @Test("list-entities-for-policy names the roles, users and groups a policy is attached to, with filters")
    func entitiesForPolicy() throws {
        let server = try GatehouseProcess()
        let arn = try server.createPolicy("shared")
        try server.createRole("r2")
        try server.createRole("r1", path: "/svc/")
        try server.createUser("u")
        try server.createGroup("g")
        for (action, key, name) in [("AttachRolePolicy", "RoleName", "r1"), ("AttachRolePolicy", "RoleName", "r2"),
                                    ("AttachUserPolicy", "UserName", "u"), ("AttachGroupPolicy", "GroupName", "g")] {
            try server.iamOK(action, [key: name, "PolicyArn": arn])
        }
        let all = try #require(try server.aws(["iam", "list-entities-for-policy", "--policy-arn", arn]).json)
        #expect(all.strings("PolicyRoles", "RoleName") == ["r1", "r2"])
        #expect(all.strings("PolicyUsers", "UserName") == ["u"])
        #expect(all.strings("PolicyGroups", "GroupName") == ["g"])
        #expect(all["PolicyRoles"]?.arrayValue?.allSatisfy { $0["RoleId"]?.stringValue?.hasPrefix("AROA") == true } == true)
        let roles = try #require(try server.aws(["iam", "list-entities-for-policy", "--policy-arn", arn, "--entity-filter", "Role", "--path-prefix", "/svc/"]).json)
        #expect(roles.strings("PolicyRoles", "RoleName") == ["r1"])
        #expect(roles["PolicyUsers"] == .array([]))
        #expect(roles["PolicyGroups"] == .array([]))
        #expect(try server.iam("GetPolicy", ["PolicyArn": arn]).value("AttachmentCount") == "4")
        let missing = try server.iam("ListEntitiesForPolicy", ["PolicyArn": "arn:aws:iam::\(account):policy/ghost"])
        #expect(missing.status == 404)
        #expect(missing.errorMessage == "Policy arn:aws:iam::000000000000:policy/ghost does not exist or is not attachable.")
        // As AWS answered it: the policy-kind filters list no entities, even for an attached customer managed policy.
        let local = try #require(try server.aws(["iam", "list-entities-for-policy", "--policy-arn", arn, "--entity-filter", "LocalManagedPolicy"]).json)
        #expect(local["PolicyRoles"] == .array([]) && local["PolicyUsers"] == .array([]) && local["PolicyGroups"] == .array([]))
    }

    @Test("list-policy-tags pages through tags whose keys differ only in case")
    func policyTagPaging() throws {
        let server = try GatehouseProcess()
        let arn = try server.createPolicy("tagged")
        try server.iamOK("TagPolicy", [
            "PolicyArn": arn, "Tags.member.1.Key": "a", "Tags.member.1.Value": "1", "Tags.member.2.Key": "A", "Tags.member.2.Value": "2",
            "Tags.member.3.Key": "b", "Tags.member.3.Value": "3", "Tags.member.4.Key": "B", "Tags.member.4.Value": "4",
        ])
        #expect(try server.iam("ListPolicyTags", ["PolicyArn": arn]).values("Key") == ["A", "B", "a", "b"])
        let paged = try server.aws(["iam", "list-policy-tags", "--policy-arn", arn, "--page-size", "1"])
        #expect(paged.json?.strings("Tags", "Key") == ["A", "B", "a", "b"], "\(paged.stderr)")
    }

    @Test("a customer policy named like an AWS managed policy is listed beside it on every page")
    func sameNamePaging() throws {
        let server = try GatehouseProcess()
        let local = try server.createPolicy("AdministratorAccess")
        try server.createRole("r")
        try server.iamOK("AttachRolePolicy", ["RoleName": "r", "PolicyArn": local])
        try server.iamOK("AttachRolePolicy", ["RoleName": "r", "PolicyArn": Self.admin])
        let both = [local, Self.admin]
        #expect(Set(try server.iam("ListPolicies", ["OnlyAttached": "true"]).values("Arn")) == Set(both))
        #expect(Set(try server.iam("ListAttachedRolePolicies", ["RoleName": "r"]).values("PolicyArn")) == Set(both))
        let policies = try server.aws(["iam", "list-policies", "--only-attached", "--page-size", "1"]).json?.strings("Policies", "Arn") ?? []
        let attached = try server.aws(["iam", "list-attached-role-policies", "--role-name", "r", "--page-size", "1"]).json?.strings("AttachedPolicies", "PolicyArn") ?? []
        #expect(Set(policies) == Set(both))
        #expect(Set(attached) == Set(both))
    }
}
