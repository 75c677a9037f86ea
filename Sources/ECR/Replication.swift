import AWSShapes
import GRDB
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
        r.register(ECROperation.DescribeRegistry.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:DescribeRegistry", resource: "*")]
        }) { _, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.read { db in
                ECRShapes.DescribeRegistryResponse(registryId: scope.accountId, replicationConfiguration: try configuration(scope, db))
            }
        }

        r.register(ECROperation.PutReplicationConfiguration.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:PutReplicationConfiguration", resource: "*")]
        }) { input, context in
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
            return try await context.store.write { db in
                try RegistrySettings.put(RegistrySettings.replication, RegistrySettings.encode(configuration), scope, db)
                return ECRShapes.PutReplicationConfigurationResponse(replicationConfiguration: configuration)
            }
        }

        r.register(ECROperation.DescribeImageReplicationStatus.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:DescribeImageReplicationStatus", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                let id = input.imageId
                let image = try ImageStore.require(id, in: repository, scope, db)
                var seen = Set<String>()
                var statuses: [ECRShapes.ImageReplicationStatus] = []
                for rule in try configuration(scope, db).rules where applies(rule, to: repository.name) {
                    for destination in rule.destinations where seen.insert("\(destination.registryId)/\(destination.region)").inserted {
                        statuses.append(ECRShapes.ImageReplicationStatus(
                            failureCode: notReplicated, region: destination.region, registryId: destination.registryId, status: "FAILED"))
                    }
                }
                return ECRShapes.DescribeImageReplicationStatusResponse(
                    imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag),
                    replicationStatuses: statuses, repositoryName: repository.name)
            }
        }
    }

    /// The stored configuration; a registry that never set one answers `{"rules": []}`.
    static func configuration(_ scope: RegistryScope, _ db: Database) throws -> ECRShapes.ReplicationConfiguration {
        RegistrySettings.decode(ECRShapes.ReplicationConfiguration.self, try RegistrySettings.get(RegistrySettings.replication, scope, db))
            ?? ECRShapes.ReplicationConfiguration(rules: [])
    }

    /// A rule without filters replicates every repository; `PREFIX_MATCH` filters match name prefixes.
    static func applies(_ rule: ECRShapes.ReplicationRule, to name: String) -> Bool {
        guard let filters = rule.repositoryFilters, !filters.isEmpty else { return true }
        return filters.contains { name.hasPrefix($0.filter) }
    }
}
