import ECR
import Foundation
import Hashing
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
        let now = caller.context.now.secondsSince1970
        try environment.store.blobs.createUpload(id)
        try environment.store.transaction(.write) { tx in
            try tx.insert(LayerUploadRecord(id: id, repositoryArn: repository.arn, size: 0, createdAt: now, updatedAt: now))
        }
        if let digest = request.query["digest"] {
            try authorize("ecr:UploadLayerPart", name, caller)
            try authorize("ecr:CompleteLayerUpload", name, caller)
            return try await exclusively(id) {
                try await receive(id, at: 0, request.body)
                return try await complete(id, digest: digest, repository, name, caller)
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
            try await receive(id, at: upload.size, request.body)
            return try await complete(id, digest: digest, repository, name, caller)
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
            try environment.store.transaction(.write) { tx in _ = try tx.delete(upload) }
            environment.store.blobs.discardUpload(id)
            _ = hashers.withLock { $0.removeValue(forKey: id) }
            return RegistryResponse(status: 204, headers: [("Content-Length", "0")])
        }
    }

    /// Runs `body` as the only request on the upload: a second one is refused
    /// while it runs, so two never write to one file and none writes to a file
    /// being committed. Read the upload's row inside: a completed upload's row
    /// is gone by the time its claim is released, so it stays unknown.
    private func exclusively(_ id: String, _ body: () async throws -> RegistryResponse) async throws -> RegistryResponse {
        try await environment.store.blobs.withExclusiveUpload(id, inUse: RegistryError.uploadInUse(id), body)
    }

    private func upload(_ id: String, _ repository: RepositoryRecord) async throws -> LayerUploadRecord {
        guard let upload = try environment.store.transaction(.read, { tx in try tx.fetch(LayerUploadRecord.self, key: id) }),
            upload.repositoryArn == repository.arn
        else { throw RegistryError.uploadUnknown(id) }
        return upload
    }

    /// Streams the body into the upload file at `offset`, hashing as it goes
    /// when the upload has been streamed from its start by this process.
    @discardableResult
    private func receive(_ id: String, at offset: Int64, _ body: RequestBody) async throws -> Int64 {
        let path = environment.store.blobs.uploadPath(id).path
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else { throw RegistryError.uploadUnknown(id) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(offset)) == 0, lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else {
            throw RegistryError("BLOB_UPLOAD_INVALID", "cannot write the upload", status: 500)
        }
        let hasher: StreamingSHA256? = hashers.withLock { table in
            if offset == 0 { table[id] = StreamingSHA256() }
            guard let existing = table[id], existing.byteCount == offset else {
                table[id] = nil
                return nil
            }
            return existing
        }
        var size = offset
        while let chunk = try await body.next() {
            try chunk.withUnsafeBytes { bytes in
                var written = 0
                while written < bytes.count {
                    let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                    guard n > 0 else { throw RegistryError("BLOB_UPLOAD_INVALID", "cannot write the upload", status: 500) }
                    written += n
                }
                hasher?.update(bytes)
            }
            size += Int64(chunk.count)
        }
        let now = environment.clock.now().secondsSince1970
        let recorded = size
        try environment.store.transaction(.write) { tx in try LayerUploadRecord.recordPart(id, size: recorded, at: now, in: tx) }
        return size
    }

    /// Verifies the digest and commits the blob into the repository.
    private func complete(_ id: String, digest: String, _ repository: RepositoryRecord, _ name: String, _ caller: Caller) async throws -> RegistryResponse {
        let blobs = environment.store.blobs
        let streamed = hashers.withLock { $0.removeValue(forKey: id) }
        let size = blobs.uploadSize(id)
        let actual: String
        if let streamed, streamed.byteCount == size {
            actual = streamed.finalize()
        } else {
            actual = try await blobs.digestOfUpload(id)
        }
        guard actual == digest else { throw RegistryError.digestMismatch }
        // Under the upload's claim: no request still writes to the file renamed here.
        try blobs.commitUpload(id, as: digest)
        let now = caller.context.now.secondsSince1970
        try environment.store.transaction(.write) { tx in
            try Blobs.record(digest, size: size, in: repository, mediaType: nil, at: now, tx)
            if let upload = try tx.fetch(LayerUploadRecord.self, key: id) { try tx.delete(upload) }
        }
        return RegistryResponse(status: 201, headers: [
            ("Location", location(name, "blobs/\(digest)")), ("Docker-Content-Digest", digest), ("Content-Length", "0"),
        ])
    }
}
