import GRDB
import ServiceKit
import Storage

/// What the authorizer needs of an ECR repository: its policy (a
/// resource-based policy on every request to it), owner and tags.
public struct ECRResources: ResourceProvider {
    public let arnService = "ecr"

    public init() {}

    public func information(about resource: String, action: String, store: Store) throws -> ResourceInformation? {
        try store.read { db -> ResourceInformation? in
            guard let repository = try RepositoryRecord.fetchOne(db, key: resource) else { return nil }
            let tags = Dictionary(try TagRecord.all(db, of: repository.arn).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            return ResourceInformation(policy: repository.policy, ownerAccountId: repository.accountId, tags: tags)
        }
    }
}
