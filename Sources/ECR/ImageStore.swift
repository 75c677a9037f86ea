import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import Storage

/// Images of a repository: putting a manifest, resolving a tag or digest,
/// deleting — ECR's rules, shared by the API and the registry so an image
/// pushed either way behaves the same.
///
/// Each takes the caller's transaction.
public enum ImageStore {
    /// Tags one image may carry (ECR quota).
    static let tagsPerImage = 1000

    /// A manifest as pushed, worked out before any transaction: its digest is
    /// the sha256 of these exact bytes (of the signed payload, for a signed
    /// schema 1 manifest: `ManifestDigest`). Whether it parses is kept, not thrown,
    /// so that `put` reports it in ECR's order (after the repository and the
    /// digest).
    public struct Pushed: Sendable {
        public let bytes: [UInt8]
        public let digest: String
        let manifest: Result<Manifest, ManifestError>

        public init(_ bytes: [UInt8], declared: Manifest.Declared) {
            self.bytes = bytes
            digest = ManifestDigest.of(bytes)
            manifest = Result { () throws(ManifestError) in try Manifest(bytes: bytes, declared: declared) }
        }
    }

    /// PutImage: everything the manifest references must already be in the repository.
    @discardableResult
    public static func put(
        _ pushed: Pushed, tag: String?, expectedDigest: String?, repository: RepositoryRecord, now: Double, _ tx: Transaction
    ) throws -> (image: ImageRecord, manifest: Manifest) {
        let digest = pushed.digest
        if let expectedDigest, expectedDigest != digest { throw ECRError.digestMismatch(expectedDigest, digest) }
        let manifest: Manifest
        switch pushed.manifest {
        case .success(let parsed): manifest = parsed
        case .failure(let error): throw error.apiError
        }
        var heldSize: Int64 = 0
        for descriptor in ([manifest.config].compactMap { $0 } + manifest.layers) where !descriptor.isForeign {
            guard let held = try Blobs.held(descriptor.digest, in: repository, tx) else {
                throw ECRError.layersNotFound(descriptor.digest, repository.name, repository.accountId)
            }
            heldSize = heldSize.addingReportingOverflow(held.size).partialValue
        }
        for child in manifest.manifests {
            guard try ImageRecord.find(repositoryArn: repository.arn, digest: child.digest, in: tx) != nil else {
                throw ECRError.referencedImagesNotFound(child.digest, repository.name, repository.accountId)
            }
        }

        var image = try ImageRecord.find(repositoryArn: repository.arn, digest: digest, in: tx)
        // "The image can be restored as an active image … by re-pushing the image to the
        // repository" (ECR User Guide, "Archiving an image"): pushing it again is no error then.
        if let archived = image, archived.storageClass == "ARCHIVE" {
            image = try ImageStorageClasses.move(archived, to: "STANDARD", at: now, tx)
            if let tag { try ImageTagRecord(repositoryArn: repository.arn, tag: tag, digest: digest).save(in: tx) }
            return (image!, manifest)
        }
        if let tag {
            if let current = try ImageTagRecord.find(repositoryArn: repository.arn, tag: tag, in: tx) {
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
                repositoryArn: repository.arn, digest: digest, manifest: Data(pushed.bytes), mediaType: manifest.mediaType,
                artifactMediaType: manifest.artifactType ?? manifest.config?.mediaType,
                // A schema 1 manifest does not say its layers' sizes: they are the blobs'.
                size: manifest.isSchema1 ? heldSize : manifest.imageSize,
                subjectDigest: manifest.subject?.digest, pushedAt: now)
            try tx.insert(created)
            for child in manifest.manifests {
                try ImageRecord.addReference(repositoryArn: repository.arn, parent: digest, child: child.digest, in: tx)
            }
            for descriptor in [manifest.config].compactMap({ $0 }) + manifest.layers where !descriptor.isForeign {
                if let mediaType = descriptor.mediaType {
                    try RepositoryBlobRecord.setMediaType(mediaType, repositoryArn: repository.arn, digest: descriptor.digest, in: tx)
                }
            }
            image = created
            if manifest.manifests.isEmpty, try RegistryScanning.scansOnPush(repository, tx) {
                try ImageScans.record(created, in: repository, at: now, tx)
            }
        }
        if let tag {
            if try ImageTagRecord.count(repositoryArn: repository.arn, digest: digest, in: tx) >= tagsPerImage {
                throw ECRShapes.Errors.limitExceeded(
                    "Adding tag '\(tag)' to an image in the repository with name '\(repository.name)' in registry with id '\(repository.accountId)' exceeds the maximum allowed number of tags per image which is '\(tagsPerImage)'")
            }
            try ImageTagRecord(repositoryArn: repository.arn, tag: tag, digest: digest).save(in: tx)
        }
        try Replication.replicate(image!, tag: tag, from: repository, now: now, tx)
        return (image!, manifest)
    }

