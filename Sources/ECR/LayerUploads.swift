import AWSShapes
import ServiceKit
import Storage

/// The layer API: uploads in consecutive parts, completed against a digest,
/// availability checks and download URLs.
///
/// Initiating, writing parts and completing go through Storage's one upload
/// capability (`Store.uploads`, shared with the registry): files are created,
/// written, hashed and placed outside any transaction; getting a download URL
/// reads the server's signing secret in a transaction of its own. They are
/// authorized first, then do that work and open their own transactions.
enum LayerUploads {
    /// What InitiateLayerUpload advertises as the part size.
    static let partSize: Int64 = 10_485_760

    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.InitiateLayerUpload.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:InitiateLayerUpload", input.repositoryName)]
        }, handler: initiate)
        r.register(ECROperation.UploadLayerPart.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:UploadLayerPart", input.repositoryName)]
        }, handler: uploadPart)
        r.register(ECROperation.CompleteLayerUpload.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:CompleteLayerUpload", input.repositoryName)]
        }, handler: complete)
        r.register(ECROperation.BatchCheckLayerAvailability.self, .transaction(.read, target: RepositoryTarget.named, act: checkAvailability))
        r.register(ECROperation.GetDownloadUrlForLayer.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:GetDownloadUrlForLayer", input.repositoryName)]
        }, handler: downloadUrl)
    }

    // MARK: - Operations

    @Sendable
    static func initiate(_ input: ECRShapes.InitiateLayerUploadRequest, _ context: OperationContext) async throws
        -> ECRShapes.InitiateLayerUploadResponse
    {
        let scope = RegistryScope(registryId: input.registryId, context)
        let id = context.ids.uuid()
        try context.store.uploads.start(id, at: context.now.secondsSince1970) { tx in
            try Repositories.require(input.repositoryName, scope, tx).arn
        }
        return ECRShapes.InitiateLayerUploadResponse(partSize: partSize, uploadId: id)
    }

    // Parts and completion work on the upload file outside any transaction,
    // holding the upload (one request at a time, shared with the registry's
    // PATCH and PUT): transactions stay short, and no part can land in a
    // file after it has become a blob.

    @Sendable
    static func uploadPart(_ input: ECRShapes.UploadLayerPartRequest, _ context: OperationContext) async throws
        -> ECRShapes.UploadLayerPartResponse
    {
        let scope = RegistryScope(registryId: input.registryId, context)
        let uploads = context.store.uploads
        return try await uploads.exclusively(
            input.uploadId, inUse: ECRError.partWhileInUse(input.uploadId, input.repositoryName, scope.accountId)
        ) {
            let (repository, upload) = try context.store.transaction(.read) { tx in
                let repository = try Repositories.require(input.repositoryName, scope, tx)
                return (repository, try Self.upload(input.uploadId, repository, scope, tx))
            }
            guard input.partFirstByte == upload.size else {
                throw ECRError.invalidLayerPart(
                    expected: upload.size, got: input.partFirstByte, uploadId: upload.id, repository.name, scope.accountId)
            }
            let expectedLast = input.partFirstByte + Int64(input.layerPartBlob.count) - 1
            guard input.partLastByte == expectedLast else {
                throw ECRShapes.Errors.invalidLayerPart("Last byte of the layer part is \(input.partLastByte) instead of \(expectedLast)")
            }
            let part = try uploads.open(upload.id, at: upload.size)
            try part.write(input.layerPartBlob)
            let size = try uploads.finish(part, at: context.now.secondsSince1970)
            return ECRShapes.UploadLayerPartResponse(
                lastByteReceived: size - 1, registryId: scope.accountId, repositoryName: repository.name, uploadId: upload.id)
        }
    }

    @Sendable
    static func complete(_ input: ECRShapes.CompleteLayerUploadRequest, _ context: OperationContext) async throws
        -> ECRShapes.CompleteLayerUploadResponse
    {
        let scope = RegistryScope(registryId: input.registryId, context)
        let uploads = context.store.uploads
        return try await uploads.exclusively(
            input.uploadId, inUse: ECRError.completeWhileInUse(input.uploadId, input.repositoryName, scope.accountId)
        ) {
            let (repository, upload) = try context.store.transaction(.read) { tx in
                let repository = try Repositories.require(input.repositoryName, scope, tx)
                return (repository, try Self.upload(input.uploadId, repository, scope, tx))
            }
            if upload.size == 0 { throw ECRError.emptyUpload(upload.id, repository.name, scope.accountId) }
            // Hashed as the parts arrived (or, after a restart, read on the
            // hashing threads): in no transaction.
            let hashed = try await uploads.digest(of: upload.id, size: upload.size)
            let digest = hashed.digest
            // A refused digest leaves the upload as it was (row and file), to be completed again.
            guard input.layerDigests.contains(digest) else { throw ECRError.digestDoesNotMatch }
            // The upload is used up either way: a layer the repository already
            // holds is refused, with the upload's row gone as its file is.
            let now = context.now.secondsSince1970
            let alreadyHeld = try uploads.commit(hashed, at: now) { tx -> Bool in
                if try RepositoryBlobRecord.find(repositoryArn: repository.arn, digest: digest, in: tx) != nil { return true }
                try Blobs.record(digest, size: hashed.size, in: repository, mediaType: nil, at: now, tx)
                return false
            }
            if alreadyHeld { throw ECRError.layerExists(digest, repository.name, scope.accountId) }
            return ECRShapes.CompleteLayerUploadResponse(
                layerDigest: digest, registryId: scope.accountId, repositoryName: repository.name, uploadId: upload.id)
        }
    }

    static func checkAvailability(
        _ input: ECRShapes.BatchCheckLayerAvailabilityRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.BatchCheckLayerAvailabilityResponse {
        let repository = try target.existing()
        var layers: [ECRShapes.Layer] = []
        var failures: [ECRShapes.LayerFailure] = []
        for digest in input.layerDigests {
            guard BlobStore.isValidDigest(digest) else {
                failures.append(ECRShapes.LayerFailure(failureCode: "InvalidLayerDigest", failureReason: "Invalid layer digest", layerDigest: digest))
                continue
            }
            if let held = try Blobs.held(digest, in: repository, tx) {
                layers.append(ECRShapes.Layer(layerAvailability: "AVAILABLE", layerDigest: digest, layerSize: held.size, mediaType: held.mediaType))
            } else {
                failures.append(ECRShapes.LayerFailure(failureCode: "MissingLayerDigest", failureReason: "Could not find layer", layerDigest: digest))
            }
        }
        return ECRShapes.BatchCheckLayerAvailabilityResponse(failures: failures, layers: layers)
    }

    @Sendable
    static func downloadUrl(_ input: ECRShapes.GetDownloadUrlForLayerRequest, _ context: OperationContext) async throws
        -> ECRShapes.GetDownloadUrlForLayerResponse
    {
        let scope = RegistryScope(registryId: input.registryId, context)
        let signer = try DownloadURL(store: context.store)
        return try context.store.transaction(.read) { tx in
            let repository = try Repositories.require(input.repositoryName, scope, tx)
            guard try Blobs.held(input.layerDigest, in: repository, tx) != nil else {
                throw ECRError.layersNotFound(input.layerDigest, repository.name, scope.accountId)
            }
            let url = signer.url(host: scope.host, digest: input.layerDigest, expires: context.now.adding(seconds: DownloadURL.lifetime))
            return ECRShapes.GetDownloadUrlForLayerResponse(downloadUrl: url, layerDigest: input.layerDigest)
        }
    }

    static func upload(_ id: String, _ repository: RepositoryRecord, _ scope: RegistryScope, _ tx: Transaction) throws -> LayerUploadRecord {
        guard let upload = try tx.fetch(LayerUploadRecord.self, key: id), upload.repositoryArn == repository.arn else {
            throw ECRError.uploadNotFound(id, repository.name, scope.accountId)
        }
        return upload
    }
}

/// Blob bookkeeping shared by the layer API and the registry.
public enum Blobs {
    /// Records that `repository` holds the blob (its file is already in place).
    public static func record(
        _ digest: String, size: Int64, in repository: RepositoryRecord, mediaType: String?, at time: Double, _ tx: Transaction
    ) throws {
        if try tx.fetch(BlobRecord.self, key: digest) == nil {
            try tx.insert(BlobRecord(digest: digest, size: size, createdAt: time))
        }
        try RepositoryBlobRecord(repositoryArn: repository.arn, digest: digest, mediaType: mediaType, addedAt: time).save(in: tx)
    }

    /// The blob's size and media type when `repository` holds it.
    public static func held(_ digest: String, in repository: RepositoryRecord, _ tx: Transaction) throws -> (size: Int64, mediaType: String?)? {
        try RepositoryBlobRecord.held(repositoryArn: repository.arn, digest: digest, in: tx)
    }
}
