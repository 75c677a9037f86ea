import Foundation
import JSON
import Testing

/// IAM on the wire: raw query-protocol requests signed with SigV4 (curl's
/// --aws-sigv4, and botocore for presigned URLs), checked byte for byte
/// where AWS's layout is known (docs/research/wire-sts-ecr.md §1, iam.md §8).
@Suite("IAM wire format, end to end")
struct IAMWireEndToEndTests {
    static let namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

    @Test("a response is <XResponse xmlns=…><XResult>…</XResult><ResponseMetadata><RequestId> with the x-amzn-RequestId header's id")
    func successLayout() throws {
        let server = try GatehouseProcess()
        let response = try server.iam("CreateRole", ["RoleName": "wire", "AssumeRolePolicyDocument": Doc.ec2Trust])
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/xml") == true)
        #expect(response.body.hasPrefix("<CreateRoleResponse xmlns=\"\(Self.namespace)\">\n  <CreateRoleResult>\n    <Role>\n"), "\(response.body)")
        let id = try #require(response.headers["x-amzn-requestid"])
        #expect(UUID(uuidString: id) != nil, "\(id)")
        #expect(response.body.hasSuffix("  </CreateRoleResult>\n  <ResponseMetadata>\n    <RequestId>\(id)</RequestId>\n  </ResponseMetadata>\n</CreateRoleResponse>\n"))
        #expect(response.values("RequestId") == [id])
        #expect(!response.body.hasPrefix("<?xml"))

        let again = try server.iam("GetRole", ["RoleName": "wire"])
        #expect(again.headers["x-amzn-requestid"] != id)
    }

    @Test("an operation without output answers only ResponseMetadata")
    func emptyResult() throws {
        let server = try GatehouseProcess()
        try server.createRole("gone")
        let response = try server.iam("DeleteRole", ["RoleName": "gone"])
        let id = try #require(response.headers["x-amzn-requestid"])
        #expect(response.body == "<DeleteRoleResponse xmlns=\"\(Self.namespace)\">\n  <ResponseMetadata>\n    <RequestId>\(id)</RequestId>\n  </ResponseMetadata>\n</DeleteRoleResponse>\n")
    }

