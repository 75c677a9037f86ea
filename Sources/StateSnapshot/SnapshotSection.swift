import PolicyEngine
import Storage

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
    /// Which rows of which table belong to the exported accounts.
    let rows: AccountRows
    /// Columns holding policy documents, checked as IAM checks them.
    var policies: [String: PolicyKind] = [:]
    /// Not owned by an account (shared blobs, issuers' keys): merged on import
    /// by primary key (the snapshot's values win) rather than replaced with the accounts.
    var shared = false

    var table: String { rows.table }
    var path: String { service.map { "\($0).\(name)" } ?? name }

    /// In the order rows are inserted: parents before children.
    static let all: [SnapshotSection] = [
        SnapshotSection(service: nil, name: "accounts", rows: .account),

        SnapshotSection(service: "iam", name: "users", rows: .ofAccount("user")),
        SnapshotSection(service: "iam", name: "accessKeys", rows: .ofAccount("accessKey")),
        SnapshotSection(service: "iam", name: "loginProfiles", rows: .ofUsers("loginProfile")),
        SnapshotSection(service: "iam", name: "passwordHistory", rows: .ofUsers("passwordHistory")),
        SnapshotSection(service: "iam", name: "groups", rows: .ofAccount("iamGroup")),
        SnapshotSection(service: "iam", name: "groupMemberships", rows: .groupMemberships),
        SnapshotSection(service: "iam", name: "roles", rows: .ofAccount("role"), policies: ["trustPolicy": .trust]),
        SnapshotSection(service: "iam", name: "managedPolicies", rows: .ofAccount("managedPolicy")),
        SnapshotSection(service: "iam", name: "policyVersions", rows: .policyVersions, policies: ["document": .identity]),
        SnapshotSection(service: "iam", name: "policyAttachments", rows: .ofAccount("policyAttachment")),
        SnapshotSection(service: "iam", name: "inlinePolicies", rows: .ofAccount("inlinePolicy"), policies: ["document": .identity]),
        SnapshotSection(service: "iam", name: "instanceProfiles", rows: .ofAccount("instanceProfile")),
        SnapshotSection(service: "iam", name: "instanceProfileRoles", rows: .instanceProfileRoles),
        SnapshotSection(service: "iam", name: "mfaDevices", rows: .ofAccount("mfaDevice")),
        SnapshotSection(service: "iam", name: "sshPublicKeys", rows: .ofUsers("sshPublicKey")),
        SnapshotSection(service: "iam", name: "signingCertificates", rows: .ofUsers("signingCertificate")),
        SnapshotSection(service: "iam", name: "serverCertificates", rows: .ofAccount("serverCertificate")),
        SnapshotSection(service: "iam", name: "serviceSpecificCredentials", rows: .ofAccount("serviceSpecificCredential")),
        SnapshotSection(service: "iam", name: "openIDConnectProviders", rows: .ofAccount("oidcProvider")),
        SnapshotSection(service: "iam", name: "samlProviders", rows: .ofAccount("samlProvider")),
        SnapshotSection(service: "iam", name: "passwordPolicies", rows: .ofAccount("passwordPolicy")),
        SnapshotSection(service: "iam", name: "rootSignIn", rows: .ofAccount("rootSignIn")),
        SnapshotSection(service: "iam", name: "tags", rows: .iamTags),
        SnapshotSection(service: "iam", name: "accountPreferences", rows: .ofAccount("accountPreference")),
        SnapshotSection(service: "iam", name: "serviceAccess", rows: .ofAccount("serviceAccess")),

        SnapshotSection(service: "sts", name: "openIDConnectSigningKeys", rows: .everyRow("oidcSigningKey"), shared: true),

        SnapshotSection(service: "ecr", name: "repositories", rows: .ofAccount("repository")),
        SnapshotSection(service: "ecr", name: "tags", rows: .ecrTags),
        SnapshotSection(service: "ecr", name: "blobs", rows: .blobs, shared: true),
        SnapshotSection(service: "ecr", name: "repositoryBlobs", rows: .ofRepositories("repositoryBlob")),
        SnapshotSection(service: "ecr", name: "images", rows: .ofRepositories("image")),
        SnapshotSection(service: "ecr", name: "imageTags", rows: .ofRepositories("imageTag")),
        SnapshotSection(service: "ecr", name: "imageReferences", rows: .ofRepositories("imageReference")),
        SnapshotSection(service: "ecr", name: "imageScans", rows: .ofRepositories("imageScan")),
        SnapshotSection(service: "ecr", name: "imageReplications", rows: .ofRepositories("imageReplication")),
        SnapshotSection(service: "ecr", name: "lifecyclePreviews", rows: .ofRepositories("lifecyclePreview")),
        SnapshotSection(service: "ecr", name: "registrySettings", rows: .ofAccount("registrySetting")),
        SnapshotSection(service: "ecr", name: "pullThroughCacheRules", rows: .ofAccount("pullThroughCacheRule")),
        SnapshotSection(service: "ecr", name: "repositoryCreationTemplates", rows: .ofAccount("repositoryCreationTemplate")),
        SnapshotSection(service: "ecr", name: "pullTimeUpdateExclusions", rows: .ofAccount("pullTimeUpdateExclusion")),
    ]

    /// Tables deliberately left out: not the emulated world but what a server
    /// is doing or has derived (sessions expire, uploads are in flight,
    /// reports are regenerated, console sessions end, a lab roster is the instructor's) or its own signing secrets.
    static let excludedTables: Set<String> = [
        "sessionCredential", "layerUpload", "credentialReport", "serviceLinkedRoleDeletion", "serverSecret", "consoleSession", "labLearner",
        // Service last accessed jobs: reports, regenerated from serviceAccess on request (like the credential report).
        "accessReportJob",
        // Policy generation jobs: read from the decision log, which is not state either.
        "policyGeneration",
    ]

    static let services = ["iam", "sts", "ecr"]
}
