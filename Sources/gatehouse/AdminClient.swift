import Foundation
import JSON

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a running server's `/_gatehouse/…` endpoints.
struct AdminClient {
    /// The server could not be reached (exit status 2).
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The server answered, and refused (exit status 1).
    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    let endpoint: String
    /// Sent as `X-Gatehouse-Admin-Token` (needed from a non-loopback address).
    var token: String?

    /// The endpoint option's default, shared by every command that reaches a server.
    static let defaultEndpoint = Environment.value("GATEHOUSE_ENDPOINT") ?? Environment.value("AWS_ENDPOINT_URL") ?? "http://127.0.0.1:4566"

    func url(_ path: String, query: [URLQueryItem] = []) throws -> URL {
        guard var components = URLComponents(string: endpoint), components.host != nil else {
            throw Failure(description: "bad endpoint \(endpoint)")
        }
        let base = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = base + path
        components.queryItems = query.isEmpty ? nil : query
        guard let url = components.url else { throw Failure(description: "bad endpoint \(endpoint)") }
        return url
    }

    /// Sends a request and returns the status and body; a transport failure
    /// names the endpoint that could not be reached.
    func send(_ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, file: URL? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: try url(path, query: query))
        request.httpMethod = method
        if let token { request.setValue(token, forHTTPHeaderField: "X-Gatehouse-Admin-Token") }
        let reply: (Data, URLResponse)
        do {
            if let file {
                reply = try await URLSession.shared.upload(for: request, fromFile: file)
            } else if let body {
                reply = try await URLSession.shared.upload(for: request, from: body)
            } else {
                reply = try await URLSession.shared.data(for: request)
            }
        } catch {
            throw Failure(description: "cannot reach \(endpoint): \(error.localizedDescription)")
        }
        return ((reply.1 as? HTTPURLResponse)?.statusCode ?? 0, reply.0)
    }

    /// Sends a request that must answer one of `accepted`; any other status
    /// is a `Refused` naming the server and its reason.
    @discardableResult
    func call(
        _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, file: URL? = nil,
        accepted: Set<Int> = [200]
    ) async throws -> Data {
        let (status, answer) = try await send(method, path, query: query, body: body, file: file)
        guard accepted.contains(status) else {
            throw Refused(description: "\(endpoint) answered HTTP \(status): \(Self.message(answer))")
        }
        return answer
    }

    /// Downloads a body straight to `target`.
    func download(_ path: String, to target: URL) async throws {
        var request = URLRequest(url: try url(path))
        if let token { request.setValue(token, forHTTPHeaderField: "X-Gatehouse-Admin-Token") }
        let (temporary, response): (URL, URLResponse)
        do {
            (temporary, response) = try await URLSession.shared.download(for: request)
        } catch {
            throw Failure(description: "cannot reach \(endpoint): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            throw Refused(description: "\(endpoint) answered HTTP \(status) for \(path)")
        }
        try FileManager.default.moveItem(at: temporary, to: target)
    }

    /// The `error` member of a JSON error answer, or the body as text.
    static func message(_ body: Data) -> String {
        (try? JSONParser.parse(Array(body)))?["error"]?.stringValue ?? String(decoding: body, as: UTF8.self)
    }
}
