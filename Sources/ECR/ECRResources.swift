import JSON
import ServiceKit
import Storage

/// What the authorizer needs of an ECR repository: its policy (a
/// resource-based policy on every request to it) together with the registry's
/// policy where ECR enforces it, owner and tags.
public struct ECRResources: ResourceProvider {
    public let arnService = "ecr"

    public init() {}

    public func information(about resource: String, action: String, in tx: Transaction) throws -> ResourceInformation? {
        guard let parts = ARNParts(resource) else { return nil }
        let repository = try tx.fetch(RepositoryRecord.self, key: resource)
        let registryPolicy = try Self.registryPolicy(account: parts.account, region: parts.region, tx)
        return Self.information(
            repository, tags: try repository.map { try TagRecord.all(of: $0.arn, in: tx) } ?? [], registryPolicy: registryPolicy,
            account: parts.account, region: parts.region)
    }

    /// A repository's facts, from its row, its tags and the registry policy ECR
    /// enforces on requests to it (`registryPolicy(account:region:_:)`): what
    /// `RepositoryTarget` and the registry hand the authorizer too, so all decide
    /// alike. A repository that does not exist has the registry policy's facts
    /// alone (CreateRepository from another account), or none.
    public static func information(
        _ repository: RepositoryRecord?, tags: [TagRecord], registryPolicy: String?, account: String, region: String
    ) -> ResourceInformation? {
        guard repository != nil || registryPolicy != nil else { return nil }
        var dependencies: [Dependency] = [RegistrySettingRecord.registryDependency(accountId: account, region: region)]
        if let repository { dependencies.append(.resource(repository.arn)) }
        return ResourceInformation(
            policy: combined(repository?.policy, registryPolicy), ownerAccountId: repository?.accountId ?? account,
            tags: Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }), dependencies: dependencies)
    }

    /// The registry policy ECR enforces on every request to the registry: with the
    /// default scope V2 "Amazon ECR allows all ECR actions in the policy and enforces
    /// the registry policy in all ECR requests"; with V1 only on what replication and
    /// pull through cache do in the registry (ecr:ReplicateImage, ecr:CreateRepository,
    /// ecr:BatchImportUpstreamImage), which they check for themselves (ECR User Guide,
    /// "Private registry permissions in Amazon ECR").
    public static func registryPolicy(account: String, region: String, _ tx: Transaction) throws -> String? {
        let scope = RegistryScope(accountId: account, region: region)
        guard let policy = try RegistrySettings.get(RegistrySettings.policy, scope, tx) else { return nil }
        let version = try RegistrySettings.get(RegistrySettings.account("REGISTRY_POLICY_SCOPE"), scope, tx) ?? "V2"
        return version == "V2" ? policy : nil
    }

    /// Two resource-based policies as one: their statements together. Resource-based
    /// policies are weighed statement by statement (any Allow, unless a Deny), so one
    /// document holding both decides as the two would. A repository policy's statements
    /// without `Resource` still mean the repository; a registry policy's name theirs.
    static func combined(_ repositoryPolicy: String?, _ registryPolicy: String?) -> String? {
        guard let repositoryPolicy else { return registryPolicy }
        guard let registryPolicy else { return repositoryPolicy }
        guard let first = try? JSONParser.parse(repositoryPolicy), let second = try? JSONParser.parse(registryPolicy) else {
            return repositoryPolicy
        }
        func statements(_ policy: JSONValue) -> [JSONValue] {
            switch policy["Statement"] {
            case .array(let list)?: list
            case let single?: [single]
            case nil: []
            }
        }
        var w = JSONWriter()
        w.objectStart()
        w.key("Version")
        w.value(first["Version"]?.stringValue ?? second["Version"]?.stringValue ?? "2012-10-17")
        w.key("Statement")
        w.arrayStart()
        for statement in statements(first) + statements(second) { w.value(statement) }
        w.arrayEnd()
        w.objectEnd()
        return w.string
    }
}
