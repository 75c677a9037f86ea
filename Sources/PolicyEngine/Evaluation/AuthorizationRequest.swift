/// One request to authorize.
public struct AuthorizationRequest: Sendable {
    public var principal: EvaluationPrincipal
    /// `service:Action`, compared without regard to case.
    public var action: String
    /// The resource ARN, or `*` for actions without a resource type.
    public var resource: String
    /// The account owning the resource; nil for `*`. `aws` for what AWS
    /// itself owns (AWS managed policies), which is no other account.
    public var resourceAccountID: String?
    public var context: RequestContext

    public init(
        principal: EvaluationPrincipal, action: String, resource: String = "*",
        resourceAccountID: String? = nil, context: RequestContext = RequestContext()
    ) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.resourceAccountID = resourceAccountID
        self.context = context
    }

    /// A request is cross-account when the resource belongs to another
    /// account; both the principal's account and the resource's must then
    /// allow it (IAM User Guide, "Cross-account policy evaluation logic").
    public var isCrossAccount: Bool { Self.isCrossAccount(resourceAccountID, principal) }

    /// What AWS owns (account `aws`: AWS managed policies) belongs to no
    /// other account: every account reads it on its identity policies alone.
    static func isCrossAccount(_ resourceAccountID: String?, _ principal: EvaluationPrincipal) -> Bool {
        guard let resourceAccountID, !resourceAccountID.isEmpty, resourceAccountID != "aws" else { return false }
        return resourceAccountID != principal.accountID
    }

    /// Role assumption and what comes with the session (tags, source
    /// identity, context) are decided by the role's trust policy, which must
    /// allow on its own even within the account (IAM User Guide, "Policy
    /// evaluation logic": role trust policies).
    public var isGovernedByTrustPolicy: Bool { Self.isGovernedByTrustPolicy(action) }

    public static func isGovernedByTrustPolicy(_ action: String) -> Bool {
        let folded = action.asciiLowercased()
        return ["sts:assumerole", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext"].contains { folded.hasPrefix($0) }
    }
}
