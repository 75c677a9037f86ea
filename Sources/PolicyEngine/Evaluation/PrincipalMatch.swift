/// How directly a resource-based policy names the requesting principal.
///
/// The distinction decides whether implicit denies elsewhere matter (IAM User
/// Guide, "Policy evaluation logic", table "Resource-based policies and
/// implicit denies in other policy types (same account)"): a grant to the IAM
/// user or to the session itself stands on its own; a grant to the role ARN
/// (or to the IAM user behind a federated-user session) is still limited by
/// permissions boundaries and session policies; a grant to the account
/// delegates to IAM, which must allow the request through identity-based
/// policies.
enum PrincipalMatch: Int, Sendable, Comparable {
    case none = 0
    case account
    case parent
    case direct

    static func < (lhs: PrincipalMatch, rhs: PrincipalMatch) -> Bool { lhs.rawValue < rhs.rawValue }
}
