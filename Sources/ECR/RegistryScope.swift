import AWSShapes
import Hashing
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

    /// The AWS managed KMS key for ECR (`aws/ecr`) as ECR reports it for a repository
    /// encrypted with `KMS` and no key of its own: by key id, not by alias (research §11,
    /// terraform-provider-aws `TestAccECRRepository_Encryption_kms` matches `key/<UUID>`). AWS
    /// makes the key once per account and region; here its id is derived from them, so it stays
    /// the same across restarts, snapshots and servers.
    var awsManagedKeyArn: String {
        let hex = Array(Hex.encode(SHA256.hash(Array("aws/ecr:\(accountId):\(region)".utf8))).prefix(32))
        var id = hex
        id[12] = "4"  // a version 4 UUID, as KMS key ids are
        id[16] = ["8", "9", "a", "b"][Int(String(hex[16]), radix: 16)! % 4]
        let uuid = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(id[$0]) }.joined(separator: "-")
        return "arn:aws:kms:\(region):\(accountId):key/\(uuid)"
    }

    /// The ARN a repository-level action is authorized on, with the registry's account.
    func access(_ action: String, _ name: String, keys: [String: [String]] = [:]) -> AccessRequest {
        AccessRequest(action: action, resource: repositoryArn(name), keys: keys)
    }
}
