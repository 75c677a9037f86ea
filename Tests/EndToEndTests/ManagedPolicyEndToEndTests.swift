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

    @Test("a sixth version is LimitExceeded, and version numbers are never reused")
    func versionLimit() throws {
        let server = try GatehouseProcess()
        let arn = try server.createPolicy("five")
        for _ in 2...5 { try server.iamOK("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Doc.allow()]) }
        let sixth = try server.aws(["iam", "create-policy-version", "--policy-arn", arn, "--policy-document", Doc.allow(), "--set-as-default"])
        #expect(sixth.errorCode == "LimitExceeded")
        #expect(sixth.errorMessage == "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
        let versions = try server.iam("ListPolicyVersions", ["PolicyArn": arn])
        #expect(versions.values("VersionId") == ["v5", "v4", "v3", "v2", "v1"])
        #expect(try server.iam("GetPolicy", ["PolicyArn": arn]).value("DefaultVersionId") == "v1")

        try server.iamOK("DeletePolicyVersion", ["PolicyArn": arn, "VersionId": "v5"])
        #expect(try server.iamOK("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Doc.allow()]).value("VersionId") == "v6")
    }

    @Test("the default version cannot be deleted, and missing versions are NoSuchEntity with AWS's text")
    func versionErrors() throws {
        let server = try GatehouseProcess()
        let arn = try server.createPolicy("p")
        let deleteDefault = try server.aws(["iam", "delete-policy-version", "--policy-arn", arn, "--version-id", "v1"])
        #expect(deleteDefault.errorCode == "DeleteConflict")
        #expect(deleteDefault.errorMessage == "Cannot delete the default version of a policy.")
        #expect(try server.iam("ListPolicyVersions", ["PolicyArn": arn]).values("VersionId") == ["v1"])

        let text = "Policy arn:aws:iam::000000000000:policy/p version v9 does not exist or is not attachable."
        let get = try server.aws(["iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v9"])
        #expect(get.errorCode == "NoSuchEntity")
        #expect(get.errorMessage == text)
        for action in ["DeletePolicyVersion", "SetDefaultPolicyVersion"] {
            let raw = try server.iam(action, ["PolicyArn": arn, "VersionId": "v9"])
            #expect(raw.status == 404, "\(action)")
            #expect(raw.errorMessage == text, "\(action)")
        }
        let ghost = try server.iam("GetPolicyVersion", ["PolicyArn": "arn:aws:iam::\(account):policy/ghost", "VersionId": "v1"])
        #expect(ghost.status == 404)
        #expect(ghost.errorMessage == "Policy arn:aws:iam::000000000000:policy/ghost version v1 does not exist or is not attachable.")
        let badId = try server.iam("GetPolicyVersion", ["PolicyArn": arn, "VersionId": "1"])
        #expect(badId.status == 400)
        #expect(badId.errorCode == "ValidationError")
        #expect(badId.errorMessage == "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?")
    }

    @Test("a policy attached to an entity or used as a boundary cannot be deleted")
    func deleteAttached() throws {
        let server = try GatehouseProcess()
        let arn = try server.createPolicy("in-use")
        try server.createUser("u")
        try server.iamOK("AttachUserPolicy", ["UserName": "u", "PolicyArn": arn])
        let before = try server.iam("GetPolicy", ["PolicyArn": arn]).state
        let attached = try server.aws(["iam", "delete-policy", "--policy-arn", arn])
        #expect(attached.errorCode == "DeleteConflict")
        #expect(attached.errorMessage == "Cannot delete a policy attached to entities.")
        #expect(try server.iam("GetPolicy", ["PolicyArn": arn]).state == before)

        try server.iamOK("DetachUserPolicy", ["UserName": "u", "PolicyArn": arn])
        try server.iamOK("PutUserPermissionsBoundary", ["UserName": "u", "PermissionsBoundary": arn])
        let boundary = try server.iam("DeletePolicy", ["PolicyArn": arn])
        #expect(boundary.status == 409)
        #expect(boundary.errorMessage == "Cannot delete a policy attached to entities.")
        try server.iamOK("DeleteUserPermissionsBoundary", ["UserName": "u"])
        try server.iamOK("DeletePolicy", ["PolicyArn": arn])
        #expect(try server.iam("GetPolicy", ["PolicyArn": arn]).status == 404)
    }

    @Test("a policy with versions besides the default cannot be deleted until they are")
    func deleteWithVersions() throws {
        let server = try GatehouseProcess()
        let arn = try server.createPolicy("many")
        try server.iamOK("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Doc.allow(), "SetAsDefault": "true"])
        let result = try server.aws(["iam", "delete-policy", "--policy-arn", arn])
        #expect(result.errorCode == "DeleteConflict")
        #expect(result.errorMessage == "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
        #expect(try server.iam("ListPolicyVersions", ["PolicyArn": arn]).values("VersionId") == ["v2", "v1"])
        try server.iamOK("DeletePolicyVersion", ["PolicyArn": arn, "VersionId": "v1"])
        try server.iamOK("DeletePolicy", ["PolicyArn": arn])
    }

    @Test("a managed policy over 6,144 characters is LimitExceeded; whitespace does not count")
    func policySize() throws {
        let server = try GatehouseProcess()
        let atLimit = Doc.identity(size: 6144, whitespace: 3000)
        #expect(try server.aws(["iam", "create-policy", "--policy-name", "fits", "--policy-document", atLimit]).succeeded)
        let over = Doc.identity(size: 6145)
        let create = try server.aws(["iam", "create-policy", "--policy-name", "too-big", "--policy-document", over])
        #expect(create.errorCode == "LimitExceeded")
        #expect(create.errorMessage == "Cannot exceed quota for PolicySize: 6144")
        #expect(try server.iam("GetPolicy", ["PolicyArn": "arn:aws:iam::\(account):policy/too-big"]).status == 404)
        let version = try server.iam("CreatePolicyVersion", ["PolicyArn": "arn:aws:iam::\(account):policy/fits", "PolicyDocument": over])
        #expect(version.status == 409)
        #expect(version.errorCode == "LimitExceeded")
        #expect(version.errorMessage == "Cannot exceed quota for PolicySize: 6144")
        #expect(try server.iam("ListPolicyVersions", ["PolicyArn": "arn:aws:iam::\(account):policy/fits"]).values("VersionId") == ["v1"])
    }

    static let grammar: [(document: String, message: String)] = [
        ("not json", "Syntax errors in policy."),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:GetObject","Resource":"*"}]}"#, "Syntax errors in policy."),
        (#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#, "Policy document must be version 2012-10-17 or greater."),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}"#, "Policy statement must contain actions."),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}"#, "Policy statement must contain resources."),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}"#, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"invalid resource"}]}"#, #"Resource invalid resource must be in ARN format or "*"."#),
        (
            #"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#,
            "Statement IDs (SID) in a single policy must be unique."
        ),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#, "Policy document should not specify a principal."),
        (
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam:us-east-1:000000000000:role/x"}]}"#,
            "IAM resource arn:aws:iam:us-east-1:000000000000:role/x cannot contain region information."
        ),
    ]

    @Test("policy grammar errors are MalformedPolicyDocument with AWS's messages", arguments: grammar)
    func grammarErrors(document: String, message: String) throws {
        let server = try GatehouseProcess()
        let result = try server.aws(["iam", "create-policy", "--policy-name", "bad", "--policy-document", document])
        #expect(result.errorCode == "MalformedPolicyDocument", "\(result.stderr)")
        #expect(result.errorMessage == message)
        let raw = try server.iam("CreatePolicy", ["PolicyName": "bad", "PolicyDocument": document])
        #expect(raw.status == 400)
        #expect(try server.iam("ListPolicies", ["Scope": "Local"]).values("PolicyName").isEmpty)
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

    @Test("AdministratorAccess carries AWS's own policy id and description")
    func awsManagedIdentity() throws {
        let server = try GatehouseProcess()
        let got = try server.aws(["iam", "get-policy", "--policy-arn", Self.admin]).json?["Policy"]
        withKnownIssue("the catalog derives ids from names and has no descriptions (seed/aws-managed-policies.json); AWS answers ANPAIWMBCKSKIEE64ZLYK and its description") {
            #expect(got?["PolicyId"]?.stringValue == "ANPAIWMBCKSKIEE64ZLYK")
            #expect(got?["Description"]?.stringValue == "Provides full access to AWS services and resources.")
        }
    }

    @Test("AWS managed policies cannot be changed: new versions, default changes, tags and deletion are refused")
    func awsManagedUnchangeable() throws {
        let server = try GatehouseProcess()
        let result = try server.aws(["iam", "create-policy-version", "--policy-arn", Self.admin, "--policy-document", Doc.allow(), "--set-as-default"])
        #expect(result.errorCode == "AccessDenied", "\(result.stderr)")
        for (action, extra) in [
            ("DeletePolicy", [:]), ("SetDefaultPolicyVersion", ["VersionId": "v1"]), ("DeletePolicyVersion", ["VersionId": "v1"]),
            ("TagPolicy", ["Tags.member.1.Key": "k", "Tags.member.1.Value": "v"]),
        ] {
            let raw = try server.iam(action, extra.merging(["PolicyArn": Self.admin]) { $1 })
            #expect(raw.status == 403, "\(action): \(raw)")
            #expect(raw.errorCode == "AccessDenied")
        }
        #expect(try server.iam("ListPolicyVersions", ["PolicyArn": Self.admin]).values("VersionId") == ["v1"])
        #expect(try server.iam("ListPolicyTags", ["PolicyArn": Self.admin]).values("Key").isEmpty)
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
        #expect(missing.errorMessage == "Policy arn:aws:iam::000000000000:policy/ghost was not found.")
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

    @Test("policy tag keys are case-sensitive: a and A are two tags, listed A before a")
    func policyTags() throws {
        let server = try GatehouseProcess()
        let created = try server.aws(["iam", "create-policy", "--policy-name", "tagged", "--policy-document", Doc.allow(), "--tags", "Key=a,Value=lower", "Key=A,Value=upper"])
        #expect(created.json?["Policy"]?["Tags"]?.count == 2, "\(created.stderr)")
        let arn = "arn:aws:iam::\(account):policy/tagged"
        let tags = try server.aws(["iam", "list-policy-tags", "--policy-arn", arn]).json?["Tags"]
        #expect(tags == json(#"[{"Key":"A","Value":"upper"},{"Key":"a","Value":"lower"}]"#))
        let duplicate = try server.iam("TagPolicy", [
            "PolicyArn": arn, "Tags.member.1.Key": "b", "Tags.member.1.Value": "1", "Tags.member.2.Key": "b", "Tags.member.2.Value": "2",
        ])
        #expect(duplicate.status == 400)
        #expect(duplicate.errorCode == "InvalidInput")
        #expect(duplicate.errorMessage == "Duplicate tag keys found.")
        try server.iamOK("UntagPolicy", ["PolicyArn": arn, "TagKeys.member.1": "a"])
        #expect(try server.iam("ListPolicyTags", ["PolicyArn": arn]).values("Key") == ["A"])
        let ghost = try server.iam("TagPolicy", ["PolicyArn": "arn:aws:iam::\(account):policy/ghost", "Tags.member.1.Key": "k", "Tags.member.1.Value": "v"])
        #expect(ghost.status == 404)
        #expect(ghost.errorMessage == "Policy arn:aws:iam::000000000000:policy/ghost was not found.")
    }
}