    @Test("an error is <ErrorResponse> with Type, Code and Message, and RequestId beside <Error>")
    func errorLayout() throws {
        let server = try GatehouseProcess()
        let response = try server.iam("GetRole", ["RoleName": "ghost"])
        #expect(response.status == 404)
        #expect(response.headers["content-type"]?.hasPrefix("text/xml") == true)
        let id = try #require(response.headers["x-amzn-requestid"])
        #expect(response.body == """
            <ErrorResponse xmlns="\(Self.namespace)">
              <Error>
                <Type>Sender</Type>
                <Code>NoSuchEntity</Code>
                <Message>The role with name ghost cannot be found.</Message>
              </Error>
              <RequestId>\(id)</RequestId>
            </ErrorResponse>

            """)
    }

    @Test("AWS's HTTP status for each IAM error: 404 NoSuchEntity, 409 for conflicts and quotas, 400 for bad input")
    func errorStatuses() throws {
        let server = try GatehouseProcess()
        try server.createRole("r")
        try server.iamOK("AttachRolePolicy", ["RoleName": "r", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"])
        let cases: [(action: String, parameters: [String: String], status: Int, code: String)] = [
            ("GetUser", ["UserName": "ghost"], 404, "NoSuchEntity"),
            ("CreateRole", ["RoleName": "R", "AssumeRolePolicyDocument": Doc.ec2Trust], 409, "EntityAlreadyExists"),
            ("DeleteRole", ["RoleName": "r"], 409, "DeleteConflict"),
            ("CreateRole", ["RoleName": "big", "AssumeRolePolicyDocument": Doc.trust(atLeast: 2100)], 409, "LimitExceeded"),
            ("CreateRole", ["RoleName": "bad name", "AssumeRolePolicyDocument": Doc.ec2Trust], 400, "ValidationError"),
            ("CreateRole", ["RoleName": "x", "AssumeRolePolicyDocument": "{"], 400, "MalformedPolicyDocument"),
            ("CreateRole", ["RoleName": "x", "AssumeRolePolicyDocument": Doc.ec2Trust, "PermissionsBoundary": "arn:aws:iam::\(account):role/r"], 400, "InvalidInput"),
            ("CreateRole", ["RoleName": "x"], 400, "ValidationError"),
        ]
        for test in cases {
            let response = try server.iam(test.action, test.parameters)
            #expect(response.status == test.status, "\(test.action) \(test.code): \(response)")
            #expect(response.errorCode == test.code, "\(test.action): \(response)")
            #expect(response.value("Type") == "Sender")
        }
        let missing = try server.iam("CreateRole", ["RoleName": "x"])
        #expect(missing.errorMessage?.hasPrefix("1 validation error detected: Value") == true, "\(missing)")
        #expect(missing.errorMessage?.hasSuffix("at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null") == true, "\(missing)")
    }

    @Test("several violations are listed in IAM's recorded order, without values, and an enum violation without its values")
    func validationMessages() throws {
        let server = try GatehouseProcess()
        let policy = try server.aws([
            "iam", "update-account-password-policy", "--max-password-age", "1096", "--minimum-password-length", "129",
            "--password-reuse-prevention", "25",
        ])
        #expect(policy.errorCode == "ValidationError")
        #expect(policy.errorMessage == "3 validation errors detected: "
            + "Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128; "
            + "Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24; "
            + "Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095")
        #expect(try server.aws(["iam", "get-account-password-policy"]).errorCode == "NoSuchEntity")

        _ = try server.aws(["iam", "create-user", "--user-name", "git"])
        let id = try #require(try server.aws([
            "iam", "create-service-specific-credential", "--user-name", "git", "--service-name", "codecommit.amazonaws.com",
        ]).json?["ServiceSpecificCredential"]?["ServiceSpecificCredentialId"]?.stringValue)
        let status = try server.aws([
            "iam", "update-service-specific-credential", "--user-name", "git", "--service-specific-credential-id", id, "--status", "Invalid",
        ])
        #expect(status.errorMessage
            == "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set")
    }

    @Test("an unknown action is InvalidAction: Could not find operation X for version 2010-05-08")
    func unknownAction() throws {
        let server = try GatehouseProcess()
        let response = try server.iam("DanceTheTango")
        #expect(response.status == 400)
        #expect(response.errorCode == "InvalidAction")
        #expect(response.errorMessage == "Could not find operation DanceTheTango for version 2010-05-08")
        #expect(response.body.hasPrefix("<ErrorResponse xmlns=\"http://webservices.amazon.com/AWSFault/2005-15-09\">"), "\(response.body)")
        let wrongVersion = try server.query(["Action": "ListRoles", "Version": "2000-01-01"])
        #expect(wrongVersion.errorCode == "InvalidAction")
        #expect(wrongVersion.errorMessage == "Could not find operation ListRoles for version 2000-01-01")
    }

    @Test("policy documents come back URL-encoded per RFC 3986 and exactly as written, whitespace included")
    func documentEncoding() throws {
        let server = try GatehouseProcess()
        let trust = """
            {
              "Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
                             "Condition": {"StringEquals": {"sts:ExternalId": "a b+c~d"}}}]
            }
            """
        try server.createRole("encoded", trust: trust)
        let response = try server.iam("GetRole", ["RoleName": "encoded"])
        let encoded = try #require(response.value("AssumeRolePolicyDocument"))
        #expect(encoded.hasPrefix("%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C"), "\(encoded)")
        #expect(!encoded.contains("+"))
        #expect(encoded.contains("a%20b%2Bc~d"))
        #expect(encoded.removingPercentEncoding == trust)
        let cli = try server.aws(["iam", "get-role", "--role-name", "encoded"]).json?["Role"]?["AssumeRolePolicyDocument"]
        #expect(cli == json(trust))
    }

    /// Runs `python3 -c script` with botocore and returns what it printed.
    func python(_ script: String, _ arguments: [String]) throws -> String {
        let result = try GatehouseProcess.run("python3", ["-c", script] + arguments, environment: ProcessInfo.processInfo.environment)
        guard result.succeeded else { throw SetupFailure(description: result.stderr) }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let presign = """
        import sys, botocore.session
        endpoint, method = sys.argv[1], sys.argv[2]
        client = botocore.session.get_session().create_client(
            "sts", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")
        print(client.generate_presigned_url("get_caller_identity", ExpiresIn=300, HttpMethod=method or None))
        """

    @Test("a presigned sts get-caller-identity URL from botocore works, and a tampered one is SignatureDoesNotMatch")
    func presignedURL() throws {
        let server = try GatehouseProcess()
        let url = try python(Self.presign, [server.endpoint, "GET"])
        #expect(url.contains("X-Amz-Signature="))
        let response = try server.curl([url])
        #expect(response.status == 200, "\(response.body)")
        #expect(response.body.contains("<Arn>arn:aws:iam::000000000000:root</Arn>"))

        // Signed as the model's POST, it is to be sent as a POST.
        let postURL = try python(Self.presign, [server.endpoint, ""])
        #expect(try server.curl(["-X", "POST", "-d", "", postURL]).status == 200)

        let tampered = try server.curl([url.replacingOccurrences(of: "Action=GetCallerIdentity", with: "Action=GetCallerIdentity&Extra=1")])
        #expect(tampered.status == 403)
        #expect(tampered.body.contains("<Code>SignatureDoesNotMatch</Code>"))
        let wrongKey = try server.curl([url.replacingOccurrences(of: "Credential=test", with: "Credential=AKIAIOSFODNN7EXAMPLE")])
        #expect(wrongKey.status == 403)
        #expect(wrongKey.body.contains("<Code>InvalidClientTokenId</Code>"))
    }
}
