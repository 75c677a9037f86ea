/// A registry request as the OCI Distribution API sees it; the body is a
/// stream, pulled chunk by chunk, so a large blob never sits in memory.
public struct RegistryRequest: Sendable {
    public var method: String
    /// Percent-decoded path (`/v2/team-a/app/blobs/uploads/…`).
    public var path: String
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: RequestBody
    public var sourceIp: String

    public init(method: String, path: String, query: [String: String], headers: [String: String], body: RequestBody, sourceIp: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.sourceIp = sourceIp
    }
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
}
