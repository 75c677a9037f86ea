import AWSShapes
import GRDB
import JSON
import ServiceKit
import Storage

/// ListImageReferrers: the images of a repository whose manifest names the
/// given digest as its `subject` (signatures, SBOMs, attestations).
enum ImageReferrers {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.ListImageReferrers.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:ListImageReferrers", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                let images = try ImageRecord.fetchAll(
                    db, cached: "SELECT * FROM image WHERE repositoryArn = ? AND subjectDigest = ? ORDER BY digest",
                    arguments: [repository.arn, input.subjectId.imageDigest])
                let types = input.filter?.artifactTypes ?? []
                // Every stored image is ACTIVE: Gatehouse does not archive.
                let status = input.filter?.artifactStatus ?? "ACTIVE"
                let referrers = images.filter { types.isEmpty || types.contains($0.artifactMediaType ?? "") }
                    .filter { _ in status == "ACTIVE" || status == "ANY" }
                    .map { image in
                        ECRShapes.ImageReferrer(
                            annotations: annotations(Array(image.manifest)), artifactStatus: "ACTIVE", artifactType: image.artifactMediaType,
                            digest: image.digest, mediaType: image.mediaType, size: Int64(image.manifest.count))
                    }
                let page = try TokenPage(referrers, key: \.digest, nextToken: input.nextToken, maxResults: input.maxResults)
                return ECRShapes.ListImageReferrersResponse(nextToken: page.nextToken, referrers: page.items)
            }
        }
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
