import AWSShapes
import ServiceKit
import Storage

/// A repository named by an operation's input, loaded in its transaction with
/// its tags: authorized on its ARN in the registry the request addresses
/// (`registryId` may name another account, whose repository policy then
/// decides), with exactly the facts `ECRResources` gives the authorizer;
/// acted on if it exists.
struct RepositoryTarget: OperationTarget {
    let name: String
    let scope: RegistryScope
    let repository: RepositoryRecord?
    let tags: [TagRecord]
    /// The registry policy enforced on requests to the registry (scope V2), if any.
    let registryPolicy: String?

    init(_ name: String, _ scope: RegistryScope, _ tx: Transaction) throws {
        self.name = name
        self.scope = scope
        repository = try tx.fetch(RepositoryRecord.self, key: scope.repositoryArn(name))
        tags = try repository.map { try TagRecord.all(of: $0.arn, in: tx) } ?? []
        registryPolicy = try ECRResources.registryPolicy(account: scope.accountId, region: scope.region, tx)
    }

    /// The target of an operation on one repository (`registryId`, `repositoryName`).
    static func named(_ input: some RepositoryRequest, _ context: OperationContext, _ tx: Transaction) throws -> RepositoryTarget {
        try RepositoryTarget(input.repositoryName, RegistryScope(registryId: input.registryId, context), tx)
    }

    /// Every repository of the registry (`repository/*`), which is no repository's name.
    init(everyRepositoryIn scope: RegistryScope) {
        name = "*"
        self.scope = scope
        repository = nil
        tags = []
        registryPolicy = nil
    }

    var resource: String { scope.repositoryArn(name) }
    var facts: ResourceFacts {
        .loaded(ECRResources.information(
            repository, tags: tags, registryPolicy: registryPolicy, account: scope.accountId, region: scope.region))
    }

    /// The request for `action` on this repository.
    func request(_ action: String, keys: [String: [String]] = [:]) -> AccessRequest {
        AccessRequest(action: action, resource: resource, keys: keys, facts: facts)
    }

    /// The repository, or ECR's RepositoryNotFoundException.
    func existing() throws -> RepositoryRecord {
        guard let repository else { throw ECRError.repositoryNotFound(name, scope.accountId) }
        return repository
    }
}

/// Repositories an operation names in a list (DescribeRepositories,
/// BatchGetRepositoryScanningConfiguration): each is authorized on its own
/// ARN, in the order named.
struct RepositoryTargets: OperationTarget {
    let each: [RepositoryTarget]

    // The requests are `each`'s; as one target the list names no resource of its own.
    var resource: String { "*" }
    var facts: ResourceFacts { .loaded(nil) }

    func requests(_ action: String) -> [AccessRequest] { each.map { $0.request(action) } }
}

/// An operation's input that names one repository of a registry.
protocol RepositoryRequest: Sendable {
    var registryId: String? { get }
    var repositoryName: String { get }
}

extension ECRShapes.BatchCheckLayerAvailabilityRequest: RepositoryRequest {}
extension ECRShapes.BatchDeleteImageRequest: RepositoryRequest {}
extension ECRShapes.BatchGetImageRequest: RepositoryRequest {}
extension ECRShapes.CompleteLayerUploadRequest: RepositoryRequest {}
extension ECRShapes.CreateRepositoryRequest: RepositoryRequest {}
extension ECRShapes.DeleteLifecyclePolicyRequest: RepositoryRequest {}
extension ECRShapes.DeleteRepositoryPolicyRequest: RepositoryRequest {}
extension ECRShapes.DeleteRepositoryRequest: RepositoryRequest {}
extension ECRShapes.DescribeImageReplicationStatusRequest: RepositoryRequest {}
extension ECRShapes.DescribeImageScanFindingsRequest: RepositoryRequest {}
extension ECRShapes.DescribeImageSigningStatusRequest: RepositoryRequest {}
extension ECRShapes.DescribeImagesRequest: RepositoryRequest {}
extension ECRShapes.GetDownloadUrlForLayerRequest: RepositoryRequest {}
extension ECRShapes.GetLifecyclePolicyPreviewRequest: RepositoryRequest {}
extension ECRShapes.GetLifecyclePolicyRequest: RepositoryRequest {}
extension ECRShapes.GetRepositoryPolicyRequest: RepositoryRequest {}
extension ECRShapes.InitiateLayerUploadRequest: RepositoryRequest {}
extension ECRShapes.ListImageReferrersRequest: RepositoryRequest {}
extension ECRShapes.ListImagesRequest: RepositoryRequest {}
extension ECRShapes.PutImageRequest: RepositoryRequest {}
extension ECRShapes.PutImageScanningConfigurationRequest: RepositoryRequest {}
extension ECRShapes.PutImageTagMutabilityRequest: RepositoryRequest {}
extension ECRShapes.PutLifecyclePolicyRequest: RepositoryRequest {}
extension ECRShapes.SetRepositoryPolicyRequest: RepositoryRequest {}
extension ECRShapes.StartImageScanRequest: RepositoryRequest {}
extension ECRShapes.StartLifecyclePolicyPreviewRequest: RepositoryRequest {}
extension ECRShapes.UpdateImageStorageClassRequest: RepositoryRequest {}
extension ECRShapes.UploadLayerPartRequest: RepositoryRequest {}
