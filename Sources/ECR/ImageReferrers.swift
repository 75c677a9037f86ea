import AWSShapes
import JSON
import ServiceKit
import Storage

/// ListImageReferrers: the images of a repository whose manifest names the
/// given digest as its `subject` (signatures, SBOMs, attestations).
enum ImageReferrers {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.ListImageReferrers.self, .transaction(.read, target: RepositoryTarget.named, act: list))
    }

    static func list(
        _ input: ECRShapes.ListImageReferrersRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.ListImageReferrersResponse {
        let repository = try target.existing()
        let types = input.filter?.artifactTypes ?? []
        // Every stored image is ACTIVE: Gatehouse does not archive.
        let status = input.filter?.artifactStatus ?? "ACTIVE"
        let page = try TokenPage<ImageRecord>(nextToken: input.nextToken, maxResults: input.maxResults, fetch: { after, limit in
            guard status == "ACTIVE" || status == "ANY" else { return [] }
            return try ImageRecord.referrers(
                repositoryArn: repository.arn, subject: input.subjectId.imageDigest, artifactTypes: types, after: after, limit: limit, in: tx)
        }, key: \.digest)
        let referrers = page.items.map { image in
            ECRShapes.ImageReferrer(
                annotations: annotations(Array(image.manifest)), artifactStatus: "ACTIVE", artifactType: image.artifactMediaType,
                digest: image.digest, mediaType: image.mediaType, size: Int64(image.manifest.count))
        }
        return ECRShapes.ListImageReferrersResponse(nextToken: page.nextToken, referrers: referrers)
    }

    /// The manifest's own `annotations`, as the OCI referrers API reports them.
    static func annotations(_ manifest: [UInt8]) -> [String: String]? {
        guard let object = (try? JSONParser.parse(manifest))?["annotations"]?.objectValue else { return nil }
        var result: [String: String] = [:]
        for (key, value) in object.members {
            if let text = value.stringValue { result[key] = text }
        }
        return result.isEmpty ? nil : result
    }
}
