import Foundation
import JSON
import Testing

/// The per-account entity quotas GetAccountSummary advertises are enforced:
/// the next create is refused with LimitExceeded (409) and nothing is created.
/// The account is filled to its quota with direct SQLite inserts (as
/// AssumeRoleEndToEndTests ages a session): 5,000 CreateUser calls through
/// the CLI would take too long.
@Suite("IAM account quotas, end to end")
struct IAMAccountQuotaEndToEndTests {
    /// One kind of entity: its quota, how the store is filled, and the CLI calls.
    struct Kind: CustomTestStringConvertible, Sendable {
        var summaryKey: String
        var quotaKey: String
        var message: String
        var fill: String
        var create: [String]
        var get: [String]
        var deleteOneSeeded: [String]
        var testDescription: String { summaryKey }
    }

    static let trust = Doc.ec2Trust
    static let document = Doc.allow()

    /// `?1` is how many rows to add, `?2` the account, `?3` a document.
    static let kinds: [Kind] = [
        Kind(
            summaryKey: "Users", quotaKey: "UsersQuota", message: "Cannot exceed quota for UsersPerAccount: 5000",
            fill: "INSERT INTO user (id, accountId, name, path, createdAt) SELECT 'AIDASEEDED' || i, ?2, 'seeded-' || i, '/', 0 FROM n",
            create: ["iam", "create-user", "--user-name", "one-too-many"],
            get: ["iam", "get-user", "--user-name", "one-too-many"],
            deleteOneSeeded: ["iam", "delete-user", "--user-name", "seeded-1"]),
        Kind(
            summaryKey: "Roles", quotaKey: "RolesQuota", message: "Cannot exceed quota for RolesPerAccount: 1000",
            fill: """
                INSERT INTO role (id, accountId, name, path, trustPolicy, maxSessionDuration, createdAt)
                SELECT 'AROASEEDED' || i, ?2, 'seeded-' || i, '/', ?3, 3600, 0 FROM n
                """,
            create: ["iam", "create-role", "--role-name", "one-too-many", "--assume-role-policy-document", trust],
            get: ["iam", "get-role", "--role-name", "one-too-many"],
            deleteOneSeeded: ["iam", "delete-role", "--role-name", "seeded-1"]),
        Kind(
            summaryKey: "Policies", quotaKey: "PoliciesQuota", message: "Cannot exceed quota for PoliciesPerAccount: 1500",
            fill: """
                INSERT INTO managedPolicy (arn, id, accountId, name, path, defaultVersionId, nextVersionNumber, createdAt, updatedAt)
                SELECT 'arn:aws:iam::' || ?2 || ':policy/seeded-' || i, 'ANPASEEDED' || i, ?2, 'seeded-' || i, '/', 'v1', 2, 0, 0 FROM n;
                INSERT INTO policyVersion (policyArn, versionId, document, createdAt)
                SELECT arn, 'v1', ?3, 0 FROM managedPolicy WHERE id LIKE 'ANPASEEDED%'
                """,
            create: ["iam", "create-policy", "--policy-name", "one-too-many", "--policy-document", document],
            get: ["iam", "get-policy", "--policy-arn", "arn:aws:iam::\(account):policy/one-too-many"],
            deleteOneSeeded: ["iam", "delete-policy", "--policy-arn", "arn:aws:iam::\(account):policy/seeded-1"]),
        Kind(
            summaryKey: "Groups", quotaKey: "GroupsQuota", message: "Cannot exceed quota for GroupsPerAccount: 300",
            fill: "INSERT INTO iamGroup (id, accountId, name, path, createdAt) SELECT 'AGPASEEDED' || i, ?2, 'seeded-' || i, '/', 0 FROM n",
            create: ["iam", "create-group", "--group-name", "one-too-many"],
            get: ["iam", "get-group", "--group-name", "one-too-many"],
            deleteOneSeeded: ["iam", "delete-group", "--group-name", "seeded-1"]),
    ]

    @Test("at the quota GetAccountSummary reports, the next create is LimitExceeded (409) and creates nothing", arguments: kinds)
    func quota(kind: Kind) throws {
        let server = try GatehouseProcess()
        let summary = try #require(try server.aws(["iam", "get-account-summary"]).json?["SummaryMap"])
        let limit = try #require(summary[kind.quotaKey]?.intValue)
        let held = try #require(summary[kind.summaryKey]?.intValue)
        try fill(server, kind, count: limit - held)
        #expect(try usage(server, kind) == limit)

        let refused = try server.aws(kind.create)
        #expect(refused.errorCode == "LimitExceeded", "\(refused.stderr)")
        #expect(refused.errorMessage == kind.message, "\(refused.stderr)")
        #expect(try server.aws(kind.get).errorCode == "NoSuchEntity")
        #expect(try usage(server, kind) == limit)

        // The wire answer: 409 and the message, nothing created by the raw request either.
        let raw = try server.query(Self.queryParameters(kind))
        #expect(raw.status == 409, "\(raw)")
        #expect(raw.errorCode == "LimitExceeded")
        #expect(raw.errorMessage == kind.message)
        #expect(try usage(server, kind) == limit)

        // Room for one again once one is deleted.
        let deleted = try server.aws(kind.deleteOneSeeded)
        #expect(deleted.succeeded, "\(deleted.stderr)")
        let created = try server.aws(kind.create)
        #expect(created.succeeded, "\(created.stderr)")
        #expect(try usage(server, kind) == limit)
    }

    static func queryParameters(_ kind: Kind) -> [String: String] {
        switch kind.summaryKey {
        case "Users": ["Action": "CreateUser", "Version": "2010-05-08", "UserName": "raw-one-too-many"]
        case "Roles": ["Action": "CreateRole", "Version": "2010-05-08", "RoleName": "raw-one-too-many", "AssumeRolePolicyDocument": trust]
        case "Policies": ["Action": "CreatePolicy", "Version": "2010-05-08", "PolicyName": "raw-one-too-many", "PolicyDocument": document]
        default: ["Action": "CreateGroup", "Version": "2010-05-08", "GroupName": "raw-one-too-many"]
        }
    }

    func usage(_ server: GatehouseProcess, _ kind: Kind) throws -> Int? {
        try server.aws(["iam", "get-account-summary"]).json?["SummaryMap"]?[kind.summaryKey]?.intValue
    }

    /// Adds `count` rows of the kind straight to the server's store.
    func fill(_ server: GatehouseProcess, _ kind: Kind, count: Int) throws {
        let database = server.dataDirectory.appendingPathComponent("state.sqlite").path
        let documentText = kind.summaryKey == "Roles" ? Self.trust : Self.document
        let filled = try GatehouseProcess.run("python3", ["-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            for statement in sys.argv[2].split(";"):
                values = (int(sys.argv[3]), sys.argv[4], sys.argv[5])
                c.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) " + statement.strip(),
                          values if "?3" in statement else values[:2])
            c.commit()
            """, database, kind.fill, String(count), account, documentText], environment: ProcessInfo.processInfo.environment)
        guard filled.succeeded else { throw SetupFailure(description: "filling \(kind.summaryKey): \(filled.stderr)") }
    }
}
