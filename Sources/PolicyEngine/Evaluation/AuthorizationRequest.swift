/// One request to authorize.
public struct AuthorizationRequest: Sendable {
    public var principal: EvaluationPrincipal
    /// `service:Action`, compared without regard to case.
    public var action: String
    /// The resource ARN, or `*` for actions without a resource type.
    public var resource: String
    /// The account owning the resource; nil for `*`.
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
    public var isCrossAccount: Bool {
        guard let resourceAccountID else { return false }
        return resourceAccountID != principal.accountID
    }
}
