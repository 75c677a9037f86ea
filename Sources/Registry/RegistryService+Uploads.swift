import ECR
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Storage

extension RegistryService {
    /// POST …/blobs/uploads/: a new upload, a monolithic upload (`?digest=`),
    /// or a cross-repository mount (`?mount=&from=`).
    func startUpload(_ name: String, _ request: RegistryRequest, _ caller: Caller) async throws -> RegistryResponse {
        let repository = try repository(name, authorizing: "ecr:InitiateLayerUpload", caller)
        if let digest = request.query["mount"], let from = request.query["from"], BlobStore.isValidDigest(digest),
            let mounted = try await mount(digest, from: from, into: repository, caller)
        {
            return mounted
        }
        let id = environment.ids.uuid()
        try uploads.start(id, at: caller.context.now.secondsSince1970) { _ in repository.arn }
        if let digest = request.query["digest"] {
            try authorize("ecr:UploadLayerPart", name, caller)
            try authorize("ecr:CompleteLayerUpload", name, caller)
            return try await exclusively(id) {
                let size = try await receive(id, at: 0, request.body)
                return try await complete(id, size: size, digest: digest, repository, name, caller)
            }
        }
        return RegistryResponse(status: 202, headers: [
            ("Location", location(name, "blobs/uploads/\(id)")), ("Range", "0-0"), ("Content-Length", "0"),
        ])
    }

    /// A blob another repository of the same registry holds, linked without copying.
    private func mount(_ digest: String, from source: String, into repository: RepositoryRecord, _ caller: Caller) async throws -> RegistryResponse? {
        let sourceArn = caller.arn(source)
        do {
            try authorize("ecr:BatchGetImage", source, caller)
            try authorize("ecr:GetDownloadUrlForLayer", source, caller)
        } catch {
            return nil
        }
        let now = caller.context.now.secondsSince1970
        let mounted = try environment.store.transaction(.write) { tx -> Bool in
            guard let sourceRepository = try tx.fetch(RepositoryRecord.self, key: sourceArn),
                let held = try Blobs.held(digest, in: sourceRepository, tx)
            else { return false }
            try Blobs.record(digest, size: held.size, in: repository, mediaType: held.mediaType, at: now, tx)
            return true
        }
        guard mounted else { return nil }
        return RegistryResponse(status: 201, headers: [
            ("Location", location(repository.name, "blobs/\(digest)")), ("Docker-Content-Digest", digest), ("Content-Length", "0"),
        ])
    }

    /// PATCH: the next chunk, which must start where the upload ends.
    func patchUpload(_ name: String, _ id: String, _ request: RegistryRequest, _ caller: Caller) async throws -> RegistryResponse {
        let repository = try repository(name, authorizing: "ecr:UploadLayerPart", caller)
        return try await exclusively(id) {
            let upload = try await upload(id, repository)
            if let range = request.header("content-range") {
                let start = Int64(range.split(separator: "-").first.map { $0.filter(\.isNumber) } ?? "") ?? upload.size
                if start != upload.size { throw RegistryError.partOutOfOrder(expected: upload.size, got: start) }
            }
            let size = try await receive(id, at: upload.size, request.body)
            return RegistryResponse(status: 202, headers: [
                ("Location", location(name, "blobs/uploads/\(id)")), ("Range", "0-\(max(0, size - 1))"), ("Content-Length", "0"),
            ])
        }
    }

    /// PUT `?digest=`: the last chunk (if any), then the digest must match.
    func finishUpload(_ name: String, _ id: String, _ request: RegistryRequest, _ caller: Caller) async throws -> RegistryResponse {
        let repository = try repository(name, authorizing: "ecr:CompleteLayerUpload", caller)
        return try await exclusively(id) {
            let upload = try await upload(id, repository)
            guard let digest = request.query["digest"] else { throw RegistryError.digestInvalid("digest parameter is required") }
            let size = try await receive(id, at: upload.size, request.body)
            return try await complete(id, size: size, digest: digest, repository, name, caller)
        }
    }

    func uploadStatus(_ name: String, _ id: String, _ caller: Caller) async throws -> RegistryResponse {
        let repository = try repository(name, authorizing: "ecr:UploadLayerPart", caller)
        let upload = try await upload(id, repository)
        return RegistryResponse(status: 204, headers: [
            ("Location", location(name, "blobs/uploads/\(id)")), ("Range", "0-\(max(0, upload.size - 1))"), ("Content-Length", "0"),
        ])
    }

    func cancelUpload(_ name: String, _ id: String, _ caller: Caller) async throws -> RegistryResponse {
        let repository = try repository(name, authorizing: "ecr:UploadLayerPart", caller)
        return try await exclusively(id) {
            let upload = try await upload(id, repository)
            try uploads.cancel(upload.id)
            return RegistryResponse(status: 204, headers: [("Content-Length", "0")])
        }
    }

    /// Runs `body` as the only request on the upload: a second one is refused
    /// while it runs, so two never write to one file and none writes to a file
    /// being committed. Read the upload's row inside: a completed upload's row
    /// is gone by the time its claim is released, so it stays unknown.
    private func exclusively(_ id: String, _ body: () async throws -> RegistryResponse) async throws -> RegistryResponse {
        try await uploads.exclusively(id, inUse: RegistryError.uploadInUse(id), body)
    }

    private var uploads: BlobUploads { environment.store.uploads }

    private func upload(_ id: String, _ repository: RepositoryRecord) async throws -> LayerUploadRecord {
        guard let upload = try environment.store.transaction(.read, { tx in try tx.fetch(LayerUploadRecord.self, key: id) }),
            upload.repositoryArn == repository.arn
        else { throw RegistryError.uploadUnknown(id) }
        return upload
    }

    /// Streams the body into the upload at `offset`, hashing as it goes;
    /// returns the upload's size.
    private func receive(_ id: String, at offset: Int64, _ body: RequestBody) async throws -> Int64 {
        do {
            let upload = try uploads.open(id, at: offset)
            try await upload.write(from: body.next)
            return try uploads.finish(upload, at: environment.clock.now().secondsSince1970)
        } catch let error as BlobUpload.FileError {
            switch error {
            case .missing: throw RegistryError.uploadUnknown(id)
            case .unwritable: throw RegistryError("BLOB_UPLOAD_INVALID", "cannot write the upload", status: 500)
            }
        }
    }

    /// Verifies the digest (outside any transaction) and commits the blob into the repository.
    private func complete(
        _ id: String, size: Int64, digest: String, _ repository: RepositoryRecord, _ name: String, _ caller: Caller
    ) async throws -> RegistryResponse {
        let hashed = try await uploads.digest(of: id, size: size)
        guard hashed.digest == digest else { throw RegistryError.digestMismatch }
        let now = caller.context.now.secondsSince1970
        try uploads.commit(hashed, at: now) { tx in
            try Blobs.record(digest, size: hashed.size, in: repository, mediaType: nil, at: now, tx)
        }
        return RegistryResponse(status: 201, headers: [
            ("Location", location(name, "blobs/\(digest)")), ("Docker-Content-Digest", digest), ("Content-Length", "0"),
        ])
    }
}
