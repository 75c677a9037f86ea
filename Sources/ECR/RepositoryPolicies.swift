import AWSShapes
import GRDB
import PolicyEngine
import ServiceKit
import Storage

/// Repository policies: the resource-based policy every authorization on the
/// repository consults (cross-account pulls included).
enum RepositoryPolicies {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.SetRepositoryPolicy.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:SetRepositoryPolicy", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            let document: PolicyDocument
            do {
                document = try PolicyDocument.parse(input.policyText, kind: .resource)
            } catch {
                throw ECRError.invalidRepositoryPolicy
            }
            if !(input.force ?? false), locksOut(document, context: context, repositoryArn: scope.repositoryArn(input.repositoryName)) {
                throw ECRError.invalidParameter(
                    "PolicyText",
                    "The repository policy would prevent you from setting another policy in the future; use force to set it anyway")
            }
            return try await context.store.write { db in
                var repository = try Repositories.require(input.repositoryName, scope, db)
                repository.policy = input.policyText
                try repository.update(db)
                return ECRShapes.SetRepositoryPolicyResponse(
                    policyText: input.policyText, registryId: scope.accountId, repositoryName: repository.name)
            }
        }

        r.register(ECROperation.GetRepositoryPolicy.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:GetRepositoryPolicy", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                guard let policy = repository.policy else { throw ECRError.repositoryPolicyNotFound(repository.name, scope.accountId) }
                return ECRShapes.GetRepositoryPolicyResponse(policyText: policy, registryId: scope.accountId, repositoryName: repository.name)
            }
        }

        r.register(ECROperation.DeleteRepositoryPolicy.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:DeleteRepositoryPolicy", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                var repository = try Repositories.require(input.repositoryName, scope, db)
                guard let policy = repository.policy else { throw ECRError.repositoryPolicyNotFound(repository.name, scope.accountId) }
                repository.policy = nil
                try repository.update(db)
                return ECRShapes.DeleteRepositoryPolicyResponse(policyText: policy, registryId: scope.accountId, repositoryName: repository.name)
            }
        }
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
