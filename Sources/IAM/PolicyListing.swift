import ServiceKit
import Storage
import Synchronization

/// The orders IAM lists managed policies in. `Scope=AWS` lists AWS managed
/// policies in AWS's own order, the catalog's (recorded: the order they were
/// made in, AdministratorAccess, PowerUserAccess, ReadOnlyAccess,
/// AWSCloudFormationReadOnlyAccess, … — LocalStack
/// test_list_policies_scope_aws, 12-02-2026, and MAMIP's list-policies).
/// The account's own policies, alone or mixed with AWS's (`Local`, `All`),
/// are listed by name ignoring case, then exactly, then ARN (an account may
/// have a policy named like an AWS managed one): AWS's order there is not
/// recorded (INFERRED). A listing position is the ARN of the last policy
/// listed: unique, and its last part is the name.
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

    /// Up to `limit` + 1 AWS managed policies after `position`, by name
    /// (to merge with the account's own), under a path prefix and used by the
    /// account as `usage` says (nil: all). The catalog is put in this order
    /// once, keys and listing entries made then; a page is a binary search and
    /// a walk from there, with one indexed look-up per policy when a usage is
    /// asked for.
    static func awsManaged(
        _ catalog: ManagedPolicyCatalog, after position: String?, pathPrefix: String, usage: PolicyUsage?, limit: Int,
        account: String, _ tx: Transaction
    ) throws -> [(key: Key, info: ManagedPolicies.Info)] {
        let ordered = orders(catalog).byName
        var index = 0
        if let position {
            let start = key(arn: position)
            var high = ordered.count
            while index < high {
                let middle = (index + high) / 2
                if ordered[middle].key > start { high = middle } else { index = middle + 1 }
            }
        }
        return try walk(ordered, from: index, pathPrefix: pathPrefix, usage: usage, limit: limit, account: account, tx)
    }

    /// `Scope=AWS`: up to `limit` + 1 AWS managed policies after `position`, in AWS's order.
    static func awsManagedAsListed(
        _ catalog: ManagedPolicyCatalog, after position: String?, pathPrefix: String, usage: PolicyUsage?, limit: Int,
        account: String, _ tx: Transaction
    ) throws -> [ManagedPolicies.Info] {
        let orders = orders(catalog)
        var index = 0
        if let position {
            guard let last = orders.listedIndex[position] else { throw IAMError.invalidMarker }
            index = last + 1
        }
        return try walk(orders.listed, from: index, pathPrefix: pathPrefix, usage: usage, limit: limit, account: account, tx)
            .map(\.info)
    }

    private static func walk(
        _ ordered: [(key: Key, info: ManagedPolicies.Info)], from start: Int, pathPrefix: String, usage: PolicyUsage?, limit: Int,
        account: String, _ tx: Transaction
    ) throws -> [(key: Key, info: ManagedPolicies.Info)] {
        var index = start
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

    /// The catalog's two listing orders, each entry with its key and listing entry.
    private struct Orders: Sendable {
        var listed: [(key: Key, info: ManagedPolicies.Info)]
        var listedIndex: [String: Int]
        var byName: [(key: Key, info: ManagedPolicies.Info)]
    }

    private final class Cache: Sendable {
        let latest = Mutex<(catalog: ManagedPolicyCatalog, orders: Orders)?>(nil)
    }

    private static let cache = Cache()

    /// Made once for the catalog they come from (the catalog never changes).
    private static func orders(_ catalog: ManagedPolicyCatalog) -> Orders {
        if let latest = cache.latest.withLock({ $0 }), latest.catalog === catalog { return latest.orders }
        let listed = catalog.all.map { policy in (key: key(policy), info: ManagedPolicies.info(policy)) }
        let orders = Orders(
            listed: listed, listedIndex: Dictionary(listed.enumerated().map { ($1.info.arn, $0) }, uniquingKeysWith: { a, _ in a }),
            byName: listed.sorted { $0.key < $1.key })
        cache.latest.withLock { $0 = (catalog, orders) }
        return orders
    }
}
