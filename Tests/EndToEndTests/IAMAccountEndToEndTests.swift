import Foundation
import JSON
import Testing

/// Account-level IAM through the CLI: authorization details, credential
/// report, service-linked roles and service-specific credentials (alias and
/// summary are checked in process, IAMTests).
@Suite("IAM account operations, end to end")
struct IAMAccountEndToEndTests {
    @Test("authorization details list users, groups, roles and policies with their documents, filtered")
    func authorizationDetails() throws {
        let server = try GatehouseProcess()
        let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        _ = try server.aws(["iam", "create-user", "--user-name", "u1"])
        _ = try server.aws(["iam", "create-group", "--group-name", "g1"])
        _ = try server.aws(["iam", "add-user-to-group", "--user-name", "u1", "--group-name", "g1"])
        _ = try server.aws(["iam", "put-user-policy", "--user-name", "u1", "--policy-name", "inline", "--policy-document", document])
        _ = try server.aws(["iam", "create-role", "--role-name", "r1", "--assume-role-policy-document", trust])
        let policyArn = try #require(try server.aws(["iam", "create-policy", "--policy-name", "p1", "--policy-document", document])
            .json?["Policy"]?["Arn"]?.stringValue)
        _ = try server.aws(["iam", "attach-role-policy", "--role-name", "r1", "--policy-arn", policyArn])
        _ = try server.aws(["iam", "attach-role-policy", "--role-name", "r1", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"])

        let users = try server.aws(["iam", "get-account-authorization-details", "--filter", "User"]).json
        #expect(users?["RoleDetailList"] == .array([]))
        let user = users?["UserDetailList"]?.arrayValue?.first
        #expect(user?["GroupList"] == .array([.string("g1")]))
        #expect(user?["UserPolicyList"]?.arrayValue?.first?["PolicyDocument"]?["Statement"]?.arrayValue?.first?["Action"]?.stringValue
            == "s3:ListBucket")

        let roles = try server.aws(["iam", "get-account-authorization-details", "--filter", "Role"]).json
        let role = roles?["RoleDetailList"]?.arrayValue?.first
        #expect(role?["AssumeRolePolicyDocument"]?["Statement"]?.arrayValue?.first?["Principal"]?["Service"]?.stringValue == "ec2.amazonaws.com")
        #expect(role?["AttachedManagedPolicies"]?.arrayValue?.count == 2)

        let aws = try server.aws(["iam", "get-account-authorization-details", "--filter", "AWSManagedPolicy"]).json
        #expect(aws?["Policies"]?.arrayValue?.map { $0["PolicyName"]?.stringValue } == ["ReadOnlyAccess"])
        let local = try server.aws(["iam", "get-account-authorization-details", "--filter", "LocalManagedPolicy"]).json
        let policy = local?["Policies"]?.arrayValue?.first
        #expect(policy?["AttachmentCount"] == .number(JSONNumber(1)))
        #expect(policy?["PolicyVersionList"]?.arrayValue?.first?["IsDefaultVersion"] == .bool(true))

        let page = try server.aws(["iam", "get-account-authorization-details", "--no-paginate", "--max-items", "2"]).json
        #expect(page?["IsTruncated"] == .bool(true))
        #expect(page?["Marker"]?.stringValue != nil)
    }

    /// The members of each entry, as recorded against AWS on 17-02-2026 (LocalStack
    /// test_iam_account_authorization_details: no_filter, filter_role, filter_aws_managed_policy).
    static let recordedMembers: [String: Set<String>] = [
        "user": ["Arn", "AttachedManagedPolicies", "CreateDate", "GroupList", "Path", "Tags", "UserId", "UserName"],
        "group": ["Arn", "AttachedManagedPolicies", "CreateDate", "GroupId", "GroupName", "GroupPolicyList", "Path"],
        "role": [
            "Arn", "AssumeRolePolicyDocument", "AttachedManagedPolicies", "CreateDate", "InstanceProfileList", "Path", "RoleId",
            "RoleLastUsed", "RoleName", "RolePolicyList", "Tags",
        ],
        "instanceProfile": ["Arn", "CreateDate", "InstanceProfileId", "InstanceProfileName", "Path", "Roles"],
        "nestedRole": ["Arn", "AssumeRolePolicyDocument", "CreateDate", "Path", "RoleId", "RoleName"],
        "policy": [
            "Arn", "AttachmentCount", "CreateDate", "DefaultVersionId", "IsAttachable", "Path", "PermissionsBoundaryUsageCount",
            "PolicyId", "PolicyName", "PolicyVersionList", "UpdateDate",
        ],
        "version": ["CreateDate", "Document", "IsDefaultVersion", "VersionId"],
    ]

