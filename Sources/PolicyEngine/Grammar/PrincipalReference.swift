/// One principal named in a `Principal` or `NotPrincipal` element, exposed so
/// that IAM can refuse trust policies naming users or roles that do not exist.
public struct PrincipalReference: Sendable, Hashable {
    public enum PrincipalType: String, Sendable, Hashable {
        case aws = "AWS"
        case service = "Service"
        case federated = "Federated"
        case canonicalUser = "CanonicalUser"
    }

    public let type: PrincipalType
    /// The value as written (`"*"` for a bare `"Principal": "*"`).
    public let value: String
    public let statementIndex: Int
    public let isNotPrincipal: Bool

    public var isWildcard: Bool { value == "*" }

    /// The account an `AWS` principal belongs to: the value itself for a bare
    /// account ID, the ARN's account field otherwise.
    public var accountID: String? {
        guard type == .aws, !isWildcard else { return nil }
        if value.utf8.count == 12, value.utf8.allSatisfy({ $0 &- 0x30 < 10 }) { return value }
        let account = EvaluationPrincipal.account(in: value)
        return account.isEmpty ? nil : account
    }

    /// True for `arn:…:iam::ACCT:user/…`, `role/…`, `assumed-role/…` and
    /// `federated-user/…` values: the ones naming a specific IAM identity.
    public var namesIAMIdentity: Bool {
        guard type == .aws, value.hasPrefix("arn:") else { return false }
        let resource = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last ?? ""
        return resource.hasPrefix("user/") || resource.hasPrefix("role/")
            || resource.hasPrefix("assumed-role/") || resource.hasPrefix("federated-user/")
    }
}
