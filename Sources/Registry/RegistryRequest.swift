import AWSWire

/// A registry request: its head as the wire layer reads every request
/// (`WireRequest`: header names lower-cased, repeated headers in order), and
/// its body as a stream, pulled chunk by chunk, so a large blob never sits in
/// memory.
public struct RegistryRequest: Sendable {
    /// Method, path and query as sent, and the headers; its `body` is unused
    /// (the registry streams bodies: `body` below).
    public let head: WireRequest
    /// Percent-decoded path (`/v2/team-a/app/blobs/uploads/…`).
    public let path: String
    /// Decoded query parameters.
    public let query: [String: String]
    public var body: RequestBody
    public var sourceIp: String

    public init(head: WireRequest, body: RequestBody, sourceIp: String) {
        self.head = head
        self.path = FormEncoding.percentDecode(head.path)
        self.query = head.queryParameters
        self.body = body
        self.sourceIp = sourceIp
    }

    public var method: String { head.method }

    /// The first value of a header (name case-insensitive).
    public func header(_ name: String) -> String? { head.header(name) }
}

/// The request body as chunks; `next` returns nil at the end.
public struct RequestBody: Sendable {
    public let next: @Sendable () async throws -> [UInt8]?

    public init(next: @escaping @Sendable () async throws -> [UInt8]?) {
        self.next = next
    }

    public static let empty = RequestBody { nil }

    /// The whole body, for small ones (manifests): refused past `limit` bytes.
    func collect(limit: Int) async throws -> [UInt8]? {
        var bytes: [UInt8] = []
        while let chunk = try await next() {
            bytes += chunk
            if bytes.count > limit { return nil }
        }
        return bytes
    }
}

/// A registry response; a blob body is a file range the server streams.
public struct RegistryResponse: Sendable {
    public enum Body: Sendable {
        case empty
        case bytes([UInt8])
        case file(path: String, offset: Int64, length: Int64)
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body

    public init(status: Int, headers: [(String, String)] = [], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// As it goes to the client: every registry answer, errors and the
    /// challenge included, names the API version, and a HEAD's has no body.
    public func finished(method: String) -> RegistryResponse {
        var response = self
        if method == "HEAD" { response.body = .empty }
        response.headers.append(("Docker-Distribution-Api-Version", "registry/2.0"))
        return response
    }
}
