import AWSShapes
import GRDB
import ServiceKit
import Storage

/// GetAccountSummary: what the account holds, counted from the store, and
/// the quotas, at AWS's defaults (Gatehouse has no quota increases). The
/// per-account entity quotas are `AccountQuota`s, which the creates enforce.
enum AccountSummary {
    static let quotas: [String: Int] = [
        "AccessKeysPerUserQuota": AccessKeys.perUser,
        "AssumeRolePolicySizeQuota": PolicyValidation.trustPolicySizeLimit,
        "AttachedPoliciesPerGroupQuota": Identity.attachedLimit,
        "AttachedPoliciesPerRoleQuota": Identity.attachedLimit,
        "AttachedPoliciesPerUserQuota": Identity.attachedLimit,
        "GroupPolicySizeQuota": Identity.group.inlineSizeLimit,
        "GroupsPerUserQuota": 10,
        AccountQuota.groups.summaryQuotaKey: AccountQuota.groups.limit,
        "InstanceProfilesQuota": 1000,
        AccountQuota.policies.summaryQuotaKey: AccountQuota.policies.limit,
        "PolicySizeQuota": PolicyValidation.managedPolicySizeLimit,
        "PolicyVersionsInUseQuota": 10000,
        "RolePolicySizeQuota": Identity.role.inlineSizeLimit,
        AccountQuota.roles.summaryQuotaKey: AccountQuota.roles.limit,
        "ServerCertificatesQuota": ServerCertificates.perAccount,
        "SigningCertificatesPerUserQuota": SigningCertificates.perUser,
        "UserPolicySizeQuota": Identity.user.inlineSizeLimit,
        AccountQuota.users.summaryQuotaKey: AccountQuota.users.limit,
        "VersionsPerPolicyQuota": ManagedPolicies.versionLimit,
    ]

    /// Each usage key and the count that answers it (`?` is the account).
    static let usage: [(key: String, sql: String)] = AccountQuota.all.map { ($0.summaryUsageKey, $0.countSQL) } + [
        ("PolicyVersionsInUse", "SELECT count(*) FROM policyVersion v JOIN managedPolicy p ON p.arn = v.policyArn WHERE p.accountId = ?"),
        ("InstanceProfiles", "SELECT count(*) FROM instanceProfile WHERE accountId = ?"),
        ("ServerCertificates", "SELECT count(*) FROM serverCertificate WHERE accountId = ?"),
        ("MFADevices", "SELECT count(*) FROM mfaDevice WHERE accountId = ?"),
        ("MFADevicesInUse", "SELECT count(*) FROM mfaDevice WHERE accountId = ? AND userId IS NOT NULL"),
        ("Providers", "SELECT (SELECT count(*) FROM oidcProvider WHERE accountId = ?1) + (SELECT count(*) FROM samlProvider WHERE accountId = ?1)"),
        ("AccountAccessKeysPresent", "SELECT count(*) > 0 FROM accessKey WHERE accountId = ? AND userId IS NULL"),
    ]

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.GetAccountSummary.self, access: .check { _, _ in
            [AccessRequest(action: "iam:GetAccountSummary", resource: "*")]
        }) { _, context in
            try await context.store.read { db in
                var summary = quotas
                for (key, sql) in usage { summary[key] = try Int.fetchOne(db, cached: sql, arguments: [context.accountId]) ?? 0 }
                // The root user here has no console password, MFA device or signing certificate.
                summary["AccountMFAEnabled"] = 0
                summary["AccountPasswordPresent"] = 0
                summary["AccountSigningCertificatesPresent"] = 0
                summary["GlobalEndpointTokenVersion"] = 1
                return IAMShapes.GetAccountSummaryResponse(summaryMap: summary)
            }
        }
    }
}
