import AWSShapes
import Foundation
import GRDB
import JSON
import ServiceKit
import Storage

/// Repositories: create, describe, delete, settings and tags.
enum Repositories {
    static let tagLimit = 50

    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.CreateRepository.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access(
                "ecr:CreateRepository", input.repositoryName, keys: requestTagKeys(input.tags))]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                if try find(input.repositoryName, scope, db) != nil {
                    throw ECRError.repositoryExists(input.repositoryName, scope.accountId)
                }
                try validate(input.tags)
                let encryption = input.encryptionConfiguration ?? ECRShapes.EncryptionConfiguration(encryptionType: "AES256")
                let mutability = input.imageTagMutability ?? "MUTABLE"
                let filters = input.imageTagMutabilityExclusionFilters ?? []
                if mutability.hasSuffix("_WITH_EXCLUSION") && filters.isEmpty {
                    throw ECRError.invalidParameter(
                        "imageTagMutabilityExclusionFilters", "must be provided when imageTagMutability is \(mutability)")
                }
                let record = RepositoryRecord(
                    arn: scope.repositoryArn(input.repositoryName), accountId: scope.accountId, region: scope.region,
                    name: input.repositoryName, createdAt: context.now.secondsSince1970, imageTagMutability: mutability,
                    mutabilityExclusionFilters: MutabilityFilters.json(filters),
                    scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
                    encryptionType: encryption.encryptionType,
                    kmsKey: encryption.encryptionType.hasPrefix("KMS")
                        ? (encryption.kmsKey ?? "arn:aws:kms:\(scope.region):\(scope.accountId):alias/aws/ecr") : nil)
                try record.insert(db)
                for tag in input.tags ?? [] {
                    try TagRecord(resourceId: record.arn, key: tag.key, value: tag.value).insert(db)
                }
                return ECRShapes.CreateRepositoryResponse(repository: shape(record, scope))
            }
        }

        r.register(ECROperation.DescribeRepositories.self, access: .check { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            guard let names = input.repositoryNames, !names.isEmpty else {
                return [scope.access("ecr:DescribeRepositories", "*")]
            }
            return names.map { scope.access("ecr:DescribeRepositories", $0) }
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                var repositories: [RepositoryRecord]
                if let names = input.repositoryNames, !names.isEmpty {
                    repositories = try names.map { name in
                        guard let found = try find(name, scope, db) else { throw ECRError.repositoryNotFound(name, scope.accountId) }
                        return found
                    }
                } else {
                    repositories = try RepositoryRecord.fetchAll(
                        db, cached: "SELECT * FROM repository WHERE accountId = ? AND region = ? ORDER BY name",
                        arguments: [scope.accountId, scope.region])
                }
                repositories.sort { $0.name < $1.name }
                let page = try TokenPage(repositories, key: \.name, nextToken: input.nextToken, maxResults: input.maxResults)
                return ECRShapes.DescribeRepositoriesResponse(
                    nextToken: page.nextToken, repositories: page.items.map { shape($0, scope) })
            }
        }

        r.register(ECROperation.DeleteRepository.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:DeleteRepository", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                let repository = try require(input.repositoryName, scope, db)
                let images = try Int.fetchOne(db, cached: "SELECT count(*) FROM image WHERE repositoryArn = ?", arguments: [repository.arn]) ?? 0
                if images > 0 && !(input.force ?? false) {
                    throw ECRError.repositoryNotEmpty(repository.name, scope.accountId)
                }
                try db.execute(cached: "DELETE FROM tag WHERE resourceId = ?", arguments: [repository.arn])
                _ = try repository.delete(db)
                return ECRShapes.DeleteRepositoryResponse(repository: shape(repository, scope))
            }
        }

        r.register(ECROperation.PutImageTagMutability.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:PutImageTagMutability", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                var repository = try require(input.repositoryName, scope, db)
                let filters = input.imageTagMutabilityExclusionFilters ?? []
                repository.imageTagMutability = input.imageTagMutability
                repository.mutabilityExclusionFilters = MutabilityFilters.json(filters)
                try repository.update(db)
                return ECRShapes.PutImageTagMutabilityResponse(
                    imageTagMutability: repository.imageTagMutability,
                    imageTagMutabilityExclusionFilters: filters.isEmpty ? nil : filters, registryId: scope.accountId,
                    repositoryName: repository.name)
            }
        }

        r.register(ECROperation.PutImageScanningConfiguration.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:PutImageScanningConfiguration", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                var repository = try require(input.repositoryName, scope, db)
                repository.scanOnPush = input.imageScanningConfiguration.scanOnPush ?? false
                try repository.update(db)
                return ECRShapes.PutImageScanningConfigurationResponse(
                    imageScanningConfiguration: ECRShapes.ImageScanningConfiguration(scanOnPush: repository.scanOnPush),
                    registryId: scope.accountId, repositoryName: repository.name)
            }
        }

        r.register(ECROperation.TagResource.self, access: .check { input, _ in
            [AccessRequest(action: "ecr:TagResource", resource: input.resourceArn, keys: requestTagKeys(input.tags))]
        }) { input, context in
            try await context.store.write { db in
                let repository = try byArn(input.resourceArn, db)
                try validate(input.tags)
                var tags = try TagRecord.all(db, of: repository.arn)
                for tag in input.tags {
                    tags.removeAll { $0.key == tag.key }
                    tags.append(TagRecord(resourceId: repository.arn, key: tag.key, value: tag.value))
                }
                if tags.count > tagLimit { throw ECRError.tooManyTags }
                try db.execute(cached: "DELETE FROM tag WHERE resourceId = ?", arguments: [repository.arn])
                for tag in tags { try tag.insert(db) }
                return ECRShapes.TagResourceResponse()
            }
        }

        r.register(ECROperation.UntagResource.self, access: .check { input, _ in
            [AccessRequest(action: "ecr:UntagResource", resource: input.resourceArn, keys: ["aws:TagKeys": input.tagKeys])]
        }) { input, context in
            try await context.store.write { db in
                let repository = try byArn(input.resourceArn, db)
                for key in input.tagKeys {
                    try db.execute(cached: "DELETE FROM tag WHERE resourceId = ? AND key = ?", arguments: [repository.arn, key])
                }
                return ECRShapes.UntagResourceResponse()
            }
        }

        r.register(ECROperation.ListTagsForResource.self, access: .check { input, _ in
            [AccessRequest(action: "ecr:ListTagsForResource", resource: input.resourceArn)]
        }) { input, context in
            try await context.store.read { db in
                let repository = try byArn(input.resourceArn, db)
                return ECRShapes.ListTagsForResourceResponse(
                    tags: try TagRecord.all(db, of: repository.arn).map { ECRShapes.Tag(key: $0.key, value: $0.value) })
            }
        }
    }

    // MARK: - Lookup

    static func find(_ name: String, _ scope: RegistryScope, _ db: Database) throws -> RepositoryRecord? {
        try RepositoryRecord.fetchOne(db, key: scope.repositoryArn(name))
    }

    static func require(_ name: String, _ scope: RegistryScope, _ db: Database) throws -> RepositoryRecord {
        guard let repository = try find(name, scope, db) else { throw ECRError.repositoryNotFound(name, scope.accountId) }
        return repository
    }

    /// A repository named by its ARN (the tagging operations).
    static func byArn(_ arn: String, _ db: Database) throws -> RepositoryRecord {
        guard let parts = ARNParts(arn), parts.service == "ecr", parts.resource.hasPrefix("repository/") else {
            throw ECRError.invalidParameter("resourceArn", "Invalid ARN")
        }
        guard let repository = try RepositoryRecord.fetchOne(db, key: arn) else {
            throw ECRError.repositoryNotFound(String(parts.resource.dropFirst("repository/".count)), parts.account)
        }
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

/// ECR's `nextToken` / `maxResults` paging: the token names the last key returned.
struct TokenPage<Item: Sendable>: Sendable {
    var items: [Item]
    var nextToken: String?

    init(_ all: [Item], key: (Item) -> String, nextToken: String?, maxResults: Int?, defaultMax: Int = 100) throws {
        var start = 0
        if let nextToken {
            guard let bytes = Base64.decode(nextToken), let after = String(validating: bytes, as: UTF8.self) else {
                throw ECRError.invalidParameter("nextToken", "Invalid NextToken")
            }
            start = all.firstIndex { key($0) > after } ?? all.count
        }
        let end = min(all.count, start + (maxResults ?? defaultMax))
        items = Array(all[start..<end])
        self.nextToken = end < all.count ? items.last.map { Base64.encode(Array(key($0).utf8)) } : nil
    }
}
