import AWSShapes
import Storage

/// An account-level entity quota: how many users, roles, customer managed
/// policies or groups one account may hold. GetAccountSummary reports each
/// limit (`UsersQuota`, …) and its usage (`Users`, …) from here, and the
/// create operations check it inside their write transaction, before the
/// insert, so concurrent creates cannot overshoot (writes are serialized).
///
/// The refusal is `LimitExceeded` (409) `Cannot exceed quota for {name}: {limit}`:
/// - `UsersPerAccount: 5000` CONFIRMED: AWS output quoted in openshift's
///   cloud-credential-operator (`LimitExceeded: Cannot exceed quota for UsersPerAccount: 5000`,
///   `status code: 409`, 2020).
/// - `RolesPerAccount: 1000` CONFIRMED: Terraform CreateRole output, `LimitExceeded: Cannot
///   exceed quota for RolesPerAccount: 1000` with `StatusCode: 409` (a deployment report found
///   by find_string) and `… RolesPerAccount: 1500`, `status code: 409` (an account with a
///   raised quota, mongodb-atlas provider CI log, 2025): the number is the account's quota.
/// - `PoliciesPerAccount: 1500`, `GroupsPerAccount: 300`: INFERRED, the same pattern; only
///   emulators and IAM-compatible services show these texts.
/// Defaults: the AWS IAM quotas page (docs/research/iam.md §4).
struct AccountQuota: Sendable {
    /// The quota's name in the LimitExceeded message.
    let name: String
    let limit: Int
    /// GetAccountSummary's keys for the limit and for the usage.
    let summaryQuotaKey: String
    let summaryUsageKey: String
    /// What is counted against the limit.
    let counted: AccountUsage

    static let users = AccountQuota(
        name: "UsersPerAccount", limit: 5000, summaryQuotaKey: "UsersQuota", summaryUsageKey: "Users", counted: .users)
    static let roles = AccountQuota(
        name: "RolesPerAccount", limit: 1000, summaryQuotaKey: "RolesQuota", summaryUsageKey: "Roles", counted: .roles)
    /// Customer managed policies only: AWS managed policies are not the account's.
    static let policies = AccountQuota(
        name: "PoliciesPerAccount", limit: 1500, summaryQuotaKey: "PoliciesQuota", summaryUsageKey: "Policies", counted: .policies)
    static let groups = AccountQuota(
        name: "GroupsPerAccount", limit: 300, summaryQuotaKey: "GroupsQuota", summaryUsageKey: "Groups", counted: .groups)

    static let all = [users, roles, policies, groups]

    /// How many the account holds now.
    func usage(_ tx: Transaction, account: String) throws -> Int {
        try counted.count(account: account, in: tx)
    }

    /// Refuses one more when the account is at its limit. Call inside the
    /// write transaction that inserts, before the insert.
    func checkRoomForOne(_ tx: Transaction, account: String) throws {
        if try usage(tx, account: account) >= limit { throw IAMError.quota(name, limit) }
    }
}
