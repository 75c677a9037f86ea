import AWSShapes
import ServiceKit
import Storage

/// Archiving: an image moves to the ARCHIVE storage class (it stays listed
/// but cannot be pulled) and back to STANDARD. Restoring takes AWS up to
/// twenty minutes; Gatehouse has nothing to fetch, so it is ACTIVE at once.
public enum ImageStorageClasses {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.UpdateImageStorageClass.self, .transaction(.write, target: RepositoryTarget.named, act: update))
    }

    static func update(
        _ input: ECRShapes.UpdateImageStorageClassRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.UpdateImageStorageClassResponse {
        let repository = try target.existing()
        let id = input.imageId
        let image = try ImageStore.require(id, in: repository, target.scope, tx)
        if [Manifest.MediaType.dockerList, Manifest.MediaType.ociIndex].contains(image.mediaType) {
            throw ECRError.storageClassUpdateNotSupported
        }
        let updated = try move(image, to: input.targetStorageClass, at: context.now.secondsSince1970, tx)
        return ECRShapes.UpdateImageStorageClassResponse(
            imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag),
            imageStatus: status(updated), registryId: target.scope.accountId, repositoryName: repository.name)
    }

    /// Moves an image to `target` (`STANDARD` or `ARCHIVE`); a move to where it already is changes nothing.
    @discardableResult
    static func move(_ image: ImageRecord, to target: String, at time: Double, _ tx: Transaction) throws -> ImageRecord {
        guard image.storageClass != target else { return image }
        var moved = image
        moved.storageClass = target
        if target == "ARCHIVE" { moved.archivedAt = time } else { moved.activatedAt = time }
        try tx.update(moved)
        return moved
    }

    /// DescribeImages' `imageStatus`.
    static func status(_ image: ImageRecord) -> String {
        image.storageClass == "ARCHIVE" ? "ARCHIVED" : "ACTIVE"
    }

    /// Whether a blob the repository holds belongs only to archived images, so
    /// that the registry must not serve it: "Archived images cannot be pulled.
    /// Requests to pull the archived image will fail with a 404 error" (ECR User
    /// Guide, "Archiving an image"). A blob no image names (an upload not yet
    /// in a manifest) and one an active image shares are served.
    public static func onlyArchivedHold(_ digest: String, in repository: RepositoryRecord, _ tx: Transaction) throws -> Bool {
        guard try ImageRecord.holdsArchived(repositoryArn: repository.arn, in: tx) else { return false }
        var archived = false
        for stored in try ImageRecord.manifests(repositoryArn: repository.arn, in: tx) where Manifest.blobs(of: stored).contains(digest) {
            if stored.storageClass != "ARCHIVE" { return false }
            archived = true
        }
        return archived
    }
}
