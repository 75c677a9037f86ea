import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PolicyEngine
import ServiceKit
import Storage

/// The registry's replication configuration, DescribeRegistry, and replication
/// itself: each image pushed to a repository a rule matches (through PutImage
/// or the registry) is copied, with the tag it was pushed with, to every
/// destination registry of the rule on this same server — its manifest, the
/// layers it names and the images an index names — in the push's own
/// transaction, so its status is final (COMPLETE or FAILED, never IN_PROGRESS)
/// once the push has answered. As ECR does ("Private image replication in
/// Amazon ECR"): only images pushed after the rule exists; a replicated image is
/// not replicated again; a missing destination repository is created (with a
/// repository creation template for REPLICATION, if one matches); another
/// account's registry takes the image only if its registry policy allows the
/// source account `ecr:ReplicateImage` (and `ecr:CreateRepository` when the
/// repository must be created), whatever its policy scope.
enum Replication {
    /// Destinations one configuration may name, across its rules (ECR quota).
    static let destinationLimit = 25

    /// Why a replication failed. ECR's failure codes are not documented or
    /// recorded anywhere we found (the model types `failureCode` as a bare
    /// string): these name the documented failure causes (research §16).
    enum Failure: String {
        /// The destination registry's policy does not allow the source account ecr:ReplicateImage.
        case accessDenied = "REPLICATION_ACCESS_DENIED"
        /// No such repository there, and its registry policy does not allow ecr:CreateRepository.
        case repositoryNotFound = "REPOSITORY_NOT_FOUND"
        /// The destination repository's tag is immutable and names another image.
        case tagImmutable = "IMAGE_TAG_ALREADY_EXISTS"
    }

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
        let id = input.imageId
        let image = try ImageStore.require(id, in: repository, target.scope, tx)
        let statuses = try ImageReplicationRecord.all(repositoryArn: repository.arn, digest: image.digest, in: tx).map {
            ECRShapes.ImageReplicationStatus(failureCode: $0.failureCode, region: $0.region, registryId: $0.registryId, status: $0.status)
        }
        return ECRShapes.DescribeImageReplicationStatusResponse(
            imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag),
            replicationStatuses: statuses, repositoryName: repository.name)
    }

    // MARK: - Replicating

    /// Replicates a push — `image`, with `tag` if it was pushed with one — to
    /// every destination the source registry's rules name for its repository,
    /// and records how each ended.
    static func replicate(_ image: ImageRecord, tag: String?, from repository: RepositoryRecord, now: Double, _ tx: Transaction) throws {
        let source = RegistryScope(accountId: repository.accountId, region: repository.region)
        var seen = Set<String>()
        for rule in try configuration(source, tx).rules where applies(rule, to: repository.name) {
            for destination in rule.destinations where seen.insert("\(destination.registryId)/\(destination.region)").inserted {
                let target = RegistryScope(accountId: destination.registryId, region: destination.region)
                let failure = try copy(image, tag: tag, from: repository, to: target, now: now, tx)
                try ImageReplicationRecord(
                    repositoryArn: repository.arn, digest: image.digest, registryId: destination.registryId, region: destination.region,
                    status: failure == nil ? "COMPLETE" : "FAILED", failureCode: failure?.rawValue
                ).save(in: tx)
            }
        }
    }

    /// Copies the image into the same-named repository of `target`; nil when done, or why not (then nothing there changed).
    static func copy(
        _ image: ImageRecord, tag: String?, from repository: RepositoryRecord, to target: RegistryScope, now: Double, _ tx: Transaction
    ) throws -> Failure? {
        let crossAccount = target.accountId != repository.accountId
        let arn = target.repositoryArn(repository.name)
        if crossAccount, try !registryPolicyAllows("ecr:ReplicateImage", from: repository.accountId, on: arn, target, tx) {
            return .accessDenied
        }
        var destination = try tx.fetch(RepositoryRecord.self, key: arn)
        if destination == nil {
            if crossAccount, try !registryPolicyAllows("ecr:CreateRepository", from: repository.accountId, on: arn, target, tx) {
                return .repositoryNotFound
            }
            destination = try CreationTemplates.createRepository(repository.name, for: "REPLICATION", in: target, now: now, tx)
        }
        guard let destination else { return .repositoryNotFound }
        if let tag, let current = try ImageTagRecord.find(repositoryArn: destination.arn, tag: tag, in: tx), current.digest != image.digest,
            MutabilityFilters.tagIsImmutable(tag, destination)
        {
            return .tagImmutable
        }
        try copyImage(image, from: repository, into: destination, now: now, tx)
        if let tag { try ImageTagRecord(repositoryArn: destination.arn, tag: tag, digest: image.digest).save(in: tx) }
        return nil
    }

    /// The image's manifest, the blobs it names and the images an index names, into `destination` (what it lacks of them).
    private static func copyImage(_ image: ImageRecord, from repository: RepositoryRecord, into destination: RepositoryRecord, now: Double, _ tx: Transaction) throws {
        guard try ImageRecord.find(repositoryArn: destination.arn, digest: image.digest, in: tx) == nil else { return }
        let stored = ImageRecord.StoredManifest(manifest: image.manifest, mediaType: image.mediaType, storageClass: image.storageClass)
        for digest in Manifest.blobs(of: stored) {
            guard let held = try Blobs.held(digest, in: repository, tx) else { continue }  // a foreign layer
            try Blobs.record(digest, size: held.size, in: destination, mediaType: held.mediaType, at: now, tx)
        }
        let children = try ImageRecord.children(of: image.digest, repositoryArn: repository.arn, in: tx)
        for child in children {
            if let record = try ImageRecord.find(repositoryArn: repository.arn, digest: child, in: tx) {
                try copyImage(record, from: repository, into: destination, now: now, tx)
            }
        }
        var copied = image
        copied.repositoryArn = destination.arn
        copied.pushedAt = now
        copied.lastPulledAt = nil
        copied.storageClass = "STANDARD"
        copied.archivedAt = nil
        copied.activatedAt = nil
        try tx.insert(copied)
        for child in children {
            try ImageRecord.addReference(repositoryArn: destination.arn, parent: image.digest, child: child, in: tx)
        }
    }

    /// Whether `target`'s registry policy allows `source`'s account `action` on `resource`.
    static func registryPolicyAllows(
        _ action: String, from source: String, on resource: String, _ target: RegistryScope, _ tx: Transaction
    ) throws -> Bool {
        guard let text = try RegistrySettings.get(RegistrySettings.policy, target, tx),
            let document = try? PolicyDocument.parse(text, kind: .resource)
        else { return false }
        let principal = EvaluationPrincipal.root(accountID: source)
        let request = AuthorizationRequest(
            principal: principal, action: action, resource: resource, resourceAccountID: target.accountId,
            context: principal.globalContextKeys)
        let policies = PolicySet(
            resourcePolicy: AttachedPolicy(id: resource, source: .resource, document: document), resourceOwnerAccountID: target.accountId)
        return PolicyEvaluator.evaluate(request, policies: policies).outcome == .allowed
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
