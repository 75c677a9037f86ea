import AWSShapes

/// AWS's ECR error messages, each written once (docs/research/wire-sts-ecr.md §6).
enum ECRError {
    typealias E = ECRShapes.Errors

    static func repositoryNotFound(_ name: String, _ registry: String) -> AWSError {
        E.repositoryNotFound("The repository with name '\(name)' does not exist in the registry with id '\(registry)'")
    }
    static func repositoryExists(_ name: String, _ registry: String) -> AWSError {
        E.repositoryAlreadyExists("The repository with name '\(name)' already exists in the registry with id '\(registry)'")
    }
    static func repositoryNotEmpty(_ name: String, _ registry: String) -> AWSError {
        E.repositoryNotEmpty(
            "The repository with name '\(name)' in registry with id '\(registry)' cannot be deleted because it still contains images")
    }
    static func imageNotFound(digest: String?, tag: String?, _ name: String, _ registry: String) -> AWSError {
        E.imageNotFound(
            "The image with imageId {imageDigest:'\(digest ?? "null")', imageTag:'\(tag ?? "null")'} does not exist within the repository with name '\(name)' in the registry with id '\(registry)'")
    }
    static func imageExists(digest: String, tag: String?, _ name: String, _ registry: String) -> AWSError {
        let tagged = tag.map { " and tag '\($0)'" } ?? ""
        return E.imageAlreadyExists(
            "Image with digest '\(digest)'\(tagged) already exists in the repository with name '\(name)' in registry with id '\(registry)'")
    }
    static func immutableTag(_ tag: String, _ name: String) -> AWSError {
        E.imageTagAlreadyExists(
            "The image tag '\(tag)' already exists in the '\(name)' repository and cannot be overwritten because the repository is immutable.")
    }
    static func layersNotFound(_ digest: String, _ name: String, _ registry: String) -> AWSError {
        E.layersNotFound(
            "The layer with digest '\(digest)' does not exist within the repository with name '\(name)' in the registry with id '\(registry)'")
    }
    static func referencedImagesNotFound(_ digest: String, _ name: String, _ registry: String) -> AWSError {
        E.referencedImagesNotFound(
            "The image with digest '\(digest)' referenced by the manifest does not exist within the repository with name '\(name)' in the registry with id '\(registry)'")
    }
    static func digestMismatch(_ given: String, _ actual: String) -> AWSError {
        E.imageDigestDoesNotMatch("Provided digest '\(given)' does not match the digest of the manifest, '\(actual)'")
    }
    static func uploadNotFound(_ id: String, _ name: String, _ registry: String) -> AWSError {
        E.uploadNotFound("The upload with id '\(id)' does not exist in the repository with name '\(name)' in registry with id '\(registry)'")
    }
    static func emptyUpload(_ id: String, _ name: String, _ registry: String) -> AWSError {
        E.emptyUpload(
            "The upload with id '\(id)' in the repository with name '\(name)' in registry with id '\(registry)' cannot be completed because it does not have any parts")
    }
    static func invalidLayerPart(expected: Int64, got: Int64, uploadId: String, _ name: String, _ registry: String) -> AWSError {
        E.invalidLayerPart("First byte of the layer part is \(got) instead of \(expected)").with(
            AWSError.Field(name: "registryId", value: .string(registry)),
            AWSError.Field(name: "repositoryName", value: .string(name)),
            AWSError.Field(name: "uploadId", value: .string(uploadId)),
            AWSError.Field(name: "lastValidByteReceived", value: .integer(expected - 1)))
    }
    // A request on an upload another request is still writing or completing.
    // No AWS answer is known for this (ECR's parts are small; ours share the
    // upload with the registry's streaming PATCH): refused with the exception
    // each operation already declares for an upload it cannot take now.
    static func partWhileInUse(_ id: String, _ name: String, _ registry: String) -> AWSError {
        E.invalidLayerPart(
            "The upload with id '\(id)' in the repository with name '\(name)' in registry with id '\(registry)' is in use by another request")
    }
    static func completeWhileInUse(_ id: String, _ name: String, _ registry: String) -> AWSError {
        E.invalidLayer(
            "The upload with id '\(id)' in the repository with name '\(name)' in registry with id '\(registry)' is in use by another request")
    }
    static let digestDoesNotMatch = E.invalidLayer("None of the provided layer digests match the calculated layer digest")
    static func layerExists(_ digest: String, _ name: String, _ registry: String) -> AWSError {
        E.layerAlreadyExists(
            "The layer with digest '\(digest)' already exists in the repository with name '\(name)' in registry with id '\(registry)'")
    }
    static func repositoryPolicyNotFound(_ name: String, _ registry: String) -> AWSError {
        E.repositoryPolicyNotFound(
            "Repository policy does not exist for the repository with name '\(name)' in the registry with id '\(registry)'")
    }
    static func lifecyclePolicyNotFound(_ name: String, _ registry: String) -> AWSError {
        E.lifecyclePolicyNotFound(
            "Lifecycle policy does not exist for the repository with name '\(name)' in the registry with id '\(registry)'")
    }
    static func invalidParameter(_ member: String, _ constraint: String) -> AWSError {
        E.invalidParameter("Invalid parameter at '\(member)' failed to satisfy constraint: '\(constraint)'")
    }
    static let invalidRepositoryPolicy = invalidParameter("PolicyText", "Invalid repository policy provided")
    /// An empty key or one beginning with `aws:`. INFERRED (research §5: the words captured by another
    /// emulator from real ECR refusals of an empty key; none recorded for an `aws:` key). The code is the
    /// model's for tag errors on CreateRepository and TagResource.
    static let invalidTags = E.invalidTagParameter("Tag parameters are invalid")
    static let tooManyTags = E.tooManyTags("The number of tags exceeds the limit of 50 tags per repository")

