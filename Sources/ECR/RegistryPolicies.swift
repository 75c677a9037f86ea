import AWSShapes
import PolicyEngine
import ServiceKit
import Storage

/// The registry's permissions policy (what other accounts may replicate or
/// pull through cache into this registry), one per account and region.
enum RegistryPolicies {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.PutRegistryPolicy.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: put))
        r.register(ECROperation.GetRegistryPolicy.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: get))
        r.register(ECROperation.DeleteRegistryPolicy.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: delete))
    }

    // MARK: - Operations

    static func put(
        _ input: ECRShapes.PutRegistryPolicyRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.PutRegistryPolicyResponse {
        let scope = RegistryScope(registryId: nil, context)
        do {
            _ = try PolicyDocument.parse(input.policyText, kind: .resource)
        } catch {
            throw ECRError.invalidRegistryPolicy
        }
        try RegistrySettings.put(RegistrySettings.policy, input.policyText, scope, tx)
        return ECRShapes.PutRegistryPolicyResponse(policyText: input.policyText, registryId: scope.accountId)
    }

    static func get(
        _ input: ECRShapes.GetRegistryPolicyRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.GetRegistryPolicyResponse {
        let scope = RegistryScope(registryId: nil, context)
        guard let policy = try RegistrySettings.get(RegistrySettings.policy, scope, tx) else {
            throw ECRError.registryPolicyNotFound(scope.accountId)
        }
        return ECRShapes.GetRegistryPolicyResponse(policyText: policy, registryId: scope.accountId)
    }

    static func delete(
        _ input: ECRShapes.DeleteRegistryPolicyRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DeleteRegistryPolicyResponse {
        let scope = RegistryScope(registryId: nil, context)
        guard let policy = try RegistrySettings.get(RegistrySettings.policy, scope, tx) else {
            throw ECRError.registryPolicyNotFound(scope.accountId)
        }
        try RegistrySettings.delete(RegistrySettings.policy, scope, tx)
        return ECRShapes.DeleteRegistryPolicyResponse(policyText: policy, registryId: scope.accountId)
    }
}
