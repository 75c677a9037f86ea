import AWSShapes
import ECR
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import Storage

extension RegistryService {
    /// GET/HEAD answer `ecr:BatchGetImage`; a GET records the pull time.
    func getManifest(_ name: String, _ reference: String, _ caller: Caller, head: Bool) async throws -> RegistryResponse {
        let byDigest = reference.hasPrefix("sha256:")
        let (repository, found) = try environment.store.transaction(.read) { tx -> (RepositoryRecord, ImageRecord?) in
            let loaded = try self.repository(name, authorizing: "ecr:BatchGetImage", caller, in: tx)
            return (loaded, try ImageStore.resolve(digest: byDigest ? reference : nil, tag: byDigest ? nil : reference, in: loaded, tx))
        }
        // An archived image cannot be pulled: ECR answers 404 (User Guide, "Archiving an image"; the
        // registry's words for it are not recorded, so they are its usual 404 for a manifest's).
        guard let image = found, image.storageClass != "ARCHIVE" else { throw RegistryError.manifestUnknown }
        if !head {
            try await PullRecorder.record([image.digest], in: repository.arn, at: caller.context.now.secondsSince1970, environment.store)
        }
        return RegistryResponse(
            status: 200,
            headers: [
                ("Content-Type", image.mediaType), ("Docker-Content-Digest", image.digest),
                ("Content-Length", String(image.manifest.count)), ("ETag", "\"\(image.digest)\""),
            ],
            body: .bytes(Array(image.manifest)))
    }

    /// PUT answers `ecr:PutImage`, with ECR's rules: referenced blobs must be in
    /// the repository, immutable tags do not move; pushing the same image again succeeds.
    func putManifest(_ name: String, _ reference: String, _ request: RegistryRequest, _ caller: Caller) async throws -> RegistryResponse {
        let repository = try repository(name, authorizing: "ecr:PutImage", caller)
        guard let bytes = try await request.body.collect(limit: Self.manifestLimit) else {
            throw RegistryError.manifestInvalid("The manifest is too large")
        }
        let byDigest = reference.hasPrefix("sha256:")
        let declared = request.header("content-type").map { String($0.split(separator: ";").first ?? "") }
        let now = caller.context.now.secondsSince1970
        let digest: String
        do {
            digest = try environment.store.transaction(.write) { tx in
                try ImageStore.put(
                    manifest: bytes, contentType: declared, tag: byDigest ? nil : reference,
                    expectedDigest: byDigest ? reference : nil, repository: repository, now: now, tx
                ).image.digest
            }
        } catch let error as AWSError {
            switch error.code {
            case "ImageAlreadyExistsException":
                digest = ManifestDigest.of(bytes)
            case "ImageTagAlreadyExistsException":
                throw RegistryError("TAG_INVALID", error.message ?? "", status: 400)
            case "LayersNotFoundException":
                throw RegistryError("MANIFEST_BLOB_UNKNOWN", error.message ?? "", status: 400)
            case "ReferencedImagesNotFoundException":
                throw RegistryError("MANIFEST_UNKNOWN", error.message ?? "", status: 400)
            case "ImageDigestDoesNotMatchException":
                throw RegistryError.digestInvalid(error.message ?? "")
            case "LimitExceededException":
                throw RegistryError.denied(error.message ?? "")
            // ECR's registry passes PutImage's InvalidParameterException on as UNSUPPORTED (405):
            // "Invalid JSON syntax" (containers/image#584, opcr-io/policy#149), the layer limit
            // (wire-sts-ecr.md §7), an invalid tag (kbld docs).
            case "InvalidParameterException":
                throw RegistryError.unsupported(error.message ?? "")
            default:
                throw RegistryError.manifestInvalid(error.message ?? "")
            }
        }
        return RegistryResponse(status: 201, headers: [
            ("Location", location(name, "manifests/\(digest)")), ("Docker-Content-Digest", digest), ("Content-Length", "0"),
        ])
    }

    /// DELETE answers `ecr:BatchDeleteImage`: a digest deletes the image, a tag removes the tag.
    func deleteManifest(_ name: String, _ reference: String, _ caller: Caller) async throws -> RegistryResponse {
        let found = try environment.store.transaction(.write) { tx -> Bool in
            let repository = try self.repository(name, authorizing: "ecr:BatchDeleteImage", caller, in: tx)
            if reference.hasPrefix("sha256:") {
                guard try ImageRecord.find(repositoryArn: repository.arn, digest: reference, in: tx) != nil else { return false }
                try ImageStore.deleteImage(reference, in: repository, tx)
                return true
            }
            return try ImageStore.untag(reference, in: repository, tx) != nil
        }
        guard found else { throw RegistryError.manifestUnknown }
        return RegistryResponse(status: 202, headers: [("Content-Length", "0")])
    }

    /// `GET …/tags/list?n=&last=`, answered as `ecr:ListImages`.
    func listTags(_ name: String, _ request: RegistryRequest, _ caller: Caller) async throws -> RegistryResponse {
        var tags = try environment.store.transaction(.read) { tx in
            try ImageTagRecord.all(repositoryArn: try repository(name, authorizing: "ecr:ListImages", caller, in: tx).arn, in: tx)
        }
        if let last = request.query["last"] { tags = tags.filter { $0 > last } }
        var headers = [("Content-Type", "application/json")]
        if let n = request.query["n"].flatMap(Int.init), n >= 0, tags.count > n {
            tags = Array(tags.prefix(n))
            if let last = tags.last {
                headers.append(("Link", "<\(location(name, "tags/list"))?last=\(last)&n=\(n)>; rel=\"next\""))
            }
        }
        var w = JSONWriter()
        w.objectStart()
        w.key("name")
        w.value(name)
        w.key("tags")
        w.arrayStart()
        for tag in tags { w.value(tag) }
        w.arrayEnd()
        w.objectEnd()
        return RegistryResponse(status: 200, headers: headers, body: .bytes(w.bytes))
    }

    /// The referrers API: an OCI index of the manifests whose `subject` is `digest`.
    func referrers(_ name: String, _ digest: String, _ request: RegistryRequest, _ caller: Caller) async throws -> RegistryResponse {
        let images = try environment.store.transaction(.read) { tx in
            try ImageRecord.withSubject(digest, repositoryArn: try repository(name, authorizing: "ecr:BatchGetImage", caller, in: tx).arn, in: tx)
        }
        let filter = request.query["artifactType"]
        var w = JSONWriter()
        w.objectStart()
        w.key("schemaVersion")
        w.value(2)
        w.key("mediaType")
        w.value(Manifest.MediaType.ociIndex)
        w.key("manifests")
        w.arrayStart()
        for image in images {
            let artifactType = image.artifactMediaType
            if let filter, artifactType != filter { continue }
            w.objectStart()
            w.key("mediaType")
            w.value(image.mediaType)
            w.key("digest")
            w.value(image.digest)
            w.key("size")
            w.value(image.manifest.count)
            if let artifactType {
                w.key("artifactType")
                w.value(artifactType)
            }
            if let annotations = (try? JSONParser.parse(Array(image.manifest)))?["annotations"] {
                w.key("annotations")
                w.value(annotations)
            }
            w.objectEnd()
        }
        w.arrayEnd()
        w.objectEnd()
        var headers = [("Content-Type", Manifest.MediaType.ociIndex)]
        if filter != nil { headers.append(("OCI-Filters-Applied", "artifactType")) }
        return RegistryResponse(status: 200, headers: headers, body: .bytes(w.bytes))
    }
}
