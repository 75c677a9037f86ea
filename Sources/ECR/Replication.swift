import AWSShapes
import ServiceKit
import Storage

/// The registry's replication configuration and DescribeRegistry.
///
/// Gatehouse stores the configuration and answers with it faithfully, but
/// does not copy images between registries: DescribeImageReplicationStatus
/// says so per destination (status FAILED) rather than pretend.
enum Replication {
    /// Destinations one configuration may name, across its rules (ECR quota).
    static let destinationLimit = 25
    static let notReplicated = "REPLICATION_NOT_AVAILABLE_OFFLINE"

    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.DescribeRegistry.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: describeRegistry))
        r.register(ECROperation.PutReplicationConfiguration.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: put))
        r.register(ECROperation.DescribeImageReplicationStatus.self, .transaction(.read, target: RepositoryTarget.named, act: status))
    }

    // MARK: - Operations

    static func describeRegistry(
        _ input: ECRShapes.DescribeRegistryRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DescribeRegistryResponse {
        let scope = RegistryScope(registryId: nil, context)
        return ECRShapes.DescribeRegistryResponse(registryId: scope.accountId, replicationConfiguration: try configuration(scope, tx))
    }

    static func put(
        _ input: ECRShapes.PutReplicationConfigurationRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.PutReplicationConfigurationResponse {
        let scope = RegistryScope(registryId: nil, context)
        let configuration = input.replicationConfiguration
        let destinations = configuration.rules.flatMap(\.destinations)
        if destinations.contains(where: { $0.region == scope.region && $0.registryId == scope.accountId }) {
            throw ECRError.invalidParameter(
                "replicationConfiguration", "Replication destination cannot be the same as the source registry and region")
        }
        if Set(destinations.map { "\($0.registryId)/\($0.region)" }).count > destinationLimit {
            throw ECRError.invalidParameter(
                "replicationConfiguration", "The number of unique destinations exceeds the limit of \(destinationLimit)")
        }
        try RegistrySettings.put(RegistrySettings.replication, RegistrySettings.encode(configuration), scope, tx)
        return ECRShapes.PutReplicationConfigurationResponse(replicationConfiguration: configuration)
    }

    static func status(
        _ input: ECRShapes.DescribeImageReplicationStatusRequest, _ target: RepositoryTarget, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> ECRShapes.DescribeImageReplicationStatusResponse {
        let repository = try target.existing()
        let scope = target.scope
        let id = input.imageId
        let image = try ImageStore.require(id, in: repository, scope, tx)
        var seen = Set<String>()
        var statuses: [ECRShapes.ImageReplicationStatus] = []
        for rule in try configuration(scope, tx).rules where applies(rule, to: repository.name) {
            for destination in rule.destinations where seen.insert("\(destination.registryId)/\(destination.region)").inserted {
                statuses.append(ECRShapes.ImageReplicationStatus(
                    failureCode: notReplicated, region: destination.region, registryId: destination.registryId, status: "FAILED"))
            }
        }
        return ECRShapes.DescribeImageReplicationStatusResponse(
            imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag),
            replicationStatuses: statuses, repositoryName: repository.name)
    }

    /// The stored configuration; a registry that never set one answers `{"rules": []}`.
    static func configuration(_ scope: RegistryScope, _ tx: Transaction) throws -> ECRShapes.ReplicationConfiguration {
        RegistrySettings.decode(ECRShapes.ReplicationConfiguration.self, try RegistrySettings.get(RegistrySettings.replication, scope, tx))
            ?? ECRShapes.ReplicationConfiguration(rules: [])
    }

    /// A rule without filters replicates every repository; `PREFIX_MATCH` filters match name prefixes.
    static func applies(_ rule: ECRShapes.ReplicationRule, to name: String) -> Bool {
        guard let filters = rule.repositoryFilters, !filters.isEmpty else { return true }
        return filters.contains { name.hasPrefix($0.filter) }
    }
}
