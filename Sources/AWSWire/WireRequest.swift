/// An HTTP request as the wire layer sees it, independent of the server library.
public struct WireRequest: Sendable {
    public var method: String
    /// The path as sent, still percent-encoded (`/`, `/v2/…`).
    public var path: String
    /// The raw query string without `?`, still percent-encoded.
    public var query: String
    /// Header names lower-cased; repeated headers keep their order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers.map { ($0.name.lowercasedASCII, $0.value) }
        self.body = body
    }

    /// The first value of a header (name case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercasedASCII
        for header in headers where header.name == lower { return header.value }
        return nil
    }

    /// All values of a header joined as HTTP joins them (`,`).
    public func headerValues(_ name: String) -> [String] {
        let lower = name.lowercasedASCII
        return headers.filter { $0.name == lower }.map(\.value)
    }

    /// Decoded query-string parameters (first value wins).
    public var queryParameters: [String: String] {
        FormEncoding.decode(query)
    }
}

extension String {
    /// Header names are ASCII and almost always lower-case already (HTTP/2
    /// requires it, NIO's canonical names are): only copy when one is not.
    var lowercasedASCII: String {
        utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? lowercased() : self
    }
}
