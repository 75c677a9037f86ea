import ServiceKit
import Storage

/// What the authorizer needs of an ECR repository: its policy (a
/// resource-based policy on every request to it), owner and tags.
public struct ECRResources: ResourceProvider {
    public let arnService = "ecr"

    public init() {}

    public func information(about resource: String, action: String, in tx: Transaction) throws -> ResourceInformation? {
        guard let repository = try tx.fetch(RepositoryRecord.self, key: resource) else { return nil }
        let tags = Dictionary(try TagRecord.all(of: repository.arn, in: tx).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        return ResourceInformation(
            policy: repository.policy, ownerAccountId: repository.accountId, tags: tags, dependencies: [.resource(repository.arn)])
    }
}
