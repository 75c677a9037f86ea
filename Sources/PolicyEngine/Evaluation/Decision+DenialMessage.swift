extension Decision {
    /// The end of AWS's access-denied message, for example
    /// `because no identity-based policy allows the ecr:GetAuthorizationToken action`
    /// or `with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/Deny`.
    /// Nil when the request is allowed.
    ///
    /// AWS names the denying policy by ARN when it is a managed policy in an
    /// identity-based policy, permissions boundary or session policy and the
    /// request stays within the account: messages such as "with an explicit
    /// deny in an identity-based policy: arn:aws:iam::…:policy/…" and "with an
    /// explicit deny in a permissions boundary: arn:aws:iam::…:policy/…" are
    /// what AWS returns since it added policy ARNs to denials (IAM User Guide,
    /// "Troubleshoot access denied error messages"). Inline and
    /// resource-based policies have no ARN to give.
    public func denialReason(action: String) -> String? {
        switch outcome {
        case .allowed:
            return nil
        case .implicitDeny:
            return "because no \((policyType ?? .identityBased).rawValue) allows the \(action) action"
        case .explicitDeny:
            let type = policyType ?? .identityBased
            var reason = "with an explicit deny in \(type.withArticle)"
            if !isCrossAccount, type != .resourceBased,
                let arn = matchedStatements.first(where: { $0.policyType == type })?.policyARN
            {
                reason += ": \(arn)"
            }
            return reason
        }
    }

    /// AWS's whole message: `User: ARN is not authorized to perform: ACTION
    /// on resource: RESOURCE because …`. Actions without a resource type keep
    /// the clause as `on resource: *` (captured from ECR in 2024: "…perform:
    /// ecr:GetAuthorizationToken on resource: * because no identity-based
    /// policy allows the ecr:GetAuthorizationToken action").
    public func accessDeniedMessage(principalARN: String, action: String, resource: String) -> String? {
        guard let reason = denialReason(action: action) else { return nil }
        return "User: \(principalARN) is not authorized to perform: \(action) on resource: \(resource) \(reason)"
    }
}
