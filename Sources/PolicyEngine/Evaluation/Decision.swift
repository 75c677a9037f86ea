/// The verdict on a request.
public struct Decision: Sendable, Hashable {
    /// SimulatePolicy's `EvalDecision` values.
    public enum Outcome: String, Sendable, Hashable {
        case allowed
        case explicitDeny
        case implicitDeny
    }

    public let outcome: Outcome
    /// The policy type that decided: the one holding the explicit deny, the
    /// one lacking an allow, or the one whose allow carried the request.
    /// Nil only for the root user, whom no policy needs to allow.
    public let policyType: PolicyType?
    /// The statements behind the verdict: the explicit deny(s), or the
    /// allow(s) that carried the request; empty for an implicit deny.
    public let matchedStatements: [MatchedStatement]
    /// Whether the resource belongs to another account than the principal.
    public let isCrossAccount: Bool

    public init(outcome: Outcome, policyType: PolicyType?, matchedStatements: [MatchedStatement] = [], isCrossAccount: Bool = false) {
        self.outcome = outcome
        self.policyType = policyType
        self.matchedStatements = matchedStatements
        self.isCrossAccount = isCrossAccount
    }

    public var isAllowed: Bool { outcome == .allowed }
}
