import AWSShapes
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

    /// Each usage key and the count that answers it.
    static let usage: [(key: String, counted: AccountUsage)] = AccountQuota.all.map { ($0.summaryUsageKey, $0.counted) } + [
        ("PolicyVersionsInUse", .policyVersionsInUse),
        ("InstanceProfiles", .instanceProfiles),
        ("ServerCertificates", .serverCertificates),
        ("MFADevices", .mfaDevices),
        ("MFADevicesInUse", .mfaDevicesInUse),
        ("Providers", .providers),
        ("AccountAccessKeysPresent", .rootAccessKeysPresent),
    ]

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.GetAccountSummary.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: get))
    }

    static func get(
        _ input: EmptyShape, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetAccountSummaryResponse {
        var summary = quotas
        for (key, counted) in usage { summary[key] = try counted.count(account: context.accountId, in: tx) }
        // The root user here has no MFA device or signing certificate; a console password when the seed gave it one.
        summary["AccountMFAEnabled"] = 0
        summary["AccountPasswordPresent"] = try tx.fetch(RootSignInRecord.self, key: context.accountId) == nil ? 0 : 1
        summary["AccountSigningCertificatesPresent"] = 0
        summary["GlobalEndpointTokenVersion"] = try SecurityTokenServicePreferences.summaryVersion(account: context.accountId, in: tx)
        return IAMShapes.GetAccountSummaryResponse(summaryMap: summary)
    }
}
