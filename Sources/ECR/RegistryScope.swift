import AWSShapes
import ServiceKit

/// Which registry a request addresses: an account (`registryId`, default the
/// caller's) in the region the request was signed for.
struct RegistryScope: Sendable {
    let accountId: String
    let region: String
    /// `host:port` clients reach the registry at.
    let host: String

    init(registryId: String?, _ context: OperationContext) {
        accountId = registryId ?? context.accountId
        region = context.region
        host = context.environment.settings.registryHost(account: accountId, region: region)
    }

    /// A registry named outright (background work, which has no request).
    init(accountId: String, region: String, host: String = "") {
        self.accountId = accountId
        self.region = region
        self.host = host
    }

    func repositoryArn(_ name: String) -> String {
        "arn:aws:ecr:\(region):\(accountId):repository/\(name)"
    }

    /// The URI a client pushes to and pulls from. By default Gatehouse serves
    /// every account and region on one host (no DNS needed) and the login
    /// token says which registry a request is for; with a registry domain the
    /// host names it, as in ECR.
    func repositoryUri(_ name: String) -> String { "\(host)/\(name)" }

    /// The ARN a repository-level action is authorized on, with the registry's account.
    func access(_ action: String, _ name: String, keys: [String: [String]] = [:]) -> AccessRequest {
        AccessRequest(action: action, resource: repositoryArn(name), keys: keys)
    }
}
