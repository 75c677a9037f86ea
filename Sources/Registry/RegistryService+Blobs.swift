import ECR
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Storage

extension RegistryService {
    /// HEAD answers `ecr:BatchCheckLayerAvailability`, GET `ecr:GetDownloadUrlForLayer`;
    /// GET streams the file, honouring a single `Range`.
    ///
    /// A HEAD has no body to carry a denial, so a refused probe reads as "not
    /// here": the client goes on to the upload, whose refusal names the action
    /// (ECR's push denials name ecr:InitiateLayerUpload).
    func getBlob(_ name: String, _ digest: String, _ request: RegistryRequest, _ caller: Caller, head: Bool) async throws -> RegistryResponse {
        let found: (size: Int64, mediaType: String?)?
        do {
            found = try environment.store.transaction(.read) { tx in
                let repository = try repository(
                    name, authorizing: head ? "ecr:BatchCheckLayerAvailability" : "ecr:GetDownloadUrlForLayer", caller, in: tx)
                guard BlobStore.isValidDigest(digest), try !ImageStorageClasses.onlyArchivedHold(digest, in: repository, tx) else { return nil }
                return try Blobs.held(digest, in: repository, tx)
            }
        } catch let denied as RegistryError where head && denied.code == "DENIED" {
            throw RegistryError.blobUnknown(digest)
        }
        guard let held = found, var path = environment.store.blobs.path(of: digest) else { throw RegistryError.blobUnknown(digest) }
        if !head {
            // Only bytes that hash to the digest and have the recorded size are served.
            guard let verified = await environment.store.blobs.verifiedFile(digest, size: held.size) else {
                throw RegistryError.blobUnknown(digest)
            }
            path = verified.path
        }
        var headers = [
            ("Docker-Content-Digest", digest), ("Content-Type", held.mediaType ?? "application/octet-stream"),
            ("Accept-Ranges", "bytes"), ("ETag", "\"\(digest)\""),
        ]
        if !head, let range = request.header("range"), let (start, end) = Self.byteRange(range, size: held.size) {
            headers.append(("Content-Range", "bytes \(start)-\(end)/\(held.size)"))
            headers.append(("Content-Length", String(end - start + 1)))
            return RegistryResponse(status: 206, headers: headers, body: .file(path: path.path, offset: start, length: end - start + 1))
        }
        headers.append(("Content-Length", String(held.size)))
        return RegistryResponse(status: 200, headers: headers, body: .file(path: path.path, offset: 0, length: held.size))
    }

    /// `bytes=START-END`, `bytes=START-`, `bytes=-SUFFIX`; nil when unusable.
    static func byteRange(_ header: String, size: Int64) -> (Int64, Int64)? {
        guard header.hasPrefix("bytes="), size > 0 else { return nil }
        let spec = header.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0 else { return nil }
            return (max(0, size - suffix), size - 1)
        }
        guard let start = Int64(first), start < size else { return nil }
        let end = last.isEmpty ? size - 1 : min(Int64(last) ?? size - 1, size - 1)
        return end >= start ? (start, end) : nil
    }
}
