import AWSShapes
import ServiceKit
import Storage

/// Image scans. Scanning needs AWS's vulnerability databases, which an
/// offline emulator does not have: a scan is recorded and ends FAILED with a
/// description that says why. No findings are ever invented.
enum ImageScans {
    static let failed = "FAILED"
    static let unavailable = "Image scanning is not available in Gatehouse: scans need AWS's vulnerability data, which cannot be reached offline."
    /// Basic scanning allows one scan per image per day.
    static let quotaWindow: Double = 86_400

    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.StartImageScan.self, .transaction(.write, target: RepositoryTarget.named, act: start))
        r.register(ECROperation.DescribeImageScanFindings.self, .transaction(.read, target: RepositoryTarget.named, act: findings))
    }

    // MARK: - Operations

    static func start(
        _ input: ECRShapes.StartImageScanRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.StartImageScanResponse {
        let repository = try target.existing()
        let scope = target.scope
        let id = input.imageId
        let image = try ImageStore.require(id, in: repository, scope, tx)
        if [Manifest.MediaType.dockerList, Manifest.MediaType.ociIndex].contains(image.mediaType) {
            throw ECRError.unsupportedScanImageType
        }
        if image.storageClass == "ARCHIVE" {
            throw ECRError.imageArchived(digest: id.imageDigest, tag: id.imageTag, repository.name, scope.accountId)
        }
        let now = context.now.secondsSince1970
        if let last = try ImageScanRecord.find(repositoryArn: repository.arn, digest: image.digest, in: tx), now - last.startedAt < quotaWindow {
            throw ECRError.scanQuotaExceeded
        }
        let scan = try record(image, in: repository, at: now, tx)
        return ECRShapes.StartImageScanResponse(
            imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag),
            imageScanStatus: status(scan), registryId: scope.accountId, repositoryName: repository.name)
    }

    static func findings(
        _ input: ECRShapes.DescribeImageScanFindingsRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DescribeImageScanFindingsResponse {
        let repository = try target.existing()
        let scope = target.scope
        let id = input.imageId
        let image = try ImageStore.require(id, in: repository, scope, tx)
        guard let scan = try ImageScanRecord.find(repositoryArn: repository.arn, digest: image.digest, in: tx) else {
            throw ECRError.scanNotFound(digest: id.imageDigest, tag: id.imageTag, repository.name, scope.accountId)
        }
        return ECRShapes.DescribeImageScanFindingsResponse(
            imageId: ECRShapes.ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag),
            imageScanStatus: status(scan), registryId: scope.accountId, repositoryName: repository.name)
    }

    @discardableResult
    static func record(_ image: ImageRecord, in repository: RepositoryRecord, at time: Double, _ tx: Transaction) throws -> ImageScanRecord {
        let scan = ImageScanRecord(
            repositoryArn: repository.arn, digest: image.digest, status: failed, description: unavailable, startedAt: time)
        try scan.save(in: tx)
        return scan
    }

    static func status(_ scan: ImageScanRecord) -> ECRShapes.ImageScanStatus {
        ECRShapes.ImageScanStatus(description: scan.description, status: scan.status)
    }

    /// The scan status DescribeImages shows for an image, if it was ever scanned.
    static func status(of digest: String, in repository: RepositoryRecord, _ tx: Transaction) throws -> ECRShapes.ImageScanStatus? {
        try ImageScanRecord.find(repositoryArn: repository.arn, digest: digest, in: tx).map(status)
    }
}
