import AWSShapes

/// IAM's `Marker` / `MaxItems` / `IsTruncated` paging over a list in its
/// final order.
///
/// The marker is an opaque position in that order: lists are ordered in
/// different ways (names ignoring case, tag keys exactly, access keys by age,
/// policy versions newest first) and may hold equal names (an AWS managed and
/// a customer policy both called AdministratorAccess), so a position is the
/// one marker that never skips an item.
struct Page<Item: Sendable>: Sendable {
    var items: [Item]
    var isTruncated: Bool
    var marker: String?

    init(_ all: [Item], marker: String?, maxItems: Int?) throws(AWSError) {
        var start = 0
        if let marker {
            guard let bytes = Base64.decode(marker), let text = String(validating: bytes, as: UTF8.self),
                text.hasPrefix(Self.prefix), let offset = Int(text.dropFirst(Self.prefix.count)), offset >= 0
            else { throw IAMError.invalidMarker }
            start = min(offset, all.count)
        }
        let end = min(all.count, start + (maxItems ?? IAMPaging.defaultMaxItems))
        items = Array(all[start..<end])
        isTruncated = end < all.count
        self.marker = isTruncated ? Base64.encode(Array((Self.prefix + String(end)).utf8)) : nil
    }

    private static var prefix: String { "gatehouse-marker:" }
}

/// IAM paging read from the store a page at a time: the marker names the
/// last item of the previous page (its listing key), and the store reads
/// from just after it, in index order. A page costs what it holds, and an
/// item added or removed elsewhere in the list never shifts another page.
struct KeysetPage<Item: Sendable>: Sendable {
    var items: [Item]
    var isTruncated: Bool
    var marker: String?

    /// - Parameters:
    ///   - fetch: up to `limit` + 1 items after the given position (nil: from the start).
    ///   - position: an item's listing key, the one `fetch` resumes after.
    init(
        marker: String?, maxItems: Int?, fetch: (_ after: String?, _ limit: Int) throws -> [Item], position: (Item) -> String
    ) throws {
        var after: String?
        if let marker {
            guard let bytes = Base64.decode(marker), let text = String(validating: bytes, as: UTF8.self), text.hasPrefix(Self.prefix)
            else { throw IAMError.invalidMarker }
            after = String(text.dropFirst(Self.prefix.count))
        }
        let limit = maxItems ?? IAMPaging.defaultMaxItems
        var fetched = try fetch(after, limit)
        isTruncated = fetched.count > limit
        if isTruncated { fetched.removeLast(fetched.count - limit) }
        items = fetched
        self.marker = isTruncated ? fetched.last.map { Base64.encode(Array((Self.prefix + position($0)).utf8)) } : nil
    }

    private static var prefix: String { "gatehouse-after:" }
}

enum IAMPaging {
    static let defaultMaxItems = 100

    /// The order IAM lists entities in: by name ignoring case, then exactly.
    static func sortKey(_ name: String) -> String { name.lowercased() + "\u{0}" + name }
}

extension Array {
    func sortedByName(_ name: (Element) -> String) -> [Element] {
        sorted { IAMPaging.sortKey(name($0)) < IAMPaging.sortKey(name($1)) }
    }
}