    /// ECR's lifecycle policy refusal; the JSON-schema failures end without the closing quote (research §6.2).
    static func invalidLifecyclePolicy(_ invalid: LifecycleRules.Invalid) -> AWSError {
        E.invalidParameter(
            "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: \(invalid.reason)"
                + (invalid.closed ? "'" : ""))
    }
    static func lifecyclePreviewNotFound(_ name: String, _ registry: String) -> AWSError {
        E.lifecyclePolicyPreviewNotFound(
            "Lifecycle policy preview does not exist for the repository with name '\(name)' in the registry with id '\(registry)'")
    }

    static let invalidRegistryPolicy = invalidParameter("PolicyText", "Invalid registry policy provided")
    static func registryPolicyNotFound(_ registry: String) -> AWSError {
        E.registryPolicyNotFound("Registry policy does not exist in the registry with id '\(registry)'")
    }
    /// The image identifier as ECR prints it in messages: `{imageDigest:'…', imageTag:'null'}`.
    static func imageIdText(digest: String?, tag: String?) -> String {
        "{imageDigest:'\(digest ?? "null")', imageTag:'\(tag ?? "null")'}"
    }
    static func scanNotFound(digest: String?, tag: String?, _ name: String, _ registry: String) -> AWSError {
        E.scanNotFound(
            "Image scan does not exist for the image with '\(imageIdText(digest: digest, tag: tag))' in the repository with name '\(name)' in the registry with id '\(registry)'")
    }
    static let scanQuotaExceeded = E.limitExceeded("The scan quota per image has been exceeded. Wait and try again.")
    static let unsupportedScanImageType = E.unsupportedImageType("The image type is not supported for scanning.")
    /// ECR lists the allowed values as a Java `HashSet` iterates them, not in the model's order:
    /// `[IMMUTABLE, MUTABLE, MUTABLE_WITH_EXCLUSION, IMMUTABLE_WITH_EXCLUSION]` (research §11).
    static func enumValue(_ member: String, _ values: [String]) -> AWSError {
        let listed = JavaHashMapOrder.iterationOrder(values)
        return invalidParameter(member, "Member must satisfy enum value set: [\(listed.joined(separator: ", "))]")
    }

    static func pullThroughCacheRuleExists(_ prefix: String, _ registry: String) -> AWSError {
        E.pullThroughCacheRuleAlreadyExists(
            "A pull through cache rule with the ecrRepositoryPrefix '\(prefix)' already exists in the registry with id '\(registry)'")
    }
    static func pullThroughCacheRuleNotFound(_ prefix: String, _ registry: String) -> AWSError {
        E.pullThroughCacheRuleNotFound(
            "The pull through cache rule with the ecrRepositoryPrefix '\(prefix)' does not exist in the registry with id '\(registry)'")
    }
    static func unsupportedUpstream(_ url: String) -> AWSError {
        E.unsupportedUpstreamRegistry("The upstream registry URL '\(url)' is not supported.")
    }
    static func templateExists(_ prefix: String, _ registry: String) -> AWSError {
        E.templateAlreadyExists(
            "A repository creation template with the prefix '\(prefix)' already exists in the registry with id '\(registry)'")
    }
    static func templateNotFound(_ prefix: String, _ registry: String) -> AWSError {
        E.templateNotFound(
            "The repository creation template with the prefix '\(prefix)' does not exist in the registry with id '\(registry)'")
    }
    static func signingConfigurationNotFound(_ registry: String) -> AWSError {
        E.signingConfigurationNotFound("Signing configuration does not exist in the registry with id '\(registry)'")
    }
    static func exclusionExists(_ arn: String) -> AWSError {
        E.exclusionAlreadyExists("The principal '\(arn)' is already excluded from pull time updates")
    }
    static func exclusionNotFound(_ arn: String) -> AWSError {
        E.exclusionNotFound("The principal '\(arn)' is not excluded from pull time updates")
    }

    static func imageArchived(digest: String?, tag: String?, _ name: String, _ registry: String) -> AWSError {
        E.imageArchived(
            "The image with imageId \(imageIdText(digest: digest, tag: tag)) in the repository with name '\(name)' in the registry with id '\(registry)' is archived")
    }
    static let storageClassUpdateNotSupported = E.imageStorageClassUpdateNotSupported(
        "The storage class of image indexes and manifest lists cannot be changed")
}
