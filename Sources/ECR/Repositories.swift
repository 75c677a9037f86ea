import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import ServiceKit
import Storage

/// Repositories: create, describe, delete, settings and tags.
enum Repositories {
    static let tagLimit = 50

    static func register(_ r: inout JSONService.Registrar) {
        r.register(
            ECROperation.CreateRepository.self,
            .transaction(.write, target: RepositoryTarget.named, keys: { requestTagKeys($0.tags) }, act: create))
        r.register(
            ECROperation.DescribeRepositories.self,
            .transaction(.read, target: described, access: { _, target, _, action in target.requests(action) }, act: describe))
        r.register(ECROperation.DeleteRepository.self, .transaction(.write, target: RepositoryTarget.named, act: delete))
        r.register(ECROperation.PutImageTagMutability.self, .transaction(.write, target: RepositoryTarget.named, act: putTagMutability))
        r.register(
            ECROperation.PutImageScanningConfiguration.self, .transaction(.write, target: RepositoryTarget.named, act: putScanningConfiguration))
        r.register(
            ECROperation.TagResource.self,
            .transaction(.write, target: { input, _, tx in try TaggedRepository(input.resourceArn, tx) }, keys: { requestTagKeys($0.tags) }, act: tag))
        r.register(
            ECROperation.UntagResource.self,
            .transaction(
                .write, target: { input, _, tx in try TaggedRepository(input.resourceArn, tx) }, keys: { ["aws:TagKeys": $0.tagKeys] },
                act: untag))
        r.register(
            ECROperation.ListTagsForResource.self,
            .transaction(.read, target: { input, _, tx in try TaggedRepository(input.resourceArn, tx) }, act: listTags))
    }

    // MARK: - Operations

