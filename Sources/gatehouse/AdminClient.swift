import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a running server's `/_gatehouse/…` endpoints.
struct AdminClient {
    struct Failure: Error, CustomStringConvertible {
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
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            throw Failure(description: "\(path) answered HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        try FileManager.default.moveItem(at: temporary, to: target)
    }

    /// The `error` member of a JSON error answer, or the body as text.
    static func message(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let error = object["error"] as? String {
            return error
        }
        return String(decoding: body, as: UTF8.self)
    }
}
