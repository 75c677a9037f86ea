#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import JSON
import NIOCore
import NIOHTTP1
import NIOPosix
import Platform

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
        var answer = Data()
        let status = try await exchange(method, try url(path, query: query), body: body, file: file) { answer.append(contentsOf: $0.readableBytesView) }
        return (status, answer)
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
        let partial = target.appendingPathExtension("partial")
        let out = try PlainFile.creating(partial.path)
        let status: Int
        do {
            status = try await exchange("GET", try url(path), body: nil, file: nil) { try out.write($0.readableBytesView) }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        guard status == 200 else {
            try? FileManager.default.removeItem(at: partial)
            throw Refused(description: "\(endpoint) answered HTTP \(status) for \(path)")
        }
        try FileManager.default.moveItem(at: partial, to: target)
    }

    /// One HTTP/1.1 exchange on its own connection, on NIO (URLSession would
    /// link FoundationNetworking and libcurl into every binary for the few
    /// admin commands that reach a server). The request body is `body` or the
    /// file's bytes, sent a chunk at a time; each answer body chunk goes to `receive`.
    private func exchange(
        _ method: String, _ url: URL, body: Data?, file: URL?, receive: (ByteBuffer) throws -> Void
    ) async throws -> Int {
        guard url.scheme == "http", let host = url.host else {
            throw Failure(description: "cannot reach \(endpoint): only http:// endpoints are supported")
        }
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: url.path.isEmpty ? "/" : url.path)
        if let query = url.query { head.uri += "?" + query }
        head.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        head.headers.add(name: "Connection", value: "close")
        if let token { head.headers.add(name: "X-Gatehouse-Admin-Token", value: token) }
        var source: PlainFile?
        if let file {
            let opened = try PlainFile.reading(file.path)
            source = opened
            head.headers.add(name: "Content-Length", value: String(try opened.size()))
        } else if let body {
            head.headers.add(name: "Content-Length", value: String(body.count))
        } else if method != "GET" && method != "HEAD" {
            head.headers.add(name: "Content-Length", value: "0")
        }
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: host, port: url.port ?? 80) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw Failure(description: "cannot reach \(endpoint): \(Self.reason(error))")
        }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head))
            if let source {
                while case let chunk = try source.read(upTo: 1 << 20), !chunk.isEmpty {
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
                }
            } else if let body, !body.isEmpty {
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            }
            try await outbound.write(.end(nil))
            var status = 0
            for try await part in inbound {
                switch part {
                case .head(let answer): status = Int(answer.status.code)
                case .body(let chunk): try receive(chunk)
                case .end: return status
                }
            }
            throw Failure(description: "cannot reach \(endpoint): the connection closed before the answer ended")
        }
    }

    /// Why a connection failed, in the C library's words ("Connection refused").
    static func reason(_ error: any Error) -> String {
        let failure = (error as? NIOConnectionError)?.connectionErrors.first?.error ?? error
        if let io = failure as? IOError { return String(cString: strerror(io.errnoCode)) }
        return String(describing: failure)
    }

    /// The `error` member of a JSON error answer, or the body as text.
    static func message(_ body: Data) -> String {
        (try? JSONParser.parse(Array(body)))?["error"]?.stringValue ?? String(decoding: body, as: UTF8.self)
    }
}
