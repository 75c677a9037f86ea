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

    @Test("attach and detach refuse missing, unattached and malformed policy ARNs with AWS's texts", arguments: IdentityKind.all)
    func attachErrors(kind: IdentityKind) throws {
        let server = try GatehouseProcess()
        try kind.create("who", on: server)
        let arn = try server.createPolicy("p")
        let missing = "arn:aws:iam::\(account):policy/ghost"

        let notAttachable = try server.aws(["iam", "attach-\(kind.noun)-policy", kind.nameFlag, "who", "--policy-arn", missing])
        #expect(notAttachable.errorCode == "NoSuchEntity")
        #expect(notAttachable.errorMessage == "Policy \(missing) does not exist or is not attachable.")

        let notAttached = try server.iam("Detach\(kind.api)Policy", [kind.nameKey: "who", "PolicyArn": arn])
        #expect(notAttached.status == 404)
        #expect(notAttached.errorCode == "NoSuchEntity")
        #expect(notAttached.errorMessage == "Policy \(arn) was not found.")

        let malformed = try server.iam("Attach\(kind.api)Policy", [kind.nameKey: "who", "PolicyArn": "not-an-arn-but-long-enough"])
        #expect(malformed.status == 400)
        #expect(malformed.errorCode == "ValidationError")
        #expect(malformed.errorMessage == "ARN not-an-arn-but-long-enough is not valid.")
        let raw = try server.iam("Attach\(kind.api)Policy", [kind.nameKey: "who", "PolicyArn": missing])
        #expect(raw.status == 404)
        #expect(try server.iam("ListAttached\(kind.api)Policies", [kind.nameKey: "who"]).values("PolicyArn").isEmpty)
    }

    @Test("an eleventh managed policy is LimitExceeded and the identity keeps ten", arguments: IdentityKind.all)
    func attachedQuota(kind: IdentityKind) throws {
        let server = try GatehouseProcess()
        try kind.create("full", on: server)
        for i in 1...11 { try server.createPolicy("p\(i)") }
        for i in 1...10 {
            try server.iamOK("Attach\(kind.api)Policy", [kind.nameKey: "full", "PolicyArn": "arn:aws:iam::\(account):policy/p\(i)"])
        }
        let eleventh = try server.aws(["iam", "attach-\(kind.noun)-policy", kind.nameFlag, "full", "--policy-arn", "arn:aws:iam::\(account):policy/p11"])
        #expect(eleventh.errorCode == "LimitExceeded")
        #expect(eleventh.errorMessage == "Cannot exceed quota for \(kind.quotaName): 10")
        let raw = try server.iam("Attach\(kind.api)Policy", [kind.nameKey: "full", "PolicyArn": "arn:aws:iam::\(account):policy/p11"])
        #expect(raw.status == 409)
        #expect(try server.iam("ListAttached\(kind.api)Policies", [kind.nameKey: "full"]).values("PolicyArn").count == 10)
        // Re-attaching one already attached is not an eleventh.
        #expect(try server.iam("Attach\(kind.api)Policy", [kind.nameKey: "full", "PolicyArn": "arn:aws:iam::\(account):policy/p1"]).status == 200)
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

    @Test("a missing inline policy is NoSuchEntity: The <kind> policy with name … cannot be found.", arguments: IdentityKind.all)
    func missingInline(kind: IdentityKind) throws {
        let server = try GatehouseProcess()
        try kind.create("who", on: server)
        let get = try server.aws(["iam", "get-\(kind.noun)-policy", kind.nameFlag, "who", "--policy-name", "nope"])
        #expect(get.errorCode == "NoSuchEntity")
        #expect(get.errorMessage == "The \(kind.noun) policy with name nope cannot be found.")
        let delete = try server.iam("Delete\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "nope"])
        #expect(delete.status == 404)
        #expect(delete.errorMessage == "The \(kind.noun) policy with name nope cannot be found.")
        let owner = try server.iam("Get\(kind.api)Policy", [kind.nameKey: "ghost", "PolicyName": "nope"])
        #expect(owner.status == 404)
        #expect(owner.errorMessage == "The \(kind.noun) with name ghost cannot be found.")
    }

    @Test("inline policies share an aggregate size quota per identity (role 10,240, user 2,048, group 5,120)", arguments: IdentityKind.all)
    func inlineSizeQuota(kind: IdentityKind) throws {
        let server = try GatehouseProcess()
        try kind.create("who", on: server)
        let half = kind.inlineLimit / 2
        // Two halves fill the quota exactly; whitespace does not count.
        try server.iamOK("Put\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "one", "PolicyDocument": Doc.identity(size: half, whitespace: 500)])
        try server.iamOK("Put\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "two", "PolicyDocument": Doc.identity(size: kind.inlineLimit - half)])
        // Replacing one with a document of the same size still fits.
        try server.iamOK("Put\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "one", "PolicyDocument": Doc.identity(size: half)])

        let before = try server.iam("Get\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "one"]).state
        let over = try server.aws([
            "iam", "put-\(kind.noun)-policy", kind.nameFlag, "who", "--policy-name", "one", "--policy-document", Doc.identity(size: half + 1),
        ])
        #expect(over.errorCode == "LimitExceeded", "\(over.stderr)")
        #expect(over.errorMessage == "Maximum policy size of \(kind.inlineLimit) bytes exceeded for \(kind.noun) who")
        let third = try server.iam("Put\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "three", "PolicyDocument": Doc.allow()])
        #expect(third.status == 409)
        #expect(third.errorCode == "LimitExceeded")
        #expect(try server.iam("Get\(kind.api)Policy", [kind.nameKey: "who", "PolicyName": "one"]).state == before)
        #expect(try server.iam("List\(kind.api)Policies", [kind.nameKey: "who"]).values("member") == ["one", "two"])
    }

    @Test("an inline policy with a grammar error is MalformedPolicyDocument and is not stored")
    func inlineGrammar() throws {
        let server = try GatehouseProcess()
        try server.createUser("u")
        let result = try server.aws([
            "iam", "put-user-policy", "--user-name", "u", "--policy-name", "bad",
            "--policy-document", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}"#,
        ])
        #expect(result.errorCode == "MalformedPolicyDocument")
        #expect(result.errorMessage == "Policy statement must contain resources.")
        #expect(try server.iam("ListUserPolicies", ["UserName": "u"]).values("member").isEmpty)
    }
}