    @Test("authorization details entries have exactly the members AWS's recorded ones have, AWS managed policies with every version")
    func authorizationDetailsMembers() throws {
        let server = try GatehouseProcess()
        func keys(_ value: JSONValue?) -> Set<String> { Set(value?.objectValue?.keys ?? []) }
        _ = try server.aws(["iam", "create-user", "--user-name", "plain"])
        _ = try server.aws(["iam", "create-group", "--group-name", "plain"])
        _ = try server.aws(["iam", "create-role", "--role-name", "plain", "--assume-role-policy-document", Doc.ec2Trust])
        _ = try server.aws(["iam", "create-instance-profile", "--instance-profile-name", "plain"])
        _ = try server.aws(["iam", "add-role-to-instance-profile", "--instance-profile-name", "plain", "--role-name", "plain"])
        _ = try server.aws(["iam", "create-policy", "--policy-name", "described", "--policy-document", Doc.allow(), "--description", "said once"])
        _ = try server.aws(["iam", "attach-role-policy", "--role-name", "plain", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3FullAccess"])

        let details = try server.aws(["iam", "get-account-authorization-details"])
        let all = try #require(details.json, "\(details.stderr)")
        let user = try #require(all["UserDetailList"]?.arrayValue?.first)
        #expect(keys(user) == Self.recordedMembers["user"])
        #expect(user["Tags"] == .array([]))
        let group = try #require(all["GroupDetailList"]?.arrayValue?.first)
        #expect(keys(group) == Self.recordedMembers["group"])
        #expect(group["GroupPolicyList"] == .array([]))
        let role = try #require(all["RoleDetailList"]?.arrayValue?.first)
        #expect(keys(role) == Self.recordedMembers["role"])
        #expect(role["Tags"] == .array([]))
        #expect(role["RolePolicyList"] == .array([]))
        #expect(keys(role["RoleLastUsed"]).isEmpty && role["RoleLastUsed"]?.objectValue != nil)
        let profile = try #require(role["InstanceProfileList"]?.arrayValue?.first)
        #expect(keys(profile) == Self.recordedMembers["instanceProfile"])
        #expect(keys(profile["Roles"]?.arrayValue?.first) == Self.recordedMembers["nestedRole"])
        let policies = try #require(all["Policies"]?.arrayValue)
        #expect(policies.map { $0["PolicyName"]?.stringValue } == ["described", "AmazonS3FullAccess"])
        for policy in policies {
            #expect(keys(policy) == Self.recordedMembers["policy"], "\(policy)")
            for version in policy["PolicyVersionList"]?.arrayValue ?? [] { #expect(keys(version) == Self.recordedMembers["version"]) }
        }
        let s3 = policies[1]
        #expect(s3["PolicyId"]?.stringValue == "ANPAIFIR6V6BVTRAHWINE")
        #expect(s3["AttachmentCount"] == .number(JSONNumber(1)))
        let versions = s3["PolicyVersionList"]?.arrayValue ?? []
        #expect(versions.map { $0["VersionId"]?.stringValue } == ["v2", "v1"])
        #expect(versions.map { $0["IsDefaultVersion"] } == [.bool(true), .bool(false)])
        #expect(versions.last?["Document"]?["Statement"]?.arrayValue?.first?["Action"]?.stringValue == "s3:*")

        // Only the AWS managed policies in use are listed.
        let aws = try server.aws(["iam", "get-account-authorization-details", "--filter", "AWSManagedPolicy"]).json
        #expect(aws?["Policies"]?.arrayValue?.map { $0["PolicyName"]?.stringValue } == ["AmazonS3FullAccess"])

        // An inline policy makes the user's UserPolicyList appear.
        _ = try server.aws(["iam", "put-user-policy", "--user-name", "plain", "--policy-name", "inline", "--policy-document", Doc.allow()])
        let users = try server.aws(["iam", "get-account-authorization-details", "--filter", "User"]).json
        let withInline = try #require(users?["UserDetailList"]?.arrayValue?.first)
        #expect(keys(withInline) == Self.recordedMembers["user"]!.union(["UserPolicyList"]))
    }

    @Test("the credential report is absent, then STARTED, then COMPLETE with a CSV of every user")
    func credentialReport() throws {
        let server = try GatehouseProcess()
        let before = try server.aws(["iam", "get-credential-report"])
        #expect(before.errorCode == "ReportNotPresent")
        _ = try server.aws(["iam", "create-user", "--user-name", "reported"])
        // As recorded against AWS: the first key made Inactive, then a second created: slot 1 is the active one.
        let first = try #require(try server.aws(["iam", "create-access-key", "--user-name", "reported"]).json?["AccessKey"]?["AccessKeyId"]?.stringValue)
        #expect(try server.aws(["iam", "update-access-key", "--user-name", "reported", "--access-key-id", first, "--status", "Inactive"]).succeeded)
        _ = try server.aws(["iam", "create-access-key", "--user-name", "reported"])
        let started = try server.aws(["iam", "generate-credential-report"]).json
        #expect(started?["State"]?.stringValue == "STARTED")
        #expect(started?["Description"]?.stringValue == "No report exists. Starting a new report generation task")
        #expect(try server.aws(["iam", "generate-credential-report"]).json?["State"]?.stringValue == "COMPLETE")
        let report = try server.aws(["iam", "get-credential-report"]).json
        #expect(report?["ReportFormat"]?.stringValue == "text/csv")
        let content = try #require(report?["Content"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        let lines = String(decoding: content, as: UTF8.self).split(separator: "\n")
        #expect(lines.first?.hasPrefix("user,arn,user_creation_time,password_enabled,") == true)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("<root_account>,arn:aws:iam::000000000000:root,"))
        #expect(lines[2].hasPrefix("reported,arn:aws:iam::000000000000:user/reported,"))
        let header = lines[0].split(separator: ",").map(String.init)
        let row = Dictionary(uniqueKeysWithValues: zip(header, lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        #expect(row["access_key_1_active"] == "true")
        #expect(row["access_key_2_active"] == "false")
        #expect(row["user_creation_time"]?.hasSuffix("+00:00") == true)
        #expect(row["access_key_1_last_rotated"]?.hasSuffix("+00:00") == true)
    }

    @Test("a service-linked role gets AWS's name, path, trust and policy; deletion is a task")
    func serviceLinkedRole() throws {
        let server = try GatehouseProcess()
        let created = try server.aws(["iam", "create-service-linked-role", "--aws-service-name", "spot.amazonaws.com"]).json?["Role"]
        #expect(created?["RoleName"]?.stringValue == "AWSServiceRoleForEC2Spot")
        #expect(created?["Path"]?.stringValue == "/aws-service-role/spot.amazonaws.com/")
        #expect(created?["AssumeRolePolicyDocument"]?["Statement"]?.arrayValue?.first?["Principal"]?["Service"]?.stringValue
            == "spot.amazonaws.com")
        let again = try server.aws(["iam", "create-service-linked-role", "--aws-service-name", "spot.amazonaws.com"])
        #expect(again.errorCode == "InvalidInput")
        #expect(again.stderr.contains("Service role name AWSServiceRoleForEC2Spot has been taken in this account, please try a different suffix."))
        let attached = try server.aws(["iam", "list-attached-role-policies", "--role-name", "AWSServiceRoleForEC2Spot"]).json
        #expect(attached?["AttachedPolicies"]?.arrayValue?.first?["PolicyArn"]?.stringValue
            == "arn:aws:iam::aws:policy/aws-service-role/AWSEC2SpotServiceRolePolicy")
        #expect(try server.aws(["iam", "delete-role", "--role-name", "AWSServiceRoleForEC2Spot"]).errorCode == "UnmodifiableEntity")

        let task = try #require(try server.aws(["iam", "delete-service-linked-role", "--role-name", "AWSServiceRoleForEC2Spot"])
            .json?["DeletionTaskId"]?.stringValue)
        #expect(task.hasPrefix("task/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot/"))
        let status = try server.aws(["iam", "get-service-linked-role-deletion-status", "--deletion-task-id", task]).json
        #expect(status?["Status"]?.stringValue == "SUCCEEDED")
        #expect(try server.aws(["iam", "get-role", "--role-name", "AWSServiceRoleForEC2Spot"]).errorCode == "NoSuchEntity")
    }

    @Test("service-linked roles as recorded against AWS: names, policies, and the services that take a custom suffix")
    func serviceLinkedRoleCatalog() throws {
        let server = try GatehouseProcess()
        let ecr = try server.aws(["iam", "create-service-linked-role", "--aws-service-name", "ecr.amazonaws.com"]).json?["Role"]
        #expect(ecr?["RoleName"]?.stringValue == "AWSServiceRoleForECRTemplate")
        let attached = try server.aws(["iam", "list-attached-role-policies", "--role-name", "AWSServiceRoleForECRTemplate"]).json
        #expect(attached?["AttachedPolicies"]?.arrayValue?.first?["PolicyArn"]?.stringValue
            == "arn:aws:iam::aws:policy/aws-service-role/ECRTemplateServiceRolePolicy")
        let apiGateway = try server.aws(["iam", "create-service-linked-role", "--aws-service-name", "ops.apigateway.amazonaws.com"])
            .json?["Role"]
        #expect(apiGateway?["RoleName"]?.stringValue == "AWSServiceRoleForAPIGateway")
        #expect(apiGateway?["Path"]?.stringValue == "/aws-service-role/ops.apigateway.amazonaws.com/")

        let suffixed = try server.aws([
            "iam", "create-service-linked-role", "--aws-service-name", "connect.amazonaws.com", "--custom-suffix", "lab",
        ]).json?["Role"]
        #expect(suffixed?["RoleName"]?.stringValue == "AWSServiceRoleForAmazonConnect_lab")
        let refused = try server.aws([
            "iam", "create-service-linked-role", "--aws-service-name", "acm.amazonaws.com", "--custom-suffix", "lab",
        ])
        #expect(refused.errorCode == "InvalidInput")
        #expect(refused.errorMessage == "Custom suffix is not allowed for acm.amazonaws.com")
        let roles = try server.aws(["iam", "list-roles", "--path-prefix", "/aws-service-role/"]).json?["Roles"]?.arrayValue ?? []
        #expect(roles.compactMap { $0["RoleName"]?.stringValue }.sorted()
            == ["AWSServiceRoleForAPIGateway", "AWSServiceRoleForAmazonConnect_lab", "AWSServiceRoleForECRTemplate"])
    }

