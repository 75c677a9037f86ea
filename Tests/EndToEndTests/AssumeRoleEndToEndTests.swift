import Foundation
import JSON
import Testing

/// AssumeRole as users run it: trust, durations, session policies, expiry.
@Suite("STS AssumeRole, end to end")
struct AssumeRoleEndToEndTests {
    /// A user `dev` allowed to assume any role, and a role trusting the account.
    struct World {
        let server: GatehouseProcess
        let key: String
        let secret: String

        func asDev(_ arguments: [String]) throws -> GatehouseProcess.Result {
            try server.aws(arguments, accessKey: key, secret: secret)
        }
    }

    static let accountTrust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#

    static func world(trust: String = accountTrust, maxSessionDuration: Int = 3600) throws -> World {
        let server = try GatehouseProcess()
        _ = try server.aws(["iam", "create-role", "--role-name", "app", "--assume-role-policy-document", trust,
                            "--max-session-duration", String(maxSessionDuration)])
        _ = try server.aws(["iam", "create-user", "--user-name", "dev"])
        _ = try server.aws(["iam", "put-user-policy", "--user-name", "dev", "--policy-name", "assume", "--policy-document",
                            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession"],"Resource":"*"}]}"#])
        let key = try server.aws(["iam", "create-access-key", "--user-name", "dev"])
        return World(
            server: server, key: key.json?["AccessKey"]?["AccessKeyId"]?.stringValue ?? "",
            secret: key.json?["AccessKey"]?["SecretAccessKey"]?.stringValue ?? "")
    }

    static let roleArn = "arn:aws:iam::000000000000:role/app"

    @Test("a user allowed by its policy and by the trust policy gets ASIA credentials")
    func assumes() throws {
        let world = try Self.world()
        let result = try world.asDev(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1"])
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.json?["Credentials"]?["AccessKeyId"]?.stringValue?.hasPrefix("ASIA") == true)
        #expect(result.json?["AssumedRoleUser"]?["AssumedRoleId"]?.stringValue?.hasSuffix(":s1") == true)
        #expect(result.json?["PackedPolicySize"] == nil)
    }

    @Test("a trust policy that names someone else refuses, with AWS's message and no reason")
    func trustRefuses() throws {
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        let world = try Self.world(trust: trust)
        let result = try world.asDev(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1"])
        #expect(result.errorCode == "AccessDenied")
        #expect(result.stderr.contains(
            "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: sts:AssumeRole on resource: \(Self.roleArn)"))
        #expect(!result.stderr.contains("because"))
    }

    @Test("root credentials cannot assume roles")
    func rootRefused() throws {
        let world = try Self.world()
        let result = try world.server.aws(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1"])
        #expect(result.errorCode == "AccessDenied")
        #expect(result.stderr.contains("Roles may not be assumed by root accounts."))
    }

    @Test("a duration past the role's maximum is refused, one within it is granted")
    func durations() throws {
        let world = try Self.world(maxSessionDuration: 7200)
        let tooLong = try world.asDev(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1", "--duration-seconds", "7201"])
        #expect(tooLong.errorCode == "ValidationError")
        #expect(tooLong.stderr.contains("The requested DurationSeconds exceeds the MaxSessionDuration set for this role."))
        let fine = try world.asDev(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1", "--duration-seconds", "7200"])
        #expect(fine.succeeded, "\(fine.stderr)")
    }

    @Test("an oversize packed session policy is refused with PackedPolicyTooLarge")
    func packedPolicyTooLarge() throws {
        let world = try Self.world()
        let tags = (0..<40).flatMap { ["Key=k\($0)x\(String(repeating: "a", count: 60))", "Value=\(String(repeating: "v", count: 60))"] }
            .chunked(2).map { $0.joined(separator: ",") }
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"#
        let result = try world.asDev(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1", "--policy", policy, "--tags"] + tags)
        #expect(result.errorCode == "PackedPolicyTooLarge", "\(result.stderr)")
        #expect(result.stderr.contains("Packed policy consumes"))
    }

    @Test("a role session calling per-user operations without a user name gets AWS's ValidationError, as the CLI shows it")
    func perUserOperationsNeedAUserName() throws {
        let world = try Self.world()
        _ = try world.server.aws(["iam", "attach-role-policy", "--role-name", "app", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess"])
        let credentials = try #require(
            try world.asDev(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1"]).json?["Credentials"])
        for command in [["iam", "get-user"], ["iam", "list-access-keys"], ["iam", "list-mfa-devices"], ["iam", "list-signing-certificates"]] {
            let refused = try world.server.aws(command, accessKey: credentials["AccessKeyId"]?.stringValue ?? "",
                                               secret: credentials["SecretAccessKey"]?.stringValue ?? "",
                                               sessionToken: credentials["SessionToken"]?.stringValue)
            #expect(refused.errorCode == "ValidationError", "\(command)")
            #expect(refused.errorMessage == "Must specify userName when calling with non-User credentials", "\(command)")
        }
    }

    @Test("transitive tag keys as AWS checks them: one not among the tags, and a chained session overriding one, are InvalidParameterValue")
    func transitiveTags() throws {
        let world = try Self.world()
        let missing = try world.asDev([
            "sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1",
            "--tags", "Key=team,Value=red", "--transitive-tag-keys", "project",
        ])
        #expect(missing.errorCode == "InvalidParameterValue")
        #expect(missing.errorMessage == "The specified transitive tag key must be included in the requested tags.")

        _ = try world.server.aws(["iam", "attach-role-policy", "--role-name", "app", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess"])
        let first = try #require(try world.asDev([
            "sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1",
            "--tags", "Key=team,Value=red", "--transitive-tag-keys", "team",
        ]).json?["Credentials"])
        let chained = try world.server.aws(
            ["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s2", "--tags", "Key=TEAM,Value=blue"],
            accessKey: first["AccessKeyId"]?.stringValue ?? "", secret: first["SecretAccessKey"]?.stringValue ?? "",
            sessionToken: first["SessionToken"]?.stringValue)
        #expect(chained.errorCode == "InvalidParameterValue")
        #expect(chained.errorMessage
            == "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
    }

    @Test("get-federation-token answers PackedPolicySize 0 without session policies, and the root user may call it")
    func federationToken() throws {
        let world = try Self.world()
        _ = try world.server.aws(["iam", "put-user-policy", "--user-name", "dev", "--policy-name", "federate", "--policy-document",
                                  #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"*"}]}"#])
        let federated = try world.asDev(["sts", "get-federation-token", "--name", "Bob", "--duration-seconds", "900"])
        #expect(federated.json?["PackedPolicySize"] == .number(JSONNumber(0)), "\(federated.stderr)")
        #expect(federated.json?["FederatedUser"]?["Arn"]?.stringValue == "arn:aws:sts::000000000000:federated-user/Bob")
        let root = try world.server.aws(["sts", "get-federation-token", "--name", "Admin"])
        #expect(root.succeeded, "\(root.stderr)")
        #expect(root.json?["FederatedUser"]?["FederatedUserId"]?.stringValue == "000000000000:Admin")
    }

    @Test("a session policy limits what the session may do")
    func sessionPolicyLimits() throws {
        let world = try Self.world()
        _ = try world.server.aws(["iam", "attach-role-policy", "--role-name", "app", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess"])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}"#
        let assumed = try world.asDev(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1", "--policy", policy])
        #expect(assumed.json?["PackedPolicySize"] != nil)
        let credentials = try #require(assumed.json?["Credentials"])
        func asSession(_ arguments: [String]) throws -> GatehouseProcess.Result {
            try world.server.aws(arguments, accessKey: credentials["AccessKeyId"]?.stringValue ?? "",
                                 secret: credentials["SecretAccessKey"]?.stringValue ?? "", sessionToken: credentials["SessionToken"]?.stringValue)
        }
        #expect(try asSession(["iam", "list-roles"]).succeeded)
        let refused = try asSession(["iam", "list-users"])
        #expect(refused.errorCode == "AccessDenied")
        #expect(refused.stderr.contains("because no session policy allows the iam:ListUsers action"))
    }

    @Test("expired session credentials are refused with ExpiredToken; a wrong token with InvalidClientTokenId")
    func expiredSession() throws {
        let world = try Self.world()
        let assumed = try world.asDev(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1", "--duration-seconds", "900"])
        let credentials = try #require(assumed.json?["Credentials"])
        let key = credentials["AccessKeyId"]?.stringValue ?? ""
        let secret = credentials["SecretAccessKey"]?.stringValue ?? ""
        let token = credentials["SessionToken"]?.stringValue
        // The CLI signs with the real clock, so the session is aged in the store
        // instead, before the server has seen (and cached) the key.
        let aged = try GatehouseProcess.run("python3", ["-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE sessionCredential SET expiresAt = ? WHERE accessKeyId = ?", (time.time() - 1, sys.argv[2])); c.commit()
            """, world.server.dataDirectory.appendingPathComponent("state.sqlite").path, key], environment: ProcessInfo.processInfo.environment)
        #expect(aged.succeeded, "\(aged.stderr)")
        let expired = try world.server.aws(["sts", "get-caller-identity"], accessKey: key, secret: secret, sessionToken: token)
        #expect(expired.errorCode == "ExpiredToken", "\(expired.stderr)")
        #expect(expired.stderr.contains("The security token included in the request is expired"))
        #expect(try world.server.aws(["sts", "get-caller-identity"], accessKey: key, secret: secret, sessionToken: "wrong").errorCode
            == "InvalidClientTokenId")
    }

    @Test("deleting the role ends its sessions at once")
    func deletedRole() throws {
        let world = try Self.world()
        let assumed = try world.asDev(["sts", "assume-role", "--role-arn", Self.roleArn, "--role-session-name", "s1"])
        let credentials = try #require(assumed.json?["Credentials"])
        _ = try world.server.aws(["iam", "delete-role", "--role-name", "app"])
        let after = try world.server.aws(["sts", "get-caller-identity"], accessKey: credentials["AccessKeyId"]?.stringValue ?? "",
                                         secret: credentials["SecretAccessKey"]?.stringValue ?? "", sessionToken: credentials["SessionToken"]?.stringValue)
        #expect(after.errorCode == "InvalidClientTokenId")
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
