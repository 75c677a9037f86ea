/// What IAM's policy simulator reports for one action on one resource.
public struct SimulationResult: Sendable, Hashable {
    /// `EvalDecision`; its `matchedStatements` are the simulator's
    /// `MatchedStatements`: every matching allow for an allowed request,
    /// every matching deny for an explicit deny, none for an implicit deny.
    public let decision: Decision
    /// `MissingContextValues`: keys read by statements that matched the
    /// action, resource and principal but absent from the request context.
    public let missingContextValues: [String]
    /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`; nil
    /// without a boundary.
    public let allowedByPermissionsBoundary: Bool?
    /// `EvalDecisionDetails`: the verdict of each policy type present.
    public let decisionsByPolicyType: [PolicyType: Decision.Outcome]

    public var matchedStatements: [MatchedStatement] { decision.matchedStatements }
}
