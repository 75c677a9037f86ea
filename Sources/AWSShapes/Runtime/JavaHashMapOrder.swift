/// The order in which a Java `HashMap<String, …>` (or `HashSet<String>`) hands
/// back its keys, for AWS messages that list things in that order.
///
/// AWS services written in Java build some validation messages by iterating a
/// hash set or map, so the order is neither the model's nor alphabetical: ECR's
/// `Member must satisfy enum value set: [IMMUTABLE, MUTABLE, MUTABLE_WITH_EXCLUSION,
/// IMMUTABLE_WITH_EXCLUSION]` (the model says MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION,
/// MUTABLE_WITH_EXCLUSION) and IAM's multi-error `minimumPasswordLength; passwordReusePrevention;
/// maxPasswordAge`. Both are exactly this order (docs/research/fidelity-issue18.md §9, §11 — a
/// fit to recorded samples, not a documented behaviour; other services, e.g. Cognito and DynamoDB,
/// list in other orders).
///
/// The rule, from OpenJDK's `java.util.HashMap`: a key's bucket is
/// `(h ^ (h >>> 16)) & (n - 1)` with `h` its `String.hashCode()`; iteration goes
/// bucket by bucket, each bucket's keys in insertion order (a resize splits a
/// bucket keeping that order). The table starts at 16 buckets and doubles
/// whenever the size exceeds 0.75 of it. Buckets that would become trees
/// (8 or more keys in one bucket of a table of 64 or more) are not modelled.
public enum JavaHashMapOrder {
    /// Java's `String.hashCode()`: `s[0]*31^(n-1) + … + s[n-1]` over UTF-16 code units, in 32-bit arithmetic.
    public static func stringHashCode(_ string: String) -> Int32 {
        var h: Int32 = 0
        for unit in string.utf16 {
            h = h &* 31 &+ Int32(unit)
        }
        return h
    }

    /// The bucket `HashMap` puts `key` in, in a table of `tableSize` (a power of two) buckets.
    public static func bucket(_ key: String, tableSize: Int) -> Int {
        let h = UInt32(bitPattern: stringHashCode(key))
        return Int((h ^ (h >> 16)) & UInt32(tableSize - 1))
    }

    /// The table size after inserting `count` distinct keys one by one into a default `HashMap`.
    public static func tableSize(forCount count: Int) -> Int {
        var size = 16
        while Double(count) > Double(size) * 0.75 { size *= 2 }
        return size
    }

    /// `elements` in the order a `HashMap` keyed by `key` iterates them, the
    /// elements inserted in the given order. Elements with the same key stay
    /// together where their key was first put, in their given order (a map from
    /// key to the list of its elements).
    public static func iterationOrder<Element>(_ elements: [Element], key: (Element) -> String) -> [Element] {
        var keys: [String] = []
        var groups: [String: [Element]] = [:]
        for element in elements {
            let k = key(element)
            if groups[k] == nil { keys.append(k) }
            groups[k, default: []].append(element)
        }
        let size = tableSize(forCount: keys.count)
        let ordered = keys.enumerated()
            .map { (bucket: bucket($0.element, tableSize: size), inserted: $0.offset, key: $0.element) }
            .sorted { ($0.bucket, $0.inserted) < ($1.bucket, $1.inserted) }
        return ordered.flatMap { groups[$0.key] ?? [] }
    }

    /// A `HashSet<String>`'s iteration order of `values` added in the given order (duplicates once).
    public static func iterationOrder(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return iterationOrder(values.filter { seen.insert($0).inserted }, key: { $0 })
    }
}