    @Test("service-specific credentials show their password once, two per service, and block DeleteUser")
    func serviceSpecificCredentials() throws {
        let server = try GatehouseProcess()
        _ = try server.aws(["iam", "create-user", "--user-name", "git"])
        let created = try server.aws([
            "iam", "create-service-specific-credential", "--user-name", "git", "--service-name", "codecommit.amazonaws.com",
        ]).json?["ServiceSpecificCredential"]
        #expect(created?["ServiceUserName"]?.stringValue == "git-at-000000000000")
        #expect(created?["ServicePassword"]?.stringValue?.isEmpty == false)
        let id = try #require(created?["ServiceSpecificCredentialId"]?.stringValue)
        _ = try server.aws(["iam", "create-service-specific-credential", "--user-name", "git", "--service-name", "codecommit.amazonaws.com"])
        let third = try server.aws(["iam", "create-service-specific-credential", "--user-name", "git", "--service-name", "codecommit.amazonaws.com"])
        #expect(third.errorCode == "LimitExceeded")
        // Recorded against AWS (2025-03, 2026-03): NoSuchEntity, not the modelled NotSupportedService, for create and list.
        for command in ["create-service-specific-credential", "list-service-specific-credentials"] {
            let unknown = try server.aws(["iam", command, "--user-name", "git", "--service-name", "s3.amazonaws.com"])
            #expect(unknown.errorCode == "NoSuchEntity", "\(command)")
            #expect(unknown.errorMessage == "No such service s3.amazonaws.com is supported for Service Specific Credentials", "\(command)")
        }
        // AWS managed policies are account aws's: changing them is refused before any policy is evaluated.
        let admin = "arn:aws:iam::aws:policy/AdministratorAccess"
        for (command, arguments, message) in [
            ("delete-policy", [String](), "Cannot delete policies outside your own account."),
            ("delete-policy-version", ["--version-id", "v1"], "Cannot delete policy versions for policies outside your own account."),
            ("set-default-policy-version", ["--version-id", "v1"], "Cannot update policies outside your own account."),
        ] {
            let refused = try server.aws(["iam", command, "--policy-arn", admin] + arguments)
            #expect(refused.errorCode == "AccessDenied", "\(command)")
            #expect(refused.errorMessage == message, "\(command)")
        }
        let listed = try server.aws(["iam", "list-service-specific-credentials", "--user-name", "git"]).json?["ServiceSpecificCredentials"]
        #expect(listed?.arrayValue?.count == 2)
        #expect(listed?.arrayValue?.first?["ServicePassword"] == nil)
        let reset = try server.aws(["iam", "reset-service-specific-credential", "--user-name", "git", "--service-specific-credential-id", id]).json
        #expect(reset?["ServiceSpecificCredential"]?["ServicePassword"]?.stringValue != created?["ServicePassword"]?.stringValue)
        #expect(try server.aws(["iam", "delete-user", "--user-name", "git"]).errorCode == "DeleteConflict")
    }
}
