import GRDB
import JSON
import PolicyEngine

/// One section of a snapshot: the rows of one table that belong to the
/// exported accounts.
///
/// A section's rows are the table's rows, one JSON object each, members named
/// after the columns (docs/state-format.md). Tying the format to the schema
/// keeps it exact and complete; the schema only ever grows by migrations, and
/// a column a snapshot lacks takes its default on import.
struct SnapshotSection: Sendable {
    /// `iam`, `sts` or `ecr`; nil for the top-level `accounts`.
    let service: String?
    let name: String
    let table: String
    /// Which rows belong to the accounts bound to `:accounts` (a JSON array).
    let scope: String
    /// Columns holding policy documents, checked as IAM checks them.
    var policies: [String: PolicyKind] = [:]
    /// Not owned by an account (shared blobs, issuers' keys): merged on import
    /// by primary key (the snapshot's values win) rather than replaced with the accounts.
    var shared = false

    var path: String { service.map { "\($0).\(name)" } ?? name }

    /// The accounts a snapshot holds, as SQL: one query per section serves
    /// any number of accounts.
    private static let accounts = "(SELECT value FROM json_each(:accounts))"
    private static let ofUsers = "userId IN (SELECT id FROM user WHERE accountId IN \(accounts))"
    private static let ofRepositories = "repositoryArn IN (SELECT arn FROM repository WHERE accountId IN \(accounts))"
    private static let ofAccount = "accountId IN \(accounts)"

    /// The arguments the scope takes: the accounts as a JSON array.
    func arguments(_ accounts: [String]) -> StatementArguments {
        guard scope.contains(":accounts") else { return [] }
        var w = JSONWriter()
        w.arrayStart()
        for account in accounts { w.value(account) }
        w.arrayEnd()
        return ["accounts": w.string]
    }

