import AWSShapes
import GRDB
import ServiceKit
import Storage

/// Tags on IAM resources: at most 50, keys unique without regard to case
/// (managed policies compare keys exactly), none beginning with `aws:`,
/// listed by key.
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

    // For code that still holds a raw connection.
    static func load(_ db: Database, _ resourceId: String) throws -> [IAMShapes.Tag] { try load(.bridging(db), resourceId) }

    static func apply(_ db: Database, _ resourceId: String, _ tags: [IAMShapes.Tag], caseSensitive: Bool = false) throws {
        try apply(.bridging(db), resourceId, tags, caseSensitive: caseSensitive)
    }

    static func remove(_ db: Database, _ resourceId: String, keys: [String], caseSensitive: Bool = false) throws {
        try remove(.bridging(db), resourceId, keys: keys, caseSensitive: caseSensitive)
    }

    static func removeAll(_ db: Database, _ resourceId: String) throws { try removeAll(.bridging(db), resourceId) }

    /// `aws:RequestTag/k` and `aws:TagKeys` for a request that sets tags.
    static func requestKeys(_ tags: [IAMShapes.Tag]?) -> [String: [String]] {
        guard let tags, !tags.isEmpty else { return [:] }
        var keys: [String: [String]] = ["aws:TagKeys": tags.map(\.key)]
        for tag in tags { keys["aws:RequestTag/\(tag.key)"] = [tag.value] }
        return keys
    }

    /// The `ListXTags` answer: a page of tags ordered by key.
    static func page(_ tags: [IAMShapes.Tag], marker: String?, maxItems: Int?) throws(AWSError) -> Page<IAMShapes.Tag> {
        try Page(tags.sorted { $0.key < $1.key }, marker: marker, maxItems: maxItems)
    }
}
