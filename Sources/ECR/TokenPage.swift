import AWSShapes

/// ECR's `nextToken` / `maxResults` paging, read a page at a time: the token
/// names the last key returned (base64), and the next page is read from just
/// after it, in the list's order. A page costs what it holds, and an item
/// added or removed elsewhere in the list never shifts another page.
struct TokenPage<Item: Sendable>: Sendable {
    var items: [Item]
    var nextToken: String?

    /// - Parameters:
    ///   - fetch: up to `limit` + 1 items after the given key (nil: from the start), in key order.
    ///   - key: an item's listing key, the one `fetch` resumes after.
    init(
        nextToken: String?, maxResults: Int?, defaultMax: Int = 100, fetch: (_ after: String?, _ limit: Int) throws -> [Item],
        key: (Item) -> String
    ) throws {
        var after: String?
        if let nextToken {
            guard let bytes = Base64.decode(nextToken), let text = String(validating: bytes, as: UTF8.self) else {
                throw ECRError.invalidParameter("nextToken", "Invalid NextToken")
            }
            after = text
        }
        let limit = maxResults ?? defaultMax
        var fetched = try fetch(after, limit)
        let truncated = fetched.count > limit
        if truncated { fetched.removeLast(fetched.count - limit) }
        items = fetched
        self.nextToken = truncated ? fetched.last.map { Base64.encode(Array(key($0).utf8)) } : nil
    }

    /// Over items a request names itself, already in the order they are listed in.
    init(_ all: [Item], key: (Item) -> String, nextToken: String?, maxResults: Int?, defaultMax: Int = 100) throws {
        try self.init(nextToken: nextToken, maxResults: maxResults, defaultMax: defaultMax, fetch: { after, limit in
            let start = after.map { after in all.firstIndex { key($0) > after } ?? all.count } ?? 0
            return Array(all[start..<min(all.count, start + limit + 1)])
        }, key: key)
    }
}
