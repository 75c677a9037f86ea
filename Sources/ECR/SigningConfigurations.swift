import AWSShapes
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
        r.register(ECROperation.PutSigningConfiguration.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: put))
        r.register(ECROperation.GetSigningConfiguration.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: get))
        r.register(ECROperation.DeleteSigningConfiguration.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: delete))
        r.register(ECROperation.DescribeImageSigningStatus.self, .transaction(.read, target: RepositoryTarget.named, act: status))
    }

    // MARK: - Operations

    static func put(
        _ input: ECRShapes.PutSigningConfigurationRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.PutSigningConfigurationResponse {
        let scope = RegistryScope(registryId: nil, context)
        try RegistrySettings.put(RegistrySettings.signing, RegistrySettings.encode(input.signingConfiguration), scope, tx)
        return ECRShapes.PutSigningConfigurationResponse(signingConfiguration: input.signingConfiguration)
    }

    static func get(
        _ input: ECRShapes.GetSigningConfigurationRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.GetSigningConfigurationResponse {
        let scope = RegistryScope(registryId: nil, context)
        guard let configuration = try configuration(scope, tx) else { throw ECRError.signingConfigurationNotFound(scope.accountId) }
        return ECRShapes.GetSigningConfigurationResponse(registryId: scope.accountId, signingConfiguration: configuration)
    }

    static func delete(
        _ input: ECRShapes.DeleteSigningConfigurationRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DeleteSigningConfigurationResponse {
        let scope = RegistryScope(registryId: nil, context)
        guard let configuration = try configuration(scope, tx) else { throw ECRError.signingConfigurationNotFound(scope.accountId) }
        try RegistrySettings.delete(RegistrySettings.signing, scope, tx)
        return ECRShapes.DeleteSigningConfigurationResponse(registryId: scope.accountId, signingConfiguration: configuration)
    }

    static func status(
        _ input: ECRShapes.DescribeImageSigningStatusRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DescribeImageSigningStatusResponse {
        let repository = try target.existing()
        let scope = target.scope
        let id = input.imageId
        let image = try ImageStore.require(id, in: repository, scope, tx)
        let profiles = (try configuration(scope, tx)?.rules ?? []).filter { applies($0, to: repository.name) }.map(\.signingProfileArn)
        var seen = Set<String>()
        let statuses = profiles.filter { seen.insert($0).inserted }.map {
            ECRShapes.ImageSigningStatus(failureCode: notSigned, failureReason: notSignedReason, signingProfileArn: $0, status: "FAILED")
        }
        return ECRShapes.DescribeImageSigningStatusResponse(
            imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag), registryId: scope.accountId,
            repositoryName: repository.name, signingStatuses: statuses)
    }

    static func configuration(_ scope: RegistryScope, _ tx: Transaction) throws -> ECRShapes.SigningConfiguration? {
        RegistrySettings.decode(ECRShapes.SigningConfiguration.self, try RegistrySettings.get(RegistrySettings.signing, scope, tx))
    }

    /// A rule without filters signs every repository; `WILDCARD_MATCH` filters match names with `*`.
    static func applies(_ rule: ECRShapes.SigningRule, to name: String) -> Bool {
        guard let filters = rule.repositoryFilters, !filters.isEmpty else { return true }
        return filters.contains { Wildcard.matches($0.filter, name) }
    }
}
