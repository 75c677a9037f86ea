import ServiceKit
import Storage

/// What the authorizer needs of an ECR repository: its policy (a
/// resource-based policy on every request to it), owner and tags.
public struct ECRResources: ResourceProvider {
    public let arnService = "ecr"

    public init() {}

    public func information(about resource: String, action: String, in tx: Transaction) throws -> ResourceInformation? {
        guard let repository = try tx.fetch(RepositoryRecord.self, key: resource) else { return nil }
        return Self.information(repository, tags: try TagRecord.all(of: repository.arn, in: tx))
    }

    /// A repository's facts, from its row and its tags: what `RepositoryTarget`
    /// hands the authorizer too, so both decide alike.
    public static func information(_ repository: RepositoryRecord, tags: [TagRecord]) -> ResourceInformation {
        ResourceInformation(
            policy: repository.policy, ownerAccountId: repository.accountId,
            tags: Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
            dependencies: [.resource(repository.arn)])
    }
}