    /// In the order rows are inserted: parents before children.
    static let all: [SnapshotSection] = [
        SnapshotSection(service: nil, name: "accounts", table: "account", scope: "id IN \(accounts)"),

        SnapshotSection(service: "iam", name: "users", table: "user", scope: ofAccount),
        SnapshotSection(service: "iam", name: "accessKeys", table: "accessKey", scope: ofAccount),
        SnapshotSection(service: "iam", name: "loginProfiles", table: "loginProfile", scope: ofUsers),
        SnapshotSection(service: "iam", name: "passwordHistory", table: "passwordHistory", scope: ofUsers),
        SnapshotSection(service: "iam", name: "groups", table: "iamGroup", scope: ofAccount),
        SnapshotSection(
            service: "iam", name: "groupMemberships", table: "groupMembership",
            scope: "groupId IN (SELECT id FROM iamGroup WHERE accountId IN \(accounts))"),
        SnapshotSection(service: "iam", name: "roles", table: "role", scope: ofAccount, policies: ["trustPolicy": .trust]),
        SnapshotSection(service: "iam", name: "managedPolicies", table: "managedPolicy", scope: ofAccount),
        SnapshotSection(
            service: "iam", name: "policyVersions", table: "policyVersion",
            scope: "policyArn IN (SELECT arn FROM managedPolicy WHERE accountId IN \(accounts))",
            policies: ["document": .identity]),
        SnapshotSection(service: "iam", name: "policyAttachments", table: "policyAttachment", scope: ofAccount),
        SnapshotSection(
            service: "iam", name: "inlinePolicies", table: "inlinePolicy", scope: ofAccount, policies: ["document": .identity]),
        SnapshotSection(service: "iam", name: "instanceProfiles", table: "instanceProfile", scope: ofAccount),
        SnapshotSection(
            service: "iam", name: "instanceProfileRoles", table: "instanceProfileRole",
            scope: "profileId IN (SELECT id FROM instanceProfile WHERE accountId IN \(accounts))"),
        SnapshotSection(service: "iam", name: "mfaDevices", table: "mfaDevice", scope: ofAccount),
        SnapshotSection(service: "iam", name: "sshPublicKeys", table: "sshPublicKey", scope: ofUsers),
        SnapshotSection(service: "iam", name: "signingCertificates", table: "signingCertificate", scope: ofUsers),
        SnapshotSection(service: "iam", name: "serverCertificates", table: "serverCertificate", scope: ofAccount),
        SnapshotSection(
            service: "iam", name: "serviceSpecificCredentials", table: "serviceSpecificCredential", scope: ofAccount),
        SnapshotSection(service: "iam", name: "openIDConnectProviders", table: "oidcProvider", scope: ofAccount),
        SnapshotSection(service: "iam", name: "samlProviders", table: "samlProvider", scope: ofAccount),
        SnapshotSection(service: "iam", name: "passwordPolicies", table: "passwordPolicy", scope: ofAccount),
        // IAM tags hang off ids (users, roles, policies, instance profiles,
        // server certificates), ARNs (identity providers) or MFA serial numbers.
        SnapshotSection(service: "iam", name: "tags", table: "tag", scope: """
            resourceId IN (
                SELECT id FROM user WHERE accountId IN \(accounts) UNION SELECT id FROM role WHERE accountId IN \(accounts)
                UNION SELECT id FROM iamGroup WHERE accountId IN \(accounts) UNION SELECT id FROM managedPolicy WHERE accountId IN \(accounts)
                UNION SELECT id FROM instanceProfile WHERE accountId IN \(accounts)
                UNION SELECT id FROM serverCertificate WHERE accountId IN \(accounts)
                UNION SELECT arn FROM oidcProvider WHERE accountId IN \(accounts) UNION SELECT arn FROM samlProvider WHERE accountId IN \(accounts)
                UNION SELECT serialNumber FROM mfaDevice WHERE accountId IN \(accounts))
            """),

        SnapshotSection(
            service: "sts", name: "openIDConnectSigningKeys", table: "oidcSigningKey", scope: "1", shared: true),

        SnapshotSection(service: "ecr", name: "repositories", table: "repository", scope: ofAccount),
        SnapshotSection(
            service: "ecr", name: "tags", table: "tag",
            scope: "resourceId IN (SELECT arn FROM repository WHERE accountId IN \(accounts))"),
        SnapshotSection(
            service: "ecr", name: "blobs", table: "blob",
            scope: "digest IN (SELECT digest FROM repositoryBlob WHERE \(ofRepositories))", shared: true),
        SnapshotSection(service: "ecr", name: "repositoryBlobs", table: "repositoryBlob", scope: ofRepositories),
        SnapshotSection(service: "ecr", name: "images", table: "image", scope: ofRepositories),
        SnapshotSection(service: "ecr", name: "imageTags", table: "imageTag", scope: ofRepositories),
        SnapshotSection(service: "ecr", name: "imageReferences", table: "imageReference", scope: ofRepositories),
        SnapshotSection(service: "ecr", name: "imageScans", table: "imageScan", scope: ofRepositories),
        SnapshotSection(service: "ecr", name: "lifecyclePreviews", table: "lifecyclePreview", scope: ofRepositories),
        SnapshotSection(service: "ecr", name: "registrySettings", table: "registrySetting", scope: ofAccount),
        SnapshotSection(service: "ecr", name: "pullThroughCacheRules", table: "pullThroughCacheRule", scope: ofAccount),
        SnapshotSection(
            service: "ecr", name: "repositoryCreationTemplates", table: "repositoryCreationTemplate", scope: ofAccount),
        SnapshotSection(
            service: "ecr", name: "pullTimeUpdateExclusions", table: "pullTimeUpdateExclusion", scope: ofAccount),
    ]

    /// Tables deliberately left out: not the emulated world but what a server
    /// is doing or has derived (sessions expire, uploads are in flight,
    /// reports are regenerated) or its own signing secrets.
    static let excludedTables: Set<String> = [
        "sessionCredential", "layerUpload", "credentialReport", "serviceLinkedRoleDeletion", "serverSecret",
    ]

    static let services = ["iam", "sts", "ecr"]
}
