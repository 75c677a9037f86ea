import AWSShapes
import GRDB
import PolicyEngine
import ServiceKit
import Storage

/// The registry's permissions policy (what other accounts may replicate or
/// pull through cache into this registry), one per account and region.
enum RegistryPolicies {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.PutRegistryPolicy.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:PutRegistryPolicy", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            do {
                _ = try PolicyDocument.parse(input.policyText, kind: .resource)
            } catch {
                throw ECRError.invalidRegistryPolicy
            }
            return try await context.store.write { db in
                try RegistrySettings.put(RegistrySettings.policy, input.policyText, scope, db)
                return ECRShapes.PutRegistryPolicyResponse(policyText: input.policyText, registryId: scope.accountId)
            }
        }

        r.register(ECROperation.GetRegistryPolicy.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:GetRegistryPolicy", resource: "*")]
        }) { _, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.read { db in
                guard let policy = try RegistrySettings.get(RegistrySettings.policy, scope, db) else {
                    throw ECRError.registryPolicyNotFound(scope.accountId)
                }
                return ECRShapes.GetRegistryPolicyResponse(policyText: policy, registryId: scope.accountId)
            }
        }

        r.register(ECROperation.DeleteRegistryPolicy.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:DeleteRegistryPolicy", resource: "*")]
        }) { _, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.write { db in
                guard let policy = try RegistrySettings.get(RegistrySettings.policy, scope, db) else {
                    throw ECRError.registryPolicyNotFound(scope.accountId)
                }
                try RegistrySettings.delete(RegistrySettings.policy, scope, db)
                return ECRShapes.DeleteRegistryPolicyResponse(policyText: policy, registryId: scope.accountId)
            }
        }
    }
}
