import AWSShapes
import ServiceKit
import Storage

/// Tags on IAM resources: at most 50, keys unique without regard to case
/// (managed policies compare keys exactly), none beginning with `aws:`,
/// listed by key (List*Tags, Get*), echoed as given (Create*).
enum IAMTags {
    static let limit = 50

    /// Refuses keys AWS reserves (`aws:` in any case) and duplicate keys in one request. Every
    /// request that sets tags (Create* with Tags, Tag*) comes through here, before it writes.
    /// Untag* is not checked: removing a key that cannot be set changes nothing (INFERRED).
    static func validate(_ tags: [IAMShapes.Tag], caseSensitive: Bool = false) throws(AWSError) {
        if tags.contains(where: { ReservedTagKey.isReserved($0.key) }) { throw IAMError.reservedTagKey }
        var seen: Set<String> = []
        for tag in tags {
            let key = caseSensitive ? tag.key : tag.key.lowercased()
            guard seen.insert(key).inserted else {
                throw IAMError.invalidInput(
                    caseSensitive
                        ? "Duplicate tag keys found."
                        : "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
            }
        }
    }

    /// What a Create* answer carries: the request's tags in the order given, or none when none
    /// were given. Recorded against AWS (LocalStack test_policy_tag_lifecycle, 10-02-2026):
    /// CreatePolicy with tags `a`, `A` answered `a`, `A`; ListPolicyTags then answered `A`, `a`.
    /// Other kinds' Create* are recorded only with tags given in key order (INFERRED alike).
    static func echoed(_ given: [IAMShapes.Tag]?) -> [IAMShapes.Tag]? {
        guard let given, !given.isEmpty else { return nil }
        return given
    }

    static func load(_ tx: Transaction, _ resourceId: String) throws -> [IAMShapes.Tag] {
        try TagRecord.all(of: resourceId, in: tx).map { IAMShapes.Tag(key: $0.key, value: $0.value) }
    }

    /// Adds or replaces tags; a key matching an existing one (by case unless
    /// `caseSensitive`) replaces it.
    static func apply(_ tx: Transaction, _ resourceId: String, _ tags: [IAMShapes.Tag], caseSensitive: Bool = false) throws {
        try validate(tags, caseSensitive: caseSensitive)
        var existing = try TagRecord.all(of: resourceId, in: tx)
        for tag in tags {
            existing.removeAll { caseSensitive ? $0.key == tag.key : $0.key.lowercased() == tag.key.lowercased() }
            existing.append(TagRecord(resourceId: resourceId, key: tag.key, value: tag.value))
        }
        guard existing.count <= limit else { throw IAMError.tooManyTags }
        try TagRecord.replace(of: resourceId, with: existing, in: tx)
    }

    static func remove(_ tx: Transaction, _ resourceId: String, keys: [String], caseSensitive: Bool = false) throws {
        try TagRecord.remove(of: resourceId, keys: keys, caseSensitive: caseSensitive, in: tx)
    }

    static func removeAll(_ tx: Transaction, _ resourceId: String) throws {
        try TagRecord.removeAll(of: resourceId, in: tx)
    }

    /// `aws:RequestTag/k` and `aws:TagKeys` for a request that sets tags.
    static func requestKeys(_ tags: [IAMShapes.Tag]?) -> [String: [String]] {
        guard let tags, !tags.isEmpty else { return [:] }
        var keys: [String: [String]] = ["aws:TagKeys": tags.map(\.key)]
        for tag in tags { keys["aws:RequestTag/\(tag.key)"] = [tag.value] }
        return keys
    }

    /// The `ListXTags` answer: a page of tags ordered by key, resumed after
    /// the key last listed (keys are unique on a resource). A resource has
    /// at most 50 tags, read whole.
    static func page(_ tags: [IAMShapes.Tag], marker: String?, maxItems: Int?) throws -> KeysetPage<IAMShapes.Tag> {
        let sorted = tags.sorted { $0.key < $1.key }
        return try KeysetPage(marker: marker, maxItems: maxItems) { after, limit in
            Array(sorted.lazy.filter { after == nil || $0.key > after! }.prefix(limit + 1))
        } position: { $0.key }
    }
}