    static func create(
        _ input: ECRShapes.CreateRepositoryRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.CreateRepositoryResponse {
        let scope = target.scope
        if target.repository != nil { throw ECRError.repositoryExists(input.repositoryName, scope.accountId) }
        try validate(input.tags)
        let encryption = input.encryptionConfiguration ?? ECRShapes.EncryptionConfiguration(encryptionType: "AES256")
        let mutability = input.imageTagMutability ?? "MUTABLE"
        let filters = input.imageTagMutabilityExclusionFilters ?? []
        if mutability.hasSuffix("_WITH_EXCLUSION") && filters.isEmpty {
            throw ECRError.invalidParameter("imageTagMutabilityExclusionFilters", "must be provided when imageTagMutability is \(mutability)")
        }
        let record = RepositoryRecord(
            arn: scope.repositoryArn(input.repositoryName), accountId: scope.accountId, region: scope.region,
            name: input.repositoryName, createdAt: context.now.secondsSince1970, imageTagMutability: mutability,
            mutabilityExclusionFilters: MutabilityFilters.json(filters),
            scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
            encryptionType: encryption.encryptionType,
            kmsKey: encryption.encryptionType.hasPrefix("KMS")
                ? (encryption.kmsKey ?? scope.awsManagedKeyArn) : nil)
        try tx.insert(record)
        for tag in input.tags ?? [] {
            try tx.insert(TagRecord(resourceId: record.arn, key: tag.key, value: tag.value))
        }
        return ECRShapes.CreateRepositoryResponse(repository: shape(record, scope))
    }

    /// The repositories DescribeRepositories names, or every repository of the registry.
    static func described(
        _ input: ECRShapes.DescribeRepositoriesRequest, _ context: OperationContext, _ tx: Transaction
    ) throws -> RepositoryTargets {
        let scope = RegistryScope(registryId: input.registryId, context)
        guard let names = input.repositoryNames, !names.isEmpty else {
            return RepositoryTargets(each: [RepositoryTarget(everyRepositoryIn: scope)])
        }
        return RepositoryTargets(each: try names.map { try RepositoryTarget($0, scope, tx) })
    }

    static func describe(
        _ input: ECRShapes.DescribeRepositoriesRequest, _ target: RepositoryTargets, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DescribeRepositoriesResponse {
        let scope = RegistryScope(registryId: input.registryId, context)
        let page: TokenPage<RepositoryRecord>
        if let names = input.repositoryNames, !names.isEmpty {
            let named = try target.each.map { try $0.existing() }.sorted { $0.name < $1.name }
            page = try TokenPage(named, key: \.name, nextToken: input.nextToken, maxResults: input.maxResults)
        } else {
            page = try TokenPage(nextToken: input.nextToken, maxResults: input.maxResults, fetch: { after, limit in
                try RepositoryRecord.page(account: scope.accountId, region: scope.region, after: after, limit: limit, in: tx)
            }, key: \.name)
        }
        return ECRShapes.DescribeRepositoriesResponse(nextToken: page.nextToken, repositories: page.items.map { shape($0, scope) })
    }

    static func delete(
        _ input: ECRShapes.DeleteRepositoryRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DeleteRepositoryResponse {
        let repository = try target.existing()
        if try RepositoryRecord.holdsImages(repository.arn, in: tx) && !(input.force ?? false) {
            throw ECRError.repositoryNotEmpty(repository.name, target.scope.accountId)
        }
        // Its images, layers, uploads and preview go with it (foreign keys); its tags are keyed by ARN.
        try TagRecord.removeAll(of: repository.arn, in: tx)
        try tx.delete(repository)
        return ECRShapes.DeleteRepositoryResponse(repository: shape(repository, target.scope))
    }

    static func putTagMutability(
        _ input: ECRShapes.PutImageTagMutabilityRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.PutImageTagMutabilityResponse {
        var repository = try target.existing()
        let filters = input.imageTagMutabilityExclusionFilters ?? []
        repository.imageTagMutability = input.imageTagMutability
        repository.mutabilityExclusionFilters = MutabilityFilters.json(filters)
        try tx.update(repository)
        return ECRShapes.PutImageTagMutabilityResponse(
            imageTagMutability: repository.imageTagMutability, imageTagMutabilityExclusionFilters: filters.isEmpty ? nil : filters,
            registryId: target.scope.accountId, repositoryName: repository.name)
    }

    static func putScanningConfiguration(
        _ input: ECRShapes.PutImageScanningConfigurationRequest, _ target: RepositoryTarget, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> ECRShapes.PutImageScanningConfigurationResponse {
        var repository = try target.existing()
        repository.scanOnPush = input.imageScanningConfiguration.scanOnPush ?? false
        try tx.update(repository)
        return ECRShapes.PutImageScanningConfigurationResponse(
            imageScanningConfiguration: ECRShapes.ImageScanningConfiguration(scanOnPush: repository.scanOnPush),
            registryId: target.scope.accountId, repositoryName: repository.name)
    }

    static func tag(
        _ input: ECRShapes.TagResourceRequest, _ target: TaggedRepository, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.TagResourceResponse {
        let repository = try target.existing()
        try validate(input.tags)
        var tags = target.tags
        for tag in input.tags {
            tags.removeAll { $0.key == tag.key }
            tags.append(TagRecord(resourceId: repository.arn, key: tag.key, value: tag.value))
        }
        if tags.count > tagLimit { throw ECRError.tooManyTags }
        try TagRecord.replace(of: repository.arn, with: tags, in: tx)
        return ECRShapes.TagResourceResponse()
    }

    static func untag(
        _ input: ECRShapes.UntagResourceRequest, _ target: TaggedRepository, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.UntagResourceResponse {
        let repository = try target.existing()
        try TagRecord.remove(of: repository.arn, keys: input.tagKeys, caseSensitive: true, in: tx)
        return ECRShapes.UntagResourceResponse()
    }

    static func listTags(
        _ input: ECRShapes.ListTagsForResourceRequest, _ target: TaggedRepository, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.ListTagsForResourceResponse {
        _ = try target.existing()
        return ECRShapes.ListTagsForResourceResponse(tags: target.tags.map { ECRShapes.Tag(key: $0.key, value: $0.value) })
    }

    // MARK: - Lookup and shapes

    static func find(_ name: String, _ scope: RegistryScope, _ tx: Transaction) throws -> RepositoryRecord? {
        try tx.fetch(RepositoryRecord.self, key: scope.repositoryArn(name))
    }

    static func require(_ name: String, _ scope: RegistryScope, _ tx: Transaction) throws -> RepositoryRecord {
        guard let repository = try find(name, scope, tx) else { throw ECRError.repositoryNotFound(name, scope.accountId) }
        return repository
    }

    static func shape(_ record: RepositoryRecord, _ scope: RegistryScope) -> ECRShapes.Repository {
        let filters = MutabilityFilters.parse(record.mutabilityExclusionFilters)
        return ECRShapes.Repository(
            createdAt: Timestamp(secondsSince1970: record.createdAt),
            encryptionConfiguration: ECRShapes.EncryptionConfiguration(encryptionType: record.encryptionType, kmsKey: record.kmsKey),
            imageScanningConfiguration: ECRShapes.ImageScanningConfiguration(scanOnPush: record.scanOnPush),
            imageTagMutability: record.imageTagMutability, imageTagMutabilityExclusionFilters: filters.isEmpty ? nil : filters,
            registryId: record.accountId, repositoryArn: record.arn, repositoryName: record.name,
            repositoryUri: scope.repositoryUri(record.name))
    }

    /// Every request that sets repository tags (CreateRepository, TagResource, creation templates' resource
    /// tags) comes through here, before it writes: no empty key, no key AWS reserves (`aws:` in any case,
    /// ReservedTagKey), at most 50. UntagResource is not checked (INFERRED, as IAM).
    static func validate(_ tags: [ECRShapes.Tag]?) throws {
        guard let tags else { return }
        if tags.contains(where: { $0.key.isEmpty || ReservedTagKey.isReserved($0.key) }) { throw ECRError.invalidTags }
        if tags.count > tagLimit { throw ECRError.tooManyTags }
    }

    static func requestTagKeys(_ tags: [ECRShapes.Tag]?) -> [String: [String]] {
        guard let tags, !tags.isEmpty else { return [:] }
        var keys: [String: [String]] = ["aws:TagKeys": tags.map(\.key)]
        for tag in tags { keys["aws:RequestTag/\(tag.key)"] = [tag.value] }
        return keys
    }
}

/// The repository the tagging operations name by ARN (`resourceArn`),
/// loaded with its tags in their transaction. Authorized on that ARN as
/// given: an ECR ARN with the facts `ECRResources` would give, any other
/// with the facts its own service's provider gives.
struct TaggedRepository: OperationTarget {
    let arn: String
    let repository: RepositoryRecord?
    let tags: [TagRecord]
    private let parts: ARNParts?
    private let registryPolicy: String?

    init(_ arn: String, _ tx: Transaction) throws {
        self.arn = arn
        parts = ARNParts(arn)
        repository = parts?.service == "ecr" ? try tx.fetch(RepositoryRecord.self, key: arn) : nil
        tags = try repository.map { try TagRecord.all(of: $0.arn, in: tx) } ?? []
        registryPolicy = try repository.flatMap { try ECRResources.registryPolicy(account: $0.accountId, region: $0.region, tx) }
    }

    var resource: String { arn }
    var facts: ResourceFacts {
        guard let parts else { return .loaded(nil) }
        guard parts.service == "ecr" else { return .lookUp }
        return .loaded(repository.flatMap {
            ECRResources.information($0, tags: tags, registryPolicy: registryPolicy, account: $0.accountId, region: $0.region)
        })
    }

    /// The repository, or why the ARN names none: not a repository ARN, or no such repository.
    func existing() throws -> RepositoryRecord {
        guard let parts, parts.service == "ecr", parts.resource.hasPrefix("repository/") else {
            throw ECRError.invalidParameter("resourceArn", "Invalid ARN")
        }
        guard let repository else {
            throw ECRError.repositoryNotFound(String(parts.resource.dropFirst("repository/".count)), parts.account)
        }
        return repository
    }
}

/// Tag-mutability exclusion filters (`IMMUTABLE_WITH_EXCLUSION` and
/// `MUTABLE_WITH_EXCLUSION`): wildcard patterns on tags, stored as JSON.
enum MutabilityFilters {
    static func json(_ filters: [ECRShapes.ImageTagMutabilityExclusionFilter]) -> String {
        var w = JSONWriter()
        w.arrayStart()
        for filter in filters {
            w.objectStart()
            w.key("filterType")
            w.value(filter.filterType)
            w.key("filter")
            w.value(filter.filter)
            w.objectEnd()
        }
        w.arrayEnd()
        return w.string
    }

    static func parse(_ text: String) -> [ECRShapes.ImageTagMutabilityExclusionFilter] {
        ((try? JSONParser.parse(text))?.arrayValue ?? []).compactMap {
            guard let type = $0["filterType"]?.stringValue, let filter = $0["filter"]?.stringValue else { return nil }
            return ECRShapes.ImageTagMutabilityExclusionFilter(filter: filter, filterType: type)
        }
    }

    /// Whether a tag may move to another image in this repository.
    static func tagIsImmutable(_ tag: String, _ repository: RepositoryRecord) -> Bool {
        let filters = parse(repository.mutabilityExclusionFilters).map(\.filter)
        let excluded = filters.contains { Wildcard.matches($0, tag) }
        switch repository.imageTagMutability {
        case "IMMUTABLE": return true
        case "IMMUTABLE_WITH_EXCLUSION": return !excluded
        case "MUTABLE_WITH_EXCLUSION": return excluded
        default: return false
        }
    }
}

/// `*` matches any run of characters (ECR's tag filters and lifecycle tag patterns).
enum Wildcard {
    static func matches(_ pattern: String, _ value: String) -> Bool {
        let p = Array(pattern), v = Array(value)
        var pi = 0, vi = 0, star = -1, mark = 0
        while vi < v.count {
            if pi < p.count && p[pi] == v[vi] {
                pi += 1
                vi += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi
                mark = vi
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                vi = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
