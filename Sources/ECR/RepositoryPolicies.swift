import AWSShapes
import PolicyEngine
import ServiceKit
import Storage

/// Repository policies: the resource-based policy every authorization on the
/// repository consults (cross-account pulls included).
enum RepositoryPolicies {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.SetRepositoryPolicy.self, .transaction(.write, target: RepositoryTarget.named, act: set))
        r.register(ECROperation.GetRepositoryPolicy.self, .transaction(.read, target: RepositoryTarget.named, act: get))
        r.register(ECROperation.DeleteRepositoryPolicy.self, .transaction(.write, target: RepositoryTarget.named, act: delete))
    }

    // MARK: - Operations

    static func set(
        _ input: ECRShapes.SetRepositoryPolicyRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.SetRepositoryPolicyResponse {
        let document: PolicyDocument
        do {
            document = try PolicyDocument.parse(input.policyText, kind: .resource)
        } catch {
            throw ECRError.invalidRepositoryPolicy
        }
        if !(input.force ?? false), locksOut(document, context: context, repositoryArn: target.resource) {
            throw ECRError.invalidParameter(
                "PolicyText", "The repository policy would prevent you from setting another policy in the future; use force to set it anyway")
        }
        var repository = try target.existing()
        repository.policy = input.policyText
        try tx.update(repository)
        return ECRShapes.SetRepositoryPolicyResponse(
            policyText: input.policyText, registryId: target.scope.accountId, repositoryName: repository.name)
    }

    static func get(
        _ input: ECRShapes.GetRepositoryPolicyRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.GetRepositoryPolicyResponse {
        let repository = try target.existing()
        guard let policy = repository.policy else { throw ECRError.repositoryPolicyNotFound(repository.name, target.scope.accountId) }
        return ECRShapes.GetRepositoryPolicyResponse(policyText: policy, registryId: target.scope.accountId, repositoryName: repository.name)
    }

    static func delete(
        _ input: ECRShapes.DeleteRepositoryPolicyRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DeleteRepositoryPolicyResponse {
        var repository = try target.existing()
        guard let policy = repository.policy else { throw ECRError.repositoryPolicyNotFound(repository.name, target.scope.accountId) }
        repository.policy = nil
        try tx.update(repository)
        return ECRShapes.DeleteRepositoryPolicyResponse(
            policyText: policy, registryId: target.scope.accountId, repositoryName: repository.name)
    }

    /// Whether the policy explicitly denies the caller `ecr:SetRepositoryPolicy`
    /// on this repository: setting it would lock the caller out (what `--force` overrides).
    static func locksOut(_ document: PolicyDocument, context: OperationContext, repositoryArn: String) -> Bool {
        let principal = PolicyAuthorizer.evaluationPrincipal(context.principal)
        let request = AuthorizationRequest(
            principal: principal, action: "ecr:SetRepositoryPolicy", resource: repositoryArn,
            resourceAccountID: ARNParts(repositoryArn)?.account, context: principal.globalContextKeys)
        let policies = PolicySet(
            resourcePolicy: AttachedPolicy(id: repositoryArn, source: .resource, document: document),
            resourceOwnerAccountID: ARNParts(repositoryArn)?.account)
        return PolicyEvaluator.evaluate(request, policies: policies).outcome == .explicitDeny
    }
}