    /// PutImage from the manifest's bytes, hashed here (the registry's PUT).
    @discardableResult
    public static func put(
        manifest bytes: [UInt8], contentType: String?, tag: String?, expectedDigest: String?,
        repository: RepositoryRecord, now: Double, _ tx: Transaction
    ) throws -> (image: ImageRecord, manifest: Manifest) {
        try put(
            Pushed(bytes, declared: .contentType(contentType)), tag: tag, expectedDigest: expectedDigest, repository: repository, now: now,
            tx)
    }

    /// The image a tag or digest names (both: they must agree).
    public static func resolve(digest: String?, tag: String?, in repository: RepositoryRecord, _ tx: Transaction) throws -> ImageRecord? {
        var resolvedDigest = digest
        if let tag {
            guard let record = try ImageTagRecord.find(repositoryArn: repository.arn, tag: tag, in: tx) else { return nil }
            if let digest, digest != record.digest { return nil }
            resolvedDigest = record.digest
        }
        guard let resolvedDigest else { return nil }
        return try ImageRecord.find(repositoryArn: repository.arn, digest: resolvedDigest, in: tx)
    }

    /// The image an operation names, or ECR's ImageNotFoundException.
    static func require(_ id: ECRShapes.ImageIdentifier, in repository: RepositoryRecord, _ scope: RegistryScope, _ tx: Transaction)
        throws -> ImageRecord
    {
        guard let image = try resolve(digest: id.imageDigest, tag: id.imageTag, in: repository, tx) else {
            throw ECRError.imageNotFound(digest: id.imageDigest, tag: id.imageTag, repository.name, scope.accountId)
        }
        return image
    }

    public static func tags(of digest: String, in repository: RepositoryRecord, _ tx: Transaction) throws -> [String] {
        try ImageTagRecord.tags(repositoryArn: repository.arn, digest: digest, in: tx)
    }

    /// Why an image cannot be deleted, or nil when it can: manifest lists and
    /// indexes of the repository point at it.
    static func deletionBlocker(_ digest: String, in repository: RepositoryRecord, _ tx: Transaction) throws -> ECRShapes.ImageFailure? {
        let parents = try ImageRecord.parents(of: digest, repositoryArn: repository.arn, in: tx)
        guard !parents.isEmpty else { return nil }
        return ECRShapes.ImageFailure(
            failureCode: "ImageReferencedByManifestList",
            failureReason: "Requested image referenced by manifest list: [\(parents.joined(separator: ", "))]",
            imageId: ECRShapes.ImageIdentifier(imageDigest: digest))
    }

    public static func deleteImage(_ digest: String, in repository: RepositoryRecord, _ tx: Transaction) throws {
        try ImageRecord.delete(repositoryArn: repository.arn, digest: digest, in: tx)
    }

    /// Removes a tag; an image left without tags is deleted, as ECR does.
    public static func untag(_ tag: String, in repository: RepositoryRecord, _ tx: Transaction) throws -> String? {
        guard let record = try ImageTagRecord.find(repositoryArn: repository.arn, tag: tag, in: tx) else { return nil }
        try tx.delete(record)
        if try tags(of: record.digest, in: repository, tx).isEmpty,
            try ImageRecord.parents(of: record.digest, repositoryArn: repository.arn, in: tx).isEmpty
        {
            try deleteImage(record.digest, in: repository, tx)
        }
        return record.digest
    }
}
