import AWSShapes
import Foundation
import GRDB
import ServiceKit
import Storage

/// The image operations: PutImage, BatchGetImage, DescribeImages, ListImages, BatchDeleteImage.
enum Images {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.PutImage.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:PutImage", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                let (image, manifest) = try ImageStore.put(
                    manifest: Array(input.imageManifest.utf8), declaredMediaType: input.imageManifestMediaType, tag: input.imageTag,
                    expectedDigest: input.imageDigest, repository: repository, now: context.now.secondsSince1970, db)
                return ECRShapes.PutImageResponse(image: ECRShapes.Image(
                    imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: input.imageTag),
                    imageManifest: input.imageManifest, imageManifestMediaType: manifest.mediaType, registryId: scope.accountId,
                    repositoryName: repository.name))
            }
        }

        r.register(ECROperation.BatchGetImage.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:BatchGetImage", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            let (response, pulled) = try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                var images: [ECRShapes.Image] = []
                var failures: [ECRShapes.ImageFailure] = []
                var pulled: [String] = []
                for id in input.imageIds {
                    if let failure = try lookupFailure(id, repository, db) {
                        failures.append(failure)
                        continue
                    }
                    guard let image = try ImageStore.resolve(digest: id.imageDigest, tag: id.imageTag, in: repository, db) else { continue }
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
                if try PullTimeUpdateExclusions.excludes(context.principal, in: scope, db) { pulled = [] }
                return (ECRShapes.BatchGetImageResponse(failures: failures, images: images), (repository.arn, pulled))
            }
            try await PullRecorder.record(pulled.1, in: pulled.0, at: context.now.secondsSince1970, context.store)
            return response
        }

        r.register(ECROperation.DescribeImages.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:DescribeImages", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                var images: [ImageRecord]
                if let ids = input.imageIds, !ids.isEmpty {
                    images = try ids.map { try ImageStore.require($0, in: repository, scope, db) }
                } else {
                    images = try ImageRecord.fetchAll(
                        db, cached: "SELECT * FROM image WHERE repositoryArn = ? ORDER BY digest", arguments: [repository.arn])
                }
                var details: [ECRShapes.ImageDetail] = []
                for image in images {
                    let tags = try ImageStore.tags(of: image.digest, in: repository, db)
                    switch input.filter?.tagStatus {
                    case "TAGGED" where tags.isEmpty, "UNTAGGED" where !tags.isEmpty: continue
                    default: break
                    }
                    let status = ImageStorageClasses.status(image)
                    if let wanted = input.filter?.imageStatus, wanted != "ANY", wanted != status { continue }
                    details.append(ECRShapes.ImageDetail(
                        artifactMediaType: image.artifactMediaType, imageDigest: image.digest, imageManifestMediaType: image.mediaType,
                        imagePushedAt: Timestamp(secondsSince1970: image.pushedAt),
                        imageScanStatus: try ImageScans.status(of: image.digest, in: repository, db), imageSizeInBytes: image.size,
                        imageStatus: status, imageTags: tags.isEmpty ? nil : tags,
                        lastActivatedAt: image.activatedAt.map { Timestamp(secondsSince1970: $0) },
                        lastArchivedAt: image.archivedAt.map { Timestamp(secondsSince1970: $0) }, lastRecordedPullTime: image.lastPulledAt.map { Timestamp(secondsSince1970: $0) }, registryId: scope.accountId,
                        repositoryName: repository.name, subjectManifestDigest: image.subjectDigest))
                }
                let page = try TokenPage(details, key: { $0.imageDigest ?? "" }, nextToken: input.nextToken, maxResults: input.maxResults)
                return ECRShapes.DescribeImagesResponse(imageDetails: page.items, nextToken: page.nextToken)
            }
        }

        r.register(ECROperation.ListImages.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:ListImages", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                let rows = try Row.fetchAll(db, cached: """
                    SELECT i.digest, t.tag FROM image i LEFT JOIN imageTag t ON t.repositoryArn = i.repositoryArn AND t.digest = i.digest
                    WHERE i.repositoryArn = ? ORDER BY i.digest, t.tag
                    """, arguments: [repository.arn])
                var ids: [ECRShapes.ImageIdentifier] = []
                for row in rows {
                    let tag: String? = row["tag"]
                    switch input.filter?.tagStatus {
                    case "TAGGED" where tag == nil, "UNTAGGED" where tag != nil: continue
                    default: ids.append(ECRShapes.ImageIdentifier(imageDigest: row["digest"], imageTag: tag))
                    }
                }
                let page = try TokenPage(
                    ids, key: { ($0.imageDigest ?? "") + "/" + ($0.imageTag ?? "") }, nextToken: input.nextToken,
                    maxResults: input.maxResults)
                return ECRShapes.ListImagesResponse(imageIds: page.items, nextToken: page.nextToken)
            }
        }

        r.register(ECROperation.BatchDeleteImage.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:BatchDeleteImage", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                var deleted: [ECRShapes.ImageIdentifier] = []
                var failures: [ECRShapes.ImageFailure] = []
                for id in input.imageIds {
                    if let failure = try lookupFailure(id, repository, db) {
                        failures.append(failure)
                        continue
                    }
                    if let tag = id.imageTag {
                        if let digest = try ImageStore.untag(tag, in: repository, db) {
                            deleted.append(ECRShapes.ImageIdentifier(imageDigest: digest, imageTag: tag))
                        }
                        continue
                    }
                    guard let digest = id.imageDigest else { continue }
                    if let blocker = try ImageStore.deletionBlocker(digest, in: repository, db) {
                        failures.append(blocker)
                        continue
                    }
                    let tags = try ImageStore.tags(of: digest, in: repository, db)
                    try ImageStore.deleteImage(digest, in: repository, db)
                    deleted += tags.isEmpty
                        ? [ECRShapes.ImageIdentifier(imageDigest: digest)]
                        : tags.map { ECRShapes.ImageIdentifier(imageDigest: digest, imageTag: $0) }
                }
                return ECRShapes.BatchDeleteImageResponse(failures: failures, imageIds: deleted)
            }
        }
    }

    /// The per-image failure BatchGetImage and BatchDeleteImage report, or nil
    /// when the identifier names an image of the repository.
    static func lookupFailure(_ id: ECRShapes.ImageIdentifier, _ repository: RepositoryRecord, _ db: Database) throws -> ECRShapes.ImageFailure? {
        guard id.imageDigest != nil || id.imageTag != nil else {
            return ECRShapes.ImageFailure(
                failureCode: "MissingDigestAndTag", failureReason: "Invalid request parameters: image digest and tag cannot both be null",
                imageId: id)
        }
        if let digest = id.imageDigest, !BlobStore.isValidDigest(digest) {
            return ECRShapes.ImageFailure(failureCode: "InvalidImageDigest", failureReason: "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'", imageId: id)
        }
        if let digest = id.imageDigest, let tag = id.imageTag,
            let tagged = try ImageTagRecord.fetchOne(db, key: ["repositoryArn": repository.arn, "tag": tag]), tagged.digest != digest
        {
            return ECRShapes.ImageFailure(
                failureCode: "ImageTagDoesNotMatchDigest", failureReason: "Invalid request parameters: image tag does not match digest",
                imageId: id)
        }
        if try ImageStore.resolve(digest: id.imageDigest, tag: id.imageTag, in: repository, db) == nil {
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
        try await store.bookkeeping { db in
            for digest in digests {
                try db.execute(
                    cached: "UPDATE image SET lastPulledAt = ? WHERE repositoryArn = ? AND digest = ?", arguments: [time, repositoryArn, digest])
            }
        }
    }
}
