import AWSShapes
import GRDB
import ServiceKit
import Storage

/// Managed signing: which repositories' images ECR signs with which AWS
/// Signer profile. The configuration is stored and answered faithfully;
/// signing itself needs AWS Signer, so DescribeImageSigningStatus reports
/// each matching profile as FAILED and says why.
enum SigningConfigurations {
    static let notSigned = "SIGNING_NOT_AVAILABLE_OFFLINE"
    static let notSignedReason = "Gatehouse runs offline and cannot reach AWS Signer to sign images"

    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.PutSigningConfiguration.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:PutSigningConfiguration", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.write { db in
                try RegistrySettings.put(RegistrySettings.signing, RegistrySettings.encode(input.signingConfiguration), scope, db)
                return ECRShapes.PutSigningConfigurationResponse(signingConfiguration: input.signingConfiguration)
            }
        }

        r.register(ECROperation.GetSigningConfiguration.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:GetSigningConfiguration", resource: "*")]
        }) { _, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.read { db in
                guard let configuration = try configuration(scope, db) else { throw ECRError.signingConfigurationNotFound(scope.accountId) }
                return ECRShapes.GetSigningConfigurationResponse(registryId: scope.accountId, signingConfiguration: configuration)
            }
        }

        r.register(ECROperation.DeleteSigningConfiguration.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:DeleteSigningConfiguration", resource: "*")]
        }) { _, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.write { db in
                guard let configuration = try configuration(scope, db) else { throw ECRError.signingConfigurationNotFound(scope.accountId) }
                try RegistrySettings.delete(RegistrySettings.signing, scope, db)
                return ECRShapes.DeleteSigningConfigurationResponse(registryId: scope.accountId, signingConfiguration: configuration)
            }
        }

        r.register(ECROperation.DescribeImageSigningStatus.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:DescribeImageSigningStatus", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                let id = input.imageId
                let image = try ImageStore.require(id, in: repository, scope, db)
                let profiles = (try configuration(scope, db)?.rules ?? []).filter { applies($0, to: repository.name) }.map(\.signingProfileArn)
                var seen = Set<String>()
                let statuses = profiles.filter { seen.insert($0).inserted }.map {
                    ECRShapes.ImageSigningStatus(failureCode: notSigned, failureReason: notSignedReason, signingProfileArn: $0, status: "FAILED")
                }
                return ECRShapes.DescribeImageSigningStatusResponse(
                    imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag), registryId: scope.accountId,
                    repositoryName: repository.name, signingStatuses: statuses)
            }
        }
    }

    static func configuration(_ scope: RegistryScope, _ db: Database) throws -> ECRShapes.SigningConfiguration? {
        RegistrySettings.decode(ECRShapes.SigningConfiguration.self, try RegistrySettings.get(RegistrySettings.signing, scope, db))
    }

    /// A rule without filters signs every repository; `WILDCARD_MATCH` filters match names with `*`.
    static func applies(_ rule: ECRShapes.SigningRule, to name: String) -> Bool {
        guard let filters = rule.repositoryFilters, !filters.isEmpty else { return true }
        return filters.contains { Wildcard.matches($0.filter, name) }
    }
}
