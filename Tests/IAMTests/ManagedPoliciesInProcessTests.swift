import Foundation
import GatehouseTesting
import Testing

/// Customer and AWS managed policies and their versions, in process.
@Suite("Managed policies, in process")
struct ManagedPoliciesInProcessTests {
    static let admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    static let readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"

    /// IAM's order: name ignoring case, then exactly, then ARN.
    static func inOrder(_ arns: [String]) -> [String] {
        arns.sorted { a, b in
            let (x, y) = (String(a.split(separator: "/").last!), String(b.split(separator: "/").last!))
            return (x.lowercased(), x, a) < (y.lowercased(), y, b)
        }
    }

    // MARK: - Listing

    @Test("ListPolicies merges customer and AWS managed policies in IAM's order: small pages give the whole list once, in order")
    func listPoliciesMerges() async throws {
        let world = try TestWorld()
        for name in ["AdministratorAccess", "aaa-first", "Zeta", "awsx", "ReadOnlyAccessToo", "mid-m"] {
            try await world.createPolicy(name)
        }
        let local = try await world.pages("ListPolicies", ["Scope": "Local"], element: "Arn", maxItems: 4)
        #expect(local.count == 6)
        let aws = try await world.pages("ListPolicies", ["Scope": "AWS"], element: "Arn", maxItems: 1000)
        #expect(aws.count > 1000)
        let all = try await world.pages("ListPolicies", element: "Arn", maxItems: 97)
        #expect(all == Self.inOrder(local + aws))
        #expect(Set(all).count == all.count)
        // The customer AdministratorAccess comes right before AWS's (its ARN sorts first).
        let index = try #require(all.firstIndex(of: Self.admin))
        #expect(all[index - 1] == "arn:aws:iam::000000000000:policy/AdministratorAccess")
    }

