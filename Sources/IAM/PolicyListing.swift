import ServiceKit
import Storage
import Synchronization

/// The order IAM lists managed policies in, customer and AWS managed
/// together: name ignoring case, then exactly, then ARN (an account may have
/// a policy named like an AWS managed one). A listing position is the ARN of
/// the last policy listed: unique, and its last part is the name.
///
/// Names are ASCII (the model's `[\w+=,.@-]+`), so `lowercased()` here and
/// SQLite's `lower()` in `ManagedPolicyRecord.page` fold alike, and both
/// compare the rest byte by byte.
enum PolicyListing {
    struct Key: Comparable {
        var folded: String
        var name: String
        var arn: String

        static func < (a: Key, b: Key) -> Bool { (a.folded, a.name, a.arn) < (b.folded, b.name, b.arn) }
    }

    static func key(_ policy: ManagedPolicies.Info) -> Key { Key(folded: policy.name.lowercased(), name: policy.name, arn: policy.arn) }

    static func key(_ policy: ManagedPolicyCatalog.Policy) -> Key { Key(folded: policy.name.lowercased(), name: policy.name, arn: policy.arn) }

    /// The key of a listing position.
    static func key(arn: String) -> Key {
        let name = IAMArn.name(of: arn)
        return Key(folded: name.lowercased(), name: name, arn: arn)
    }

    /// Up to `limit` + 1 AWS managed policies after `position`, in IAM's
    /// order, under a path prefix and used by the account as `usage` says
    /// (nil: all). The catalog is put in IAM's order once, keys and listing
    /// entries made then; a page is a binary search and a walk from there,
    /// with one indexed look-up per policy when a usage is asked for.
    static func awsManaged(
        _ catalog: ManagedPolicyCatalog, after position: String?, pathPrefix: String, usage: PolicyUsage?, limit: Int,
        account: String, _ tx: Transaction
    ) throws -> [(key: Key, info: ManagedPolicies.Info)] {
        let ordered = inOrder(catalog)
        var index = 0
        if let position {
            let start = key(arn: position)
            var high = ordered.count
            while index < high {
                let middle = (index + high) / 2
                if ordered[middle].key > start { high = middle } else { index = middle + 1 }
            }
        }
        var found: [(key: Key, info: ManagedPolicies.Info)] = []
        while index < ordered.count, found.count <= limit {
            let entry = ordered[index]
            index += 1
            guard pathPrefix == "/" || entry.info.path.hasPrefix(pathPrefix) else { continue }
            if let usage, try !ManagedPolicyRecord.isUsed(entry.info.arn, as: usage, account: account, in: tx) { continue }
            found.append(entry)
        }
        return found
    }

    private final class Ordered: Sendable {
        let latest = Mutex<(catalog: ManagedPolicyCatalog, policies: [(key: Key, info: ManagedPolicies.Info)])?>(nil)
    }

    private static let ordered = Ordered()

    /// The catalog in IAM's order with each policy's key and listing entry,
    /// kept for the catalog it was made from (the catalog never changes).
    private static func inOrder(_ catalog: ManagedPolicyCatalog) -> [(key: Key, info: ManagedPolicies.Info)] {
        if let latest = ordered.latest.withLock({ $0 }), latest.catalog === catalog { return latest.policies }
        let policies = catalog.all.map { policy in (key: key(policy), info: ManagedPolicies.info(policy)) }.sorted { $0.key < $1.key }
        ordered.latest.withLock { $0 = (catalog, policies) }
        return policies
    }
}
