import AWSShapes
import GRDB
import ServiceKit
import Storage

/// The layer API: uploads in consecutive parts, completed against a digest,
/// availability checks and download URLs.
enum LayerUploads {
    /// What InitiateLayerUpload advertises as the part size.
    static let partSize: Int64 = 10_485_760

    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.InitiateLayerUpload.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:InitiateLayerUpload", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            let id = context.ids.uuid()
            try context.store.blobs.createUpload(id)
            do {
                return try await context.store.write { db in
                    let repository = try Repositories.require(input.repositoryName, scope, db)
                    let now = context.now.secondsSince1970
                    try LayerUploadRecord(id: id, repositoryArn: repository.arn, size: 0, createdAt: now, updatedAt: now).insert(db)
                    return ECRShapes.InitiateLayerUploadResponse(partSize: partSize, uploadId: id)
                }
            } catch {
                context.store.blobs.discardUpload(id)
                throw error
            }
        }

        // Parts and completion work on the upload file outside any transaction,
        // holding the upload (one request at a time, shared with the registry's
        // PATCH and PUT): transactions stay short, and no part can land in a
        // file after it has become a blob.
        r.register(ECROperation.UploadLayerPart.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:UploadLayerPart", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.blobs.withExclusiveUpload(
                input.uploadId, inUse: ECRError.partWhileInUse(input.uploadId, input.repositoryName, scope.accountId)
            ) {
                let (repository, upload) = try await context.store.read { db in
                    let repository = try Repositories.require(input.repositoryName, scope, db)
                    return (repository, try Self.upload(input.uploadId, repository, scope, db))
                }
                guard input.partFirstByte == upload.size else {
                    throw ECRError.invalidLayerPart(
                        expected: upload.size, got: input.partFirstByte, uploadId: upload.id, repository.name, scope.accountId)
                }
                let expectedLast = input.partFirstByte + Int64(input.layerPartBlob.count) - 1
                guard input.partLastByte == expectedLast else {
                    throw ECRShapes.Errors.invalidLayerPart(
                        "Last byte of the layer part is \(input.partLastByte) instead of \(expectedLast)")
                }
                let size = try context.store.blobs.write(upload.id, input.layerPartBlob, at: upload.size)
                let now = context.now.secondsSince1970
                try await context.store.write { db in
                    try db.execute(
                        cached: "UPDATE layerUpload SET size = ?, updatedAt = ? WHERE id = ?", arguments: [size, now, upload.id])
                }
                return ECRShapes.UploadLayerPartResponse(
                    lastByteReceived: size - 1, registryId: scope.accountId, repositoryName: repository.name,
                    uploadId: upload.id)
            }
        }

        r.register(ECROperation.CompleteLayerUpload.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:CompleteLayerUpload", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            let blobs = context.store.blobs
            return try await blobs.withExclusiveUpload(
                input.uploadId, inUse: ECRError.completeWhileInUse(input.uploadId, input.repositoryName, scope.accountId)
            ) {
                let (repository, upload) = try await context.store.read { db in
                    let repository = try Repositories.require(input.repositoryName, scope, db)
                    return (repository, try Self.upload(input.uploadId, repository, scope, db))
                }
                if upload.size == 0 { throw ECRError.emptyUpload(upload.id, repository.name, scope.accountId) }
                // Seconds for a large layer: on the blob store's hashing threads, in no transaction.
                let digest = try await blobs.digestOfUpload(upload.id)
                // A refused digest leaves the upload as it was (row and file), to be completed again.
                guard input.layerDigests.contains(digest) else { throw ECRError.digestDoesNotMatch }
                try blobs.commitUpload(upload.id, as: digest)
                // The upload is used up either way: a layer the repository already
                // holds is refused, with the upload's row gone as its file is.
                let alreadyHeld = try await context.store.write { db -> Bool in
                    _ = try upload.delete(db)
                    if try RepositoryBlobRecord.fetchOne(db, key: ["repositoryArn": repository.arn, "digest": digest]) != nil {
                        return true
                    }
                    try Blobs.record(digest, size: upload.size, in: repository, mediaType: nil, at: context.now.secondsSince1970, db)
                    return false
                }
                if alreadyHeld { throw ECRError.layerExists(digest, repository.name, scope.accountId) }
                return ECRShapes.CompleteLayerUploadResponse(
                    layerDigest: digest, registryId: scope.accountId, repositoryName: repository.name, uploadId: upload.id)
            }
        }

        r.register(ECROperation.BatchCheckLayerAvailability.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:BatchCheckLayerAvailability", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                var layers: [ECRShapes.Layer] = []
                var failures: [ECRShapes.LayerFailure] = []
                for digest in input.layerDigests {
                    guard BlobStore.isValidDigest(digest) else {
                        failures.append(ECRShapes.LayerFailure(
                            failureCode: "InvalidLayerDigest", failureReason: "Invalid layer digest", layerDigest: digest))
                        continue
                    }
                    if let held = try Blobs.held(digest, in: repository, db) {
                        layers.append(ECRShapes.Layer(
                            layerAvailability: "AVAILABLE", layerDigest: digest, layerSize: held.size, mediaType: held.mediaType))
                    } else {
                        failures.append(ECRShapes.LayerFailure(
                            failureCode: "MissingLayerDigest", failureReason: "Could not find layer", layerDigest: digest))
                    }
                }
                return ECRShapes.BatchCheckLayerAvailabilityResponse(failures: failures, layers: layers)
            }
        }

        r.register(ECROperation.GetDownloadUrlForLayer.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:GetDownloadUrlForLayer", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            let signer = try DownloadURL(store: context.store)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                guard try Blobs.held(input.layerDigest, in: repository, db) != nil else {
                    throw ECRError.layersNotFound(input.layerDigest, repository.name, scope.accountId)
                }
                let url = signer.url(host: scope.host, digest: input.layerDigest, expires: context.now.adding(seconds: DownloadURL.lifetime))
                return ECRShapes.GetDownloadUrlForLayerResponse(downloadUrl: url, layerDigest: input.layerDigest)
            }
        }
    }

    static func upload(_ id: String, _ repository: RepositoryRecord, _ scope: RegistryScope, _ db: Database) throws -> LayerUploadRecord {
        guard let upload = try LayerUploadRecord.fetchOne(db, key: id), upload.repositoryArn == repository.arn else {
            throw ECRError.uploadNotFound(id, repository.name, scope.accountId)
        }
        return upload
    }
}

/// Blob bookkeeping shared by the layer API and the registry.
public enum Blobs {
    /// Records that `repository` holds the blob (its file is already in place).
    public static func record(_ digest: String, size: Int64, in repository: RepositoryRecord, mediaType: String?, at time: Double, _ db: Database) throws {
        if try BlobRecord.fetchOne(db, key: digest) == nil {
            try BlobRecord(digest: digest, size: size, createdAt: time).insert(db)
        }
        try RepositoryBlobRecord(repositoryArn: repository.arn, digest: digest, mediaType: mediaType, addedAt: time).save(db)
    }

    /// The blob's size and media type when `repository` holds it.
    public static func held(_ digest: String, in repository: RepositoryRecord, _ db: Database) throws -> (size: Int64, mediaType: String?)? {
        guard let row = try Row.fetchOne(db, cached: """
            SELECT b.size, r.mediaType FROM repositoryBlob r JOIN blob b ON b.digest = r.digest
            WHERE r.repositoryArn = ? AND r.digest = ?
            """, arguments: [repository.arn, digest])
        else { return nil }
        return (row[0], row[1])
    }
}