    @Test("ListPolicies Scope=AWS lists in AWS's recorded order, not by name, and its pages resume in that order")
    func listPoliciesAWSOrder() async throws {
        let world = try TestWorld()
        let first = try await world.iamOK("ListPolicies", ["Scope": "AWS", "MaxItems": "5"])
        // The first page recorded against AWS on 12-02-2026 (LocalStack test_list_policies_scope_aws).
        #expect(first.values("PolicyName") == [
            "AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "AWSCloudFormationReadOnlyAccess", "CloudFrontFullAccess",
        ])
        #expect(first.values("DefaultVersionId").prefix(3) == ["v1", "v12", "v178"])
        let whole = try await world.pages("ListPolicies", ["Scope": "AWS"], element: "PolicyName", maxItems: 1000)
        #expect(try await world.pages("ListPolicies", ["Scope": "AWS"], element: "PolicyName", maxItems: 7) == whole)
        #expect(Set(whole).count == whole.count)
        #expect(whole != whole.sorted())
        let forged = try await world.iam("ListPolicies", ["Scope": "AWS", "Marker": Data("gatehouse-after:arn:aws:iam::aws:policy/Nope".utf8).base64EncodedString()])
        #expect(forged.status == 400)
    }

    @Test("AWS managed policies carry their recorded ids and dates and every recorded version, older documents rebuilt exactly")
    func awsManagedVersions() async throws {
        let world = try TestWorld()
        let s3 = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
        let policy = try await world.iamOK("GetPolicy", ["PolicyArn": s3])
        #expect(policy.value("PolicyId") == "ANPAIFIR6V6BVTRAHWINE")
        #expect(policy.value("DefaultVersionId") == "v2")
        #expect(policy.value("CreateDate") == "2015-02-06T18:40:58Z")
        #expect(policy.value("UpdateDate") == "2021-09-27T20:16:37Z")
        // The data set has no descriptions: none is made up.
        #expect(policy.value("Description") == nil)
        let versions = try await world.iamOK("ListPolicyVersions", ["PolicyArn": s3])
        #expect(versions.values("VersionId") == ["v2", "v1"])
        #expect(versions.values("IsDefaultVersion") == ["true", "false"])
        #expect(versions.values("CreateDate") == ["2021-09-27T20:16:37Z", "2015-02-06T18:40:58Z"])
        #expect(versions.value("Document") == nil)
        let v1 = try await world.iamOK("GetPolicyVersion", ["PolicyArn": s3, "VersionId": "v1"])
        #expect(v1.value("Document")?.removingPercentEncoding == #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
        #expect(v1.value("IsDefaultVersion") == "false")
        #expect(v1.value("CreateDate") == "2015-02-06T18:40:58Z")
        let v2 = try await world.iamOK("GetPolicyVersion", ["PolicyArn": s3, "VersionId": "v2"])
        #expect(v2.value("Document")?.removingPercentEncoding == #"{"Version":"2012-10-17","Statement":[{"Action":["s3:*","s3-object-lambda:*"],"Resource":"*","Effect":"Allow"}]}"#)
        #expect(v2.value("IsDefaultVersion") == "true")

        // Three edits back from the newest: v2 of IAMUserChangePassword allowed only the user's own path.
        let change = "arn:aws:iam::aws:policy/IAMUserChangePassword"
        #expect(try await world.iamOK("ListPolicyVersions", ["PolicyArn": change]).values("VersionId") == ["v5", "v4", "v3", "v2"])
        let old = try await world.iamOK("GetPolicyVersion", ["PolicyArn": change, "VersionId": "v2"])
        #expect(old.value("Document")?.removingPercentEncoding == #"{"Version":"2012-10-17","Statement":[{"Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}"],"Effect":"Allow"},{"Action":["iam:GetAccountPasswordPolicy"],"Resource":"*","Effect":"Allow"}]}"#)
        #expect(old.value("CreateDate") == "2016-11-15T23:18:55Z")
        let paged = try await world.pages("ListPolicyVersions", ["PolicyArn": change], element: "VersionId", maxItems: 1)
        #expect(paged == ["v5", "v4", "v3", "v2"])
        let missing = try await world.iam("GetPolicyVersion", ["PolicyArn": s3, "VersionId": "v3"])
        #expect(missing.status == 404)
        #expect(missing.errorCode == "NoSuchEntity")
    }

    @Test("the account's customer managed policies stop at the PoliciesQuota GetAccountSummary reports: the next is LimitExceeded (409) and nothing is made")
    func policyQuota() async throws {
        let world = try TestWorld()
        func summary() async throws -> [String: Int] {
            let answer = try await world.iamOK("GetAccountSummary")
            return Dictionary(uniqueKeysWithValues: zip(answer.values("key"), answer.values("value").map { Int($0) ?? -1 }))
        }
        let quota = try #require(try await summary()["PoliciesQuota"])
        #expect(quota == 1500)
        // AWS managed policies in use are not the account's and do not count.
        try await HolderKind.role.create("holder", in: world)
        try await world.iamOK("AttachRolePolicy", ["RoleName": "holder", "PolicyArn": Self.readOnly])
        for index in 0..<quota { try await world.createPolicy("p\(index)") }
        #expect(try await summary()["Policies"] == quota)
        let refused = try await world.iam("CreatePolicy", ["PolicyName": "one-too-many", "PolicyDocument": Docs.allow()])
        #expect(refused.status == 409)
        #expect(refused.errorCode == "LimitExceeded")
        #expect(refused.errorMessage == "Cannot exceed quota for PoliciesPerAccount: 1500")
        #expect(try await world.iam("GetPolicy", ["PolicyArn": "arn:aws:iam::000000000000:policy/one-too-many"]).status == 404)
        #expect(try await summary()["Policies"] == quota)
        // Room again after a delete.
        try await world.iamOK("DeletePolicy", ["PolicyArn": "arn:aws:iam::000000000000:policy/p0"])
        try await world.createPolicy("one-too-many")
    }

    @Test("a policy deleted between pages shifts no page; a forged marker is refused")
    func listPoliciesAcrossDeletion() async throws {
        let world = try TestWorld()
        for name in ["b", "A", "c", "D", "e"] { try await world.createPolicy(name) }
        let first = try await world.iamOK("ListPolicies", ["Scope": "Local", "MaxItems": "2"])
        #expect(first.values("PolicyName") == ["A", "b"])
        try await world.iamOK("DeletePolicy", ["PolicyArn": "arn:aws:iam::000000000000:policy/A"])
        let second = try await world.iamOK("ListPolicies", ["Scope": "Local", "MaxItems": "2", "Marker": try #require(first.value("Marker"))])
        #expect(second.values("PolicyName") == ["c", "D"])
        let forged = try await world.iam("ListPolicies", ["Marker": "%%%"])
        #expect(forged.status == 400)
        #expect(forged.errorMessage == "Invalid Marker.")
    }

    @Test("OnlyAttached and PolicyUsageFilter list the used policies of both kinds, a page at a time")
    func listUsedPolicies() async throws {
        let world = try TestWorld()
        let alpha = try await world.createPolicy("Alpha")
        let bound = try await world.createPolicy("bound")
        try await world.createPolicy("unused")
        #expect(try await world.iam("CreateRole", ["RoleName": "r", "AssumeRolePolicyDocument": IAMInProcessTests.trust]).status == 200)
        for arn in [alpha, Self.admin, Self.readOnly] { try await world.iamOK("AttachRolePolicy", ["RoleName": "r", "PolicyArn": arn]) }
        try await world.iamOK("PutRolePermissionsBoundary", ["RoleName": "r", "PermissionsBoundary": bound])

        let used = try await world.pages("ListPolicies", ["OnlyAttached": "true"], element: "PolicyName", maxItems: 1)
        #expect(used == ["AdministratorAccess", "Alpha", "bound", "ReadOnlyAccess"])
        let attached = try await world.pages(
            "ListPolicies", ["OnlyAttached": "true", "PolicyUsageFilter": "PermissionsPolicy"], element: "PolicyName", maxItems: 2)
        #expect(attached == ["AdministratorAccess", "Alpha", "ReadOnlyAccess"])
        let boundaries = try await world.iamOK("ListPolicies", ["PolicyUsageFilter": "PermissionsBoundary"])
        #expect(boundaries.values("PolicyName") == ["bound"])
        #expect(boundaries.value("PermissionsBoundaryUsageCount") == "1")
        let awsAttached = try await world.iamOK("ListPolicies", ["OnlyAttached": "true", "Scope": "AWS"])
        #expect(awsAttached.values("PolicyName") == ["AdministratorAccess", "ReadOnlyAccess"])
        #expect(awsAttached.values("AttachmentCount") == ["1", "1"])
    }

    @Test("a whole page of ListPolicies counts each policy's attachments and boundary uses as GetPolicy does")
    func listCountsMatchGetPolicy() async throws {
        let world = try TestWorld()
        let bound = try await world.createPolicy("bound")
        #expect(try await world.iam("CreateRole", ["RoleName": "r", "AssumeRolePolicyDocument": IAMInProcessTests.trust]).status == 200)
        try await world.iamOK("CreateUser", ["UserName": "u", "PermissionsBoundary": bound])
        try await world.iamOK("CreateGroup", ["GroupName": "g"])
        try await world.iamOK("PutRolePermissionsBoundary", ["RoleName": "r", "PermissionsBoundary": bound])
        for (operation, key, name) in [("AttachRolePolicy", "RoleName", "r"), ("AttachUserPolicy", "UserName", "u"), ("AttachGroupPolicy", "GroupName", "g")] {
            try await world.iamOK(operation, [key: name, "PolicyArn": Self.admin])
        }
        try await world.iamOK("AttachUserPolicy", ["UserName": "u", "PolicyArn": bound])
        let page = try await world.iamOK("ListPolicies", ["MaxItems": "1000"])
        let names = page.values("PolicyName"), arns = page.values("Arn")
        let attachments = page.values("AttachmentCount"), boundaries = page.values("PermissionsBoundaryUsageCount")
        #expect(names.count == 1000)
        for (index, name) in names.enumerated() where ["AdministratorAccess", "bound", "ReadOnlyAccess"].contains(name) {
            let one = try await world.iamOK("GetPolicy", ["PolicyArn": arns[index]])
            #expect(attachments[index] == one.value("AttachmentCount"), "\(name)")
            #expect(boundaries[index] == one.value("PermissionsBoundaryUsageCount"), "\(name)")
        }
        let counts = Dictionary(uniqueKeysWithValues: zip(names, zip(attachments, boundaries)))
        #expect(counts["AdministratorAccess"]?.0 == "3" && counts["AdministratorAccess"]?.1 == "0")
        let local = try await world.iamOK("ListPolicies", ["Scope": "Local"])
        #expect(local.values("AttachmentCount") == ["1"] && local.values("PermissionsBoundaryUsageCount") == ["2"])
    }

    @Test("ListPolicyVersions pages newest first; a version deleted between pages shifts no page")
    func listVersions() async throws {
        let world = try TestWorld()
        let arn = try await world.createPolicy("versioned")
        for _ in 2...5 { try await world.iamOK("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Docs.allow()]) }
        let first = try await world.iamOK("ListPolicyVersions", ["PolicyArn": arn, "MaxItems": "2"])
        #expect(first.values("VersionId") == ["v5", "v4"])
        try await world.iamOK("DeletePolicyVersion", ["PolicyArn": arn, "VersionId": "v4"])
        let rest = try await world.iamOK("ListPolicyVersions", ["PolicyArn": arn, "Marker": try #require(first.value("Marker"))])
        #expect(rest.values("VersionId") == ["v3", "v2", "v1"])
        #expect(rest.values("IsDefaultVersion") == ["false", "false", "true"])
        #expect(try await world.pages("ListPolicyVersions", ["PolicyArn": Self.admin], element: "VersionId", maxItems: 1) == ["v1"])
    }

    @Test("ListEntitiesForPolicy pages through groups, then roles, then users, each by name")
    func listEntitiesPages() async throws {
        let world = try TestWorld()
        let arn = try await world.createPolicy("shared")
        for (kind, name) in [(HolderKind.user, "u1"), (.role, "R2"), (.group, "g"), (.role, "r1"), (.user, "U0")] {
            try await kind.create(name, in: world)
            try await world.iamOK("Attach\(kind.api)Policy", [kind.nameKey: name, "PolicyArn": arn])
        }
        try await world.iamOK("PutUserPermissionsBoundary", ["UserName": "U0", "PermissionsBoundary": arn])
        try await world.iamOK("DetachUserPolicy", ["UserName": "U0", "PolicyArn": arn])
        var names: [String] = []
        var marker: String?
        repeat {
            var request = ["PolicyArn": arn, "MaxItems": "2"]
            if let marker { request["Marker"] = marker }
            let page = try await world.iamOK("ListEntitiesForPolicy", request)
            names += page.values("GroupName") + page.values("RoleName") + page.values("UserName")
            marker = page.value("Marker")
        } while marker != nil
        #expect(names == ["g", "r1", "R2", "U0", "u1"])
        let boundaries = try await world.iamOK("ListEntitiesForPolicy", ["PolicyArn": arn, "PolicyUsageFilter": "PermissionsBoundary"])
        #expect(boundaries.values("UserName") == ["U0"])
        #expect(boundaries.values("RoleName").isEmpty)

        let first = try await world.iamOK("ListEntitiesForPolicy", ["PolicyArn": arn, "MaxItems": "2"])
        try await world.iamOK("DetachRolePolicy", ["RoleName": "R2", "PolicyArn": arn])
        let next = try await world.iamOK("ListEntitiesForPolicy", ["PolicyArn": arn, "Marker": try #require(first.value("Marker"))])
        #expect(next.values("RoleName") + next.values("UserName") == ["U0", "u1"])
    }

    // MARK: - Changes apply at once, refusals change nothing

    @Test("a new default version applies to the very next request of a user it is attached to")
    func defaultVersionApplies() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        let arn = try await world.createPolicy("ops", document: Docs.allow("iam:ListRoles"))
        try await world.iamOK("AttachUserPolicy", ["UserName": "dev", "PolicyArn": arn])
        #expect(try await world.iam("ListRoles", as: key).status == 200)
        try await world.iamOK("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Docs.allow("iam:ListUsers"), "SetAsDefault": "true"])
        #expect(try await world.iam("ListRoles", as: key).errorCode == "AccessDenied")
        #expect(try await world.iam("ListUsers", as: key).status == 200)
        try await world.iamOK("SetDefaultPolicyVersion", ["PolicyArn": arn, "VersionId": "v1"])
        #expect(try await world.iam("ListRoles", as: key).status == 200)
        try await world.iamOK("DetachUserPolicy", ["UserName": "dev", "PolicyArn": arn])
        #expect(try await world.iam("ListRoles", as: key).errorCode == "AccessDenied")
    }

    @Test("a user without permission is refused DeletePolicy and CreatePolicyVersion with IAM's message, and nothing changes")
    func refusedChangesNothing() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        let arn = try await world.createPolicy("p")
        let before = try await world.iamOK("ListPolicyVersions", ["PolicyArn": arn]).state
        let refused = try await world.iam("DeletePolicy", ["PolicyArn": arn], as: key)
        #expect(refused.status == 403)
        #expect(refused.errorCode == "AccessDenied")
        #expect(refused.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: iam:DeletePolicy on resource: policy \(arn) because no identity-based policy allows the iam:DeletePolicy action")
        #expect(try await world.iam("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Docs.allow()], as: key).status == 403)
        #expect(try await world.iamOK("ListPolicyVersions", ["PolicyArn": arn]).state == before)
        // Authorization comes first: a missing policy is refused the same way.
        let ghost = try await world.iam("DeletePolicy", ["PolicyArn": "arn:aws:iam::000000000000:policy/ghost"], as: key)
        #expect(ghost.errorCode == "AccessDenied")
    }

    @Test("AWS managed policies are read as the caller's own: a user allowed to read any policy reads them, and cannot tag them")
    func awsManagedReadByUser() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetPolicy","iam:GetPolicyVersion","iam:ListPolicyTags","iam:TagPolicy"],"Resource":"*"}]}"#
        try await world.iamOK("PutUserPolicy", ["UserName": "dev", "PolicyName": "read", "PolicyDocument": policy])
        #expect(try await world.iam("GetPolicy", ["PolicyArn": Self.admin], as: key).value("PolicyName") == "AdministratorAccess")
        #expect(try await world.iam("GetPolicyVersion", ["PolicyArn": Self.admin, "VersionId": "v1"], as: key).status == 200)
        let tags = try await world.iam("ListPolicyTags", ["PolicyArn": Self.admin], as: key)
        #expect(tags.status == 200)
        #expect(tags.values("Key").isEmpty)
        let tag = try await world.iam("TagPolicy", ["PolicyArn": Self.admin, "Tags.member.1.Key": "k", "Tags.member.1.Value": "v"], as: key)
        #expect(tag.status == 403, "\(tag)")
    }

    // MARK: - Moved from the end-to-end suite (service behaviour only)

    @Test("a sixth version is LimitExceeded, and version numbers are never reused")
    func versionLimit() async throws {
        let world = try TestWorld()
        let arn = try await world.createPolicy("five")
        for _ in 2...5 { try await world.iamOK("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Docs.allow()]) }
        let sixth = try await world.iam("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Docs.allow(), "SetAsDefault": "true"])
        #expect(sixth.status == 409)
        #expect(sixth.errorCode == "LimitExceeded")
        #expect(sixth.errorMessage == "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
        #expect(try await world.iamOK("ListPolicyVersions", ["PolicyArn": arn]).values("VersionId") == ["v5", "v4", "v3", "v2", "v1"])
        #expect(try await world.iamOK("GetPolicy", ["PolicyArn": arn]).value("DefaultVersionId") == "v1")

        try await world.iamOK("DeletePolicyVersion", ["PolicyArn": arn, "VersionId": "v5"])
        #expect(try await world.iamOK("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Docs.allow()]).value("VersionId") == "v6")
    }

    @Test("the default version cannot be deleted, and missing versions are NoSuchEntity with AWS's text")
    func versionErrors() async throws {
        let world = try TestWorld()
        let arn = try await world.createPolicy("p")
        let deleteDefault = try await world.iam("DeletePolicyVersion", ["PolicyArn": arn, "VersionId": "v1"])
        #expect(deleteDefault.status == 409)
        #expect(deleteDefault.errorCode == "DeleteConflict")
        #expect(deleteDefault.errorMessage == "Cannot delete the default version of a policy.")
        #expect(try await world.iamOK("ListPolicyVersions", ["PolicyArn": arn]).values("VersionId") == ["v1"])

        let text = "Policy arn:aws:iam::000000000000:policy/p version v9 does not exist or is not attachable."
        for action in ["GetPolicyVersion", "DeletePolicyVersion", "SetDefaultPolicyVersion"] {
            let missing = try await world.iam(action, ["PolicyArn": arn, "VersionId": "v9"])
            #expect(missing.status == 404, "\(action)")
            #expect(missing.errorCode == "NoSuchEntity", "\(action)")
            #expect(missing.errorMessage == text, "\(action)")
        }
        let ghost = try await world.iam("GetPolicyVersion", ["PolicyArn": "arn:aws:iam::000000000000:policy/ghost", "VersionId": "v1"])
        #expect(ghost.status == 404)
        #expect(ghost.errorMessage == "Policy arn:aws:iam::000000000000:policy/ghost version v1 does not exist or is not attachable.")
        let badId = try await world.iam("GetPolicyVersion", ["PolicyArn": arn, "VersionId": "1"])
        #expect(badId.status == 400)
        #expect(badId.errorCode == "ValidationError")
        #expect(badId.message == "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?")
    }

    @Test("a policy attached to an entity or used as a boundary cannot be deleted")
    func deleteAttached() async throws {
        let world = try TestWorld()
        let arn = try await world.createPolicy("in-use")
        try await HolderKind.user.create("u", in: world)
        try await world.iamOK("AttachUserPolicy", ["UserName": "u", "PolicyArn": arn])
        let before = try await world.iamOK("GetPolicy", ["PolicyArn": arn]).state
        let attached = try await world.iam("DeletePolicy", ["PolicyArn": arn])
        #expect(attached.status == 409)
        #expect(attached.errorCode == "DeleteConflict")
        #expect(attached.errorMessage == "Cannot delete a policy attached to entities.")
        #expect(try await world.iamOK("GetPolicy", ["PolicyArn": arn]).state == before)

        try await world.iamOK("DetachUserPolicy", ["UserName": "u", "PolicyArn": arn])
        try await world.iamOK("PutUserPermissionsBoundary", ["UserName": "u", "PermissionsBoundary": arn])
        let boundary = try await world.iam("DeletePolicy", ["PolicyArn": arn])
        #expect(boundary.status == 409)
        #expect(boundary.errorMessage == "Cannot delete a policy attached to entities.")
        try await world.iamOK("DeleteUserPermissionsBoundary", ["UserName": "u"])
        try await world.iamOK("DeletePolicy", ["PolicyArn": arn])
        #expect(try await world.iam("GetPolicy", ["PolicyArn": arn]).status == 404)
    }

    @Test("a policy with versions besides the default cannot be deleted until they are")
    func deleteWithVersions() async throws {
        let world = try TestWorld()
        let arn = try await world.createPolicy("many")
        try await world.iamOK("CreatePolicyVersion", ["PolicyArn": arn, "PolicyDocument": Docs.allow(), "SetAsDefault": "true"])
        let result = try await world.iam("DeletePolicy", ["PolicyArn": arn])
        #expect(result.status == 409)
        #expect(result.errorCode == "DeleteConflict")
        #expect(result.message == "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
        #expect(try await world.iamOK("ListPolicyVersions", ["PolicyArn": arn]).values("VersionId") == ["v2", "v1"])
        try await world.iamOK("DeletePolicyVersion", ["PolicyArn": arn, "VersionId": "v1"])
        try await world.iamOK("DeletePolicy", ["PolicyArn": arn])
    }

    @Test("a managed policy over 6,144 characters is LimitExceeded; whitespace does not count")
    func policySize() async throws {
        let world = try TestWorld()
        let fits = try await world.createPolicy("fits", document: Docs.identity(size: 6144, whitespace: 3000))
        let over = Docs.identity(size: 6145)
        let create = try await world.iam("CreatePolicy", ["PolicyName": "too-big", "PolicyDocument": over])
        #expect(create.status == 409)
        #expect(create.errorCode == "LimitExceeded")
        #expect(create.errorMessage == "Cannot exceed quota for PolicySize: 6144")
        #expect(try await world.iam("GetPolicy", ["PolicyArn": "arn:aws:iam::000000000000:policy/too-big"]).status == 404)
        let version = try await world.iam("CreatePolicyVersion", ["PolicyArn": fits, "PolicyDocument": over])
        #expect(version.status == 409)
        #expect(version.errorCode == "LimitExceeded")
        #expect(version.errorMessage == "Cannot exceed quota for PolicySize: 6144")
        #expect(try await world.iamOK("ListPolicyVersions", ["PolicyArn": fits]).values("VersionId") == ["v1"])
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
    func grammarErrors(document: String, message: String) async throws {
        let world = try TestWorld()
        let result = try await world.iam("CreatePolicy", ["PolicyName": "bad", "PolicyDocument": document])
        #expect(result.status == 400)
        #expect(result.errorCode == "MalformedPolicyDocument", "\(result)")
        #expect(result.message == message)
        #expect(try await world.iamOK("ListPolicies", ["Scope": "Local"]).values("PolicyName").isEmpty)
    }

    @Test("AWS managed policies cannot be changed: new versions, default changes, tags and deletion are refused")
    func awsManagedUnchangeable() async throws {
        let world = try TestWorld()
        for (action, extra) in [
            ("CreatePolicyVersion", ["PolicyDocument": Docs.allow(), "SetAsDefault": "true"]), ("DeletePolicy", [:]),
            ("SetDefaultPolicyVersion", ["VersionId": "v1"]), ("DeletePolicyVersion", ["VersionId": "v1"]),
            ("TagPolicy", ["Tags.member.1.Key": "k", "Tags.member.1.Value": "v"]),
        ] {
            let refused = try await world.iam(action, extra.merging(["PolicyArn": Self.admin]) { $1 })
            #expect(refused.status == 403, "\(action): \(refused)")
            #expect(refused.errorCode == "AccessDenied", "\(action)")
        }
        #expect(try await world.iamOK("ListPolicyVersions", ["PolicyArn": Self.admin]).values("VersionId") == ["v1"])
        #expect(try await world.iamOK("ListPolicyTags", ["PolicyArn": Self.admin]).values("Key").isEmpty)
    }

    @Test("policy tag keys are case-sensitive: a and A are two tags, listed A before a, paged by key")
    func policyTags() async throws {
        let world = try TestWorld()
        let created = try await world.iamOK("CreatePolicy", [
            "PolicyName": "tagged", "PolicyDocument": Docs.allow(), "Tags.member.1.Key": "a", "Tags.member.1.Value": "lower",
            "Tags.member.2.Key": "A", "Tags.member.2.Value": "upper",
        ])
        // CreatePolicy answers the tags as given, ListPolicyTags by key (both recorded against AWS).
        #expect(created.values("Key") == ["a", "A"])
        let arn = "arn:aws:iam::000000000000:policy/tagged"
        let tags = try await world.iamOK("ListPolicyTags", ["PolicyArn": arn])
        #expect(tags.values("Key") == ["A", "a"])
        #expect(tags.values("Value") == ["upper", "lower"])
        let duplicate = try await world.iam("TagPolicy", [
            "PolicyArn": arn, "Tags.member.1.Key": "b", "Tags.member.1.Value": "1", "Tags.member.2.Key": "b", "Tags.member.2.Value": "2",
        ])
        #expect(duplicate.status == 400)
        #expect(duplicate.errorCode == "InvalidInput")
        #expect(duplicate.errorMessage == "Duplicate tag keys found.")
        try await world.iamOK("TagPolicy", ["PolicyArn": arn, "Tags.member.1.Key": "B", "Tags.member.1.Value": "3"])
        #expect(try await world.pages("ListPolicyTags", ["PolicyArn": arn], element: "Key", maxItems: 1) == ["A", "B", "a"])
        try await world.iamOK("UntagPolicy", ["PolicyArn": arn, "TagKeys.member.1": "a"])
        #expect(try await world.iamOK("ListPolicyTags", ["PolicyArn": arn]).values("Key") == ["A", "B"])
        let ghost = try await world.iam(
            "TagPolicy", ["PolicyArn": "arn:aws:iam::000000000000:policy/ghost", "Tags.member.1.Key": "k", "Tags.member.1.Value": "v"])
        #expect(ghost.status == 404)
        #expect(ghost.errorMessage == "Policy arn:aws:iam::000000000000:policy/ghost was not found.")
    }
}
