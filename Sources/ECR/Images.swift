import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ServiceKit
import Storage

/// The image operations: PutImage, BatchGetImage, DescribeImages, ListImages, BatchDeleteImage.
enum Images {
    static func register(_ r: inout JSONService.Registrar) {
        // Two steps: the manifest is hashed and parsed before the write transaction, which then checks and stores it.
        r.register(ECROperation.PutImage.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:PutImage", input.repositoryName)]
        }, handler: put)
        r.register(ECROperation.BatchGetImage.self, .transaction(.write, target: RepositoryTarget.named, act: batchGet))
        r.register(ECROperation.DescribeImages.self, .transaction(.read, target: RepositoryTarget.named, act: describe))
        r.register(ECROperation.ListImages.self, .transaction(.read, target: RepositoryTarget.named, act: list))
        r.register(ECROperation.BatchDeleteImage.self, .transaction(.write, target: RepositoryTarget.named, act: batchDelete))
    }

    // MARK: - Operations

    @Sendable
    static func put(_ input: ECRShapes.PutImageRequest, _ context: OperationContext) async throws -> ECRShapes.PutImageResponse {
        let scope = RegistryScope(registryId: input.registryId, context)
        let pushed = ImageStore.Pushed(Array(input.imageManifest.utf8), declared: .parameter(input.imageManifestMediaType))
        return try context.store.transaction(.write) { tx in
            let repository = try Repositories.require(input.repositoryName, scope, tx)
            let (image, manifest) = try ImageStore.put(
                pushed, tag: input.imageTag, expectedDigest: input.imageDigest, repository: repository, now: context.now.secondsSince1970, tx)
            return ECRShapes.PutImageResponse(image: ECRShapes.Image(
                imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: input.imageTag),
                imageManifest: input.imageManifest, imageManifestMediaType: manifest.mediaType, registryId: scope.accountId,
                repositoryName: repository.name))
        }
    }

    /// A write: the pulls it answers move the images' last recorded pull time
    /// (bookkeeping no cache depends on).
    static func batchGet(
        _ input: ECRShapes.BatchGetImageRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.BatchGetImageResponse {
        let repository = try target.existing()
        let scope = target.scope
        var images: [ECRShapes.Image] = []
        var failures: [ECRShapes.ImageFailure] = []
        var pulled: [String] = []
        for id in input.imageIds {
            if let failure = try lookupFailure(id, repository, tx) {
                failures.append(failure)
                continue
            }
            guard let image = try ImageStore.resolve(digest: id.imageDigest, tag: id.imageTag, in: repository, tx) else { continue }
            if image.storageClass == "ARCHIVE" {
                failures.append(ECRShapes.ImageFailure(
                    failureCode: "ImageInaccessible", failureReason: "The image is archived and cannot be pulled", imageId: id))
                continue
            }
            images.append(ECRShapes.Image(
                imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag),
                imageManifest: String(decoding: image.manifest, as: UTF8.self), imageManifestMediaType: image.mediaType,
                registryId: scope.accountId, repositoryName: repository.name))
            pulled.append(image.digest)
        }
        if try !PullTimeUpdateExclusions.excludes(context.principal, in: scope, tx) {
            try ImageRecord.recordPulls(pulled, repositoryArn: repository.arn, at: context.now.secondsSince1970, in: tx)
        }
        return ECRShapes.BatchGetImageResponse(failures: failures, images: images)
    }

    static func describe(
        _ input: ECRShapes.DescribeImagesRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DescribeImagesResponse {
        let repository = try target.existing()
        let scope = target.scope
        let tagged: Bool? = switch input.filter?.tagStatus {
        case "TAGGED": true
        case "UNTAGGED": false
        default: nil
        }
        let wanted = input.filter?.imageStatus.flatMap { $0 == "ANY" ? nil : $0 }
        let page: TokenPage<ImageRecord>
        if let ids = input.imageIds, !ids.isEmpty {
            // As named, in the order named; then filtered like a listing.
            let named = try ids.map { try ImageStore.require($0, in: repository, scope, tx) }.filter { image in
                if let tagged, try ImageStore.tags(of: image.digest, in: repository, tx).isEmpty == tagged { return false }
                return wanted == nil || wanted == ImageStorageClasses.status(image)
            }
            page = try TokenPage(named, key: \.digest, nextToken: input.nextToken, maxResults: input.maxResults)
        } else {
            page = try TokenPage(nextToken: input.nextToken, maxResults: input.maxResults, fetch: { after, limit in
                let archived: Bool?
                switch wanted {
                case nil: archived = nil
                case "ARCHIVED": archived = true
                case "ACTIVE": archived = false
                // No image is ever in any other state (ACTIVATING): restoring is immediate.
                default: return []
                }
                return try ImageRecord.page(
                    repositoryArn: repository.arn, tagged: tagged, archived: archived, after: after, limit: limit, in: tx)
            }, key: \.digest)
        }
        let details = try page.items.map { image in
            let tags = try ImageStore.tags(of: image.digest, in: repository, tx)
            return ECRShapes.ImageDetail(
                artifactMediaType: image.artifactMediaType, imageDigest: image.digest, imageManifestMediaType: image.mediaType,
                imagePushedAt: Timestamp(secondsSince1970: image.pushedAt),
                imageScanStatus: try ImageScans.status(of: image.digest, in: repository, tx), imageSizeInBytes: image.size,
                imageStatus: ImageStorageClasses.status(image), imageTags: tags.isEmpty ? nil : tags,
                lastActivatedAt: image.activatedAt.map { Timestamp(secondsSince1970: $0) },
                lastArchivedAt: image.archivedAt.map { Timestamp(secondsSince1970: $0) },
                lastRecordedPullTime: image.lastPulledAt.map { Timestamp(secondsSince1970: $0) }, registryId: scope.accountId,
                repositoryName: repository.name, subjectManifestDigest: image.subjectDigest)
        }
        return ECRShapes.DescribeImagesResponse(imageDetails: details, nextToken: page.nextToken)
    }

    static func list(
        _ input: ECRShapes.ListImagesRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.ListImagesResponse {
        let repository = try target.existing()
        let tagged: Bool? = switch input.filter?.tagStatus {
        case "TAGGED": true
        case "UNTAGGED": false
        default: nil
        }
        // The token names the last row as "DIGEST/TAG" ("DIGEST/" for an untagged image): digests hold no "/".
        let page = try TokenPage<ImageRecord.Listed>(nextToken: input.nextToken, maxResults: input.maxResults, fetch: { after, limit in
            let position = after.map { key in
                let (digest, tag) = key.firstIndex(of: "/").map { (key[..<$0], key[key.index(after: $0)...]) } ?? (key[...], "")
                return ImageRecord.Listed(digest: String(digest), tag: tag.isEmpty ? nil : String(tag))
            }
            return try ImageRecord.listing(repositoryArn: repository.arn, tagged: tagged, after: position, limit: limit, in: tx)
        }, key: { $0.digest + "/" + ($0.tag ?? "") })
        return ECRShapes.ListImagesResponse(
            imageIds: page.items.map { ECRShapes.ImageIdentifier(imageDigest: $0.digest, imageTag: $0.tag) }, nextToken: page.nextToken)
    }

    static func batchDelete(
        _ input: ECRShapes.BatchDeleteImageRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.BatchDeleteImageResponse {
        let repository = try target.existing()
        var deleted: [ECRShapes.ImageIdentifier] = []
        var failures: [ECRShapes.ImageFailure] = []
        for id in input.imageIds {
            if let failure = try lookupFailure(id, repository, tx) {
                failures.append(failure)
                continue
            }
            if let tag = id.imageTag {
                if let digest = try ImageStore.untag(tag, in: repository, tx) {
                    deleted.append(ECRShapes.ImageIdentifier(imageDigest: digest, imageTag: tag))
                }
                continue
            }
            guard let digest = id.imageDigest else { continue }
            if let blocker = try ImageStore.deletionBlocker(digest, in: repository, tx) {
                failures.append(blocker)
                continue
            }
            let tags = try ImageStore.tags(of: digest, in: repository, tx)
            try ImageStore.deleteImage(digest, in: repository, tx)
            deleted += tags.isEmpty
                ? [ECRShapes.ImageIdentifier(imageDigest: digest)]
                : tags.map { ECRShapes.ImageIdentifier(imageDigest: digest, imageTag: $0) }
        }
        return ECRShapes.BatchDeleteImageResponse(failures: failures, imageIds: deleted)
    }

    /// The per-image failure BatchGetImage and BatchDeleteImage report, or nil
    /// when the identifier names an image of the repository.
    static func lookupFailure(_ id: ECRShapes.ImageIdentifier, _ repository: RepositoryRecord, _ tx: Transaction) throws
        -> ECRShapes.ImageFailure?
    {
        guard id.imageDigest != nil || id.imageTag != nil else {
            return ECRShapes.ImageFailure(
                failureCode: "MissingDigestAndTag", failureReason: "Invalid request parameters: image digest and tag cannot both be null",
                imageId: id)
        }
        if let digest = id.imageDigest, !BlobStore.isValidDigest(digest) {
            return ECRShapes.ImageFailure(failureCode: "InvalidImageDigest", failureReason: "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'", imageId: id)
        }
        if let digest = id.imageDigest, let tag = id.imageTag,
            let tagged = try ImageTagRecord.find(repositoryArn: repository.arn, tag: tag, in: tx), tagged.digest != digest
        {
            return ECRShapes.ImageFailure(
                failureCode: "ImageTagDoesNotMatchDigest", failureReason: "Invalid request parameters: image tag does not match digest",
                imageId: id)
        }
        if try ImageStore.resolve(digest: id.imageDigest, tag: id.imageTag, in: repository, tx) == nil {
            return ECRShapes.ImageFailure(failureCode: "ImageNotFound", failureReason: "Requested image not found", imageId: id)
        }
        return nil
    }
}

/// Pull times (DescribeImages' `lastRecordedPullTime`): bookkeeping no cache
/// depends on, so it is written without invalidating them.
public enum PullRecorder {
    public static func record(_ digests: [String], in repositoryArn: String, at time: Double, _ store: Store) async throws {
        guard !digests.isEmpty else { return }
        try store.transaction(.write) { tx in try ImageRecord.recordPulls(digests, repositoryArn: repositoryArn, at: time, in: tx) }
    }
}
