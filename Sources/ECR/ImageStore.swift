import AWSShapes
import Foundation
import GRDB
import Hashing
import Storage

/// Images of a repository: putting a manifest, resolving a tag or digest,
/// deleting — ECR's rules, shared by the API and the registry so an image
/// pushed either way behaves the same.
public enum ImageStore {
    /// Tags one image may carry (ECR quota).
    static let tagsPerImage = 1000

    /// PutImage: the manifest's digest is the sha256 of these exact bytes;
    /// everything it references must already be in the repository.
    @discardableResult
    public static func put(
        manifest bytes: [UInt8], declaredMediaType: String?, tag: String?, expectedDigest: String?,
        repository: RepositoryRecord, now: Double, _ db: Database
    ) throws -> (image: ImageRecord, manifest: Manifest) {
        let digest = "sha256:" + Hex.encode(SHA256.hash(bytes))
        if let expectedDigest, expectedDigest != digest { throw ECRError.digestMismatch(expectedDigest, digest) }
        let manifest: Manifest
        do {
            manifest = try Manifest(bytes: bytes, declared: declaredMediaType)
        } catch {
            throw error.apiError
        }
        for descriptor in ([manifest.config].compactMap { $0 } + manifest.layers) where !descriptor.isForeign {
            guard try Blobs.held(descriptor.digest, in: repository, db) != nil else {
                throw ECRError.layersNotFound(descriptor.digest, repository.name, repository.accountId)
            }
        }
        for child in manifest.manifests {
            guard try ImageRecord.fetchOne(db, key: ["repositoryArn": repository.arn, "digest": child.digest]) != nil else {
                throw ECRError.referencedImagesNotFound(child.digest, repository.name, repository.accountId)
            }
        }

        var image = try ImageRecord.fetchOne(db, key: ["repositoryArn": repository.arn, "digest": digest])
        if let tag {
            if let current = try ImageTagRecord.fetchOne(db, key: ["repositoryArn": repository.arn, "tag": tag]) {
                if current.digest == digest {
                    throw ECRError.imageExists(digest: digest, tag: tag, repository.name, repository.accountId)
                }
                if MutabilityFilters.tagIsImmutable(tag, repository) {
                    throw ECRError.immutableTag(tag, repository.name)
                }
            }
        } else if image != nil {
            throw ECRError.imageExists(digest: digest, tag: nil, repository.name, repository.accountId)
        }

        if image == nil {
            let created = ImageRecord(
                repositoryArn: repository.arn, digest: digest, manifest: Data(bytes), mediaType: manifest.mediaType,
                artifactMediaType: manifest.artifactType ?? manifest.config?.mediaType, size: manifest.imageSize,
                subjectDigest: manifest.subject?.digest, pushedAt: now)
            try created.insert(db)
            for child in manifest.manifests {
                try db.execute(
                    cached: "INSERT OR IGNORE INTO imageReference (repositoryArn, parentDigest, childDigest) VALUES (?, ?, ?)",
                    arguments: [repository.arn, digest, child.digest])
            }
            for descriptor in [manifest.config].compactMap({ $0 }) + manifest.layers where !descriptor.isForeign {
                if let mediaType = descriptor.mediaType {
                    try db.execute(
                        cached: "UPDATE repositoryBlob SET mediaType = ? WHERE repositoryArn = ? AND digest = ?",
                        arguments: [mediaType, repository.arn, descriptor.digest])
                }
            }
            image = created
            if manifest.manifests.isEmpty, try RegistryScanning.scansOnPush(repository, db) {
                try ImageScans.record(created, in: repository, at: now, db)
            }
        }
        if let tag {
            let count = try Int.fetchOne(
                db, cached: "SELECT count(*) FROM imageTag WHERE repositoryArn = ? AND digest = ?", arguments: [repository.arn, digest]) ?? 0
            if count >= tagsPerImage {
                throw ECRShapes.Errors.limitExceeded(
                    "Adding tag '\(tag)' to an image in the repository with name '\(repository.name)' in registry with id '\(repository.accountId)' exceeds the maximum allowed number of tags per image which is '\(tagsPerImage)'")
            }
            try ImageTagRecord(repositoryArn: repository.arn, tag: tag, digest: digest).save(db)
        }
        return (image!, manifest)
    }

    /// The image a tag or digest names (both: they must agree).
    public static func resolve(digest: String?, tag: String?, in repository: RepositoryRecord, _ db: Database) throws -> ImageRecord? {
        var resolvedDigest = digest
        if let tag {
            guard let record = try ImageTagRecord.fetchOne(db, key: ["repositoryArn": repository.arn, "tag": tag]) else { return nil }
            if let digest, digest != record.digest { return nil }
            resolvedDigest = record.digest
        }
        guard let resolvedDigest else { return nil }
        return try ImageRecord.fetchOne(db, key: ["repositoryArn": repository.arn, "digest": resolvedDigest])
    }

    /// The image an operation names, or ECR's ImageNotFoundException.
    static func require(_ id: ECRShapes.ImageIdentifier, in repository: RepositoryRecord, _ scope: RegistryScope, _ db: Database)
        throws -> ImageRecord
    {
        guard let image = try resolve(digest: id.imageDigest, tag: id.imageTag, in: repository, db) else {
            throw ECRError.imageNotFound(digest: id.imageDigest, tag: id.imageTag, repository.name, scope.accountId)
        }
        return image
    }

    public static func tags(of digest: String, in repository: RepositoryRecord, _ db: Database) throws -> [String] {
        try String.fetchAll(
            db, cached: "SELECT tag FROM imageTag WHERE repositoryArn = ? AND digest = ? ORDER BY tag", arguments: [repository.arn, digest])
    }

    /// Manifest lists and indexes of the repository that point at `digest`.
    static func referencingParents(of digest: String, in repository: RepositoryRecord, _ db: Database) throws -> [String] {
        try String.fetchAll(
            db, cached: "SELECT parentDigest FROM imageReference WHERE repositoryArn = ? AND childDigest = ?",
            arguments: [repository.arn, digest])
    }

    /// Why an image cannot be deleted, or nil when it can.
    static func deletionBlocker(_ digest: String, in repository: RepositoryRecord, _ db: Database) throws -> ECRShapes.ImageFailure? {
        let parents = try referencingParents(of: digest, in: repository, db)
        guard !parents.isEmpty else { return nil }
        return ECRShapes.ImageFailure(
            failureCode: "ImageReferencedByManifestList",
            failureReason: "Requested image referenced by manifest list: [\(parents.joined(separator: ", "))]",
            imageId: ECRShapes.ImageIdentifier(imageDigest: digest))
    }

    public static func deleteImage(_ digest: String, in repository: RepositoryRecord, _ db: Database) throws {
        try db.execute(cached: "DELETE FROM image WHERE repositoryArn = ? AND digest = ?", arguments: [repository.arn, digest])
    }

    /// Removes a tag; an image left without tags is deleted, as ECR does.
    public static func untag(_ tag: String, in repository: RepositoryRecord, _ db: Database) throws -> String? {
        guard let record = try ImageTagRecord.fetchOne(db, key: ["repositoryArn": repository.arn, "tag": tag]) else { return nil }
        _ = try record.delete(db)
        if try tags(of: record.digest, in: repository, db).isEmpty, try referencingParents(of: record.digest, in: repository, db).isEmpty {
            try deleteImage(record.digest, in: repository, db)
        }
        return record.digest
    }
}
