import Foundation
import JSON
import Testing

/// One kind of IAM identity, as the CLI and the query API name it.
struct IdentityKind: Sendable, CustomStringConvertible {
    let noun: String  // "role"
    let api: String  // "Role"
    let inlineLimit: Int
    let quotaName: String

    var description: String { noun }
    var nameFlag: String { "--\(noun)-name" }
    var nameKey: String { "\(api)Name" }

    static let role = IdentityKind(noun: "role", api: "Role", inlineLimit: 10_240, quotaName: "PoliciesPerRole")
    static let user = IdentityKind(noun: "user", api: "User", inlineLimit: 2_048, quotaName: "PoliciesPerUser")
    static let group = IdentityKind(noun: "group", api: "Group", inlineLimit: 5_120, quotaName: "PoliciesPerGroup")
    static let all = [role, user, group]

    func create(_ name: String, on server: GatehouseProcess) throws {
        switch noun {
        case "role": try server.createRole(name)
        case "user": try server.createUser(name)
        default: try server.createGroup(name)
        }
    }
}

/// Managed policy attachments and inline policies of roles, users and groups.
@Suite("Attachments and inline policies, end to end")
struct AttachmentEndToEndTests {
    @Test("attaching a policy twice is idempotent: it is listed and counted once", arguments: IdentityKind.all)
    func idempotentAttach(kind: IdentityKind) throws {
        let server = try GatehouseProcess()
        try kind.create("who", on: server)
        let arn = try server.createPolicy("p")
        let result = try server.aws(["iam", "attach-\(kind.noun)-policy", kind.nameFlag, "who", "--policy-arn", arn])
        #expect(result.succeeded, "\(result.stderr)")
        #expect(try server.iam("Attach\(kind.api)Policy", [kind.nameKey: "who", "PolicyArn": arn]).status == 200)
        let listed = try server.aws(["iam", "list-attached-\(kind.noun)-policies", kind.nameFlag, "who"]).json
        #expect(listed?["AttachedPolicies"] == json(#"[{"PolicyName":"p","PolicyArn":"\#(arn)"}]"#))
        #expect(try server.iam("GetPolicy", ["PolicyArn": arn]).value("AttachmentCount") == "1")
        try server.iamOK("Detach\(kind.api)Policy", [kind.nameKey: "who", "PolicyArn": arn])
        #expect(try server.iam("ListAttached\(kind.api)Policies", [kind.nameKey: "who"]).values("PolicyArn").isEmpty)
        #expect(try server.iam("GetPolicy", ["PolicyArn": arn]).value("AttachmentCount") == "0")
    }

    @Test("list-attached-role-policies filters by the policies' path prefix")
    func attachedPathPrefix() throws {
        let server = try GatehouseProcess()
        try server.createRole("r")
        let team = try server.createPolicy("team-policy", path: "/team/")
        let root = try server.createPolicy("root-policy")
        for arn in [team, root, "arn:aws:iam::aws:policy/ReadOnlyAccess"] {
            try server.iamOK("AttachRolePolicy", ["RoleName": "r", "PolicyArn": arn])
        }
        let all = try server.aws(["iam", "list-attached-role-policies", "--role-name", "r"]).json
        #expect(all?.strings("AttachedPolicies", "PolicyName") == ["ReadOnlyAccess", "root-policy", "team-policy"])
        let filtered = try server.aws(["iam", "list-attached-role-policies", "--role-name", "r", "--path-prefix", "/team/"]).json
        #expect(filtered?.strings("AttachedPolicies", "PolicyArn") == [team])
    }

    @Test("an AWS service-role policy cannot be attached to a customer role")
    func serviceRolePolicy() throws {
        let server = try GatehouseProcess()
        try server.createRole("r")
        let arn = "arn:aws:iam::aws:policy/aws-service-role/AmazonGuardDutyServiceRolePolicy"
        #expect(try server.iam("GetPolicy", ["PolicyArn": arn]).status == 200)
        let result = try server.aws(["iam", "attach-role-policy", "--role-name", "r", "--policy-arn", arn])
        #expect(result.errorCode == "PolicyNotAttachable")
        #expect(result.errorMessage == "Cannot attach a Service Role Policy to a Customer Role.")
    }

    @Test("inline policies: put, get (the document comes back as written), list, replace and delete", arguments: IdentityKind.all)
    func inlinePolicies(kind: IdentityKind) throws {
        let server = try GatehouseProcess()
        try kind.create("who", on: server)
        let document = #"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]}"#
        let put = try server.aws(["iam", "put-\(kind.noun)-policy", kind.nameFlag, "who", "--policy-name", "read", "--policy-document", document])
        #expect(put.succeeded, "\(put.stderr)")
        try server.iamOK("Put\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "Another", "PolicyDocument": Doc.allow()])

        let got = try #require(try server.aws(["iam", "get-\(kind.noun)-policy", kind.nameFlag, "who", "--policy-name", "read"]).json)
        #expect(got["PolicyDocument"] == json(document))
        #expect(got["PolicyName"]?.stringValue == "read")
        #expect(got["\(kind.api)Name"]?.stringValue == "who")

        #expect(try server.iam("List\(kind.api)Policies", [kind.nameKey: "who"]).values("member") == ["Another", "read"])

        // Putting under an existing name replaces the document.
        try server.iamOK("Put\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "read", "PolicyDocument": Doc.allow("s3:PutObject")])
        let replaced = try server.iam("Get\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "read"])
        #expect(replaced.value("PolicyDocument").flatMap { $0.removingPercentEncoding }.flatMap(json) == json(Doc.allow("s3:PutObject")))

        try server.iamOK("Delete\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "read"])
        #expect(try server.iam("List\(kind.api)Policies", [kind.nameKey: "who"]).values("member") == ["Another"])
    }
}
