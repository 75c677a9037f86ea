import AWSShapes

/// IAM's `Marker` / `MaxItems` / `IsTruncated` paging.
///
/// Lists are ordered by name, case-insensitively then exactly; the marker is
/// the sort key of the last item returned, so a page boundary stays put when
/// entities are created or deleted between calls.
struct Page<Item: Sendable>: Sendable {
    var items: [Item]
    var isTruncated: Bool
    var marker: String?

    init(_ all: [Item], key: (Item) -> String, marker: String?, maxItems: Int?) throws(AWSError) {
        var start = 0
        if let marker {
            guard let bytes = Base64.decode(marker), let after = String(validating: bytes, as: UTF8.self) else {
                throw IAMError.invalidMarker
            }
            start = all.firstIndex { Self.sortKey(key($0)) > after } ?? all.count
        }
        let limit = maxItems ?? IAMPaging.defaultMaxItems
        let end = min(all.count, start + limit)
        items = Array(all[start..<end])
        isTruncated = end < all.count
        self.marker = isTruncated ? items.last.map { Base64.encode(Array(Self.sortKey(key($0)).utf8)) } : nil
    }

    static func sortKey(_ name: String) -> String { IAMPaging.sortKey(name) }
}

enum IAMPaging {
    static let defaultMaxItems = 100

    /// The order IAM lists in: by name ignoring case, then exactly.
    static func sortKey(_ name: String) -> String { name.lowercased() + "\u{0}" + name }
}

extension Array {
    func sortedByName(_ name: (Element) -> String) -> [Element] {
        sorted { IAMPaging.sortKey(name($0)) < IAMPaging.sortKey(name($1)) }
    }
}
