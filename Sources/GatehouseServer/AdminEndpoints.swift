import HTTPTypes
import Hummingbird
import JSON
import ECR
import ServiceKit

/// `/_gatehouse/…`: health for orchestrators, reset for test suites, state
/// snapshots for `gatehouse state` (AdminEndpoints+State.swift), the decision
/// log. Everything but health and layer downloads (whose URL is signed) is for
/// loopback peers, or others presenting the operator's admin token.
struct AdminEndpoints: Sendable {
    let environment: ServiceEnvironment
    let seeder: Seeder
    let decisions: DecisionLog
    let adminToken: String?
    /// Operation counts per service, for the health answer.
    let services: [(name: String, implemented: Int, total: Int)]
    /// Verifies the URLs GetDownloadUrlForLayer hands out.
    let downloads: DownloadURL

    func respond(to request: Request, context: GatehouseRequestContext) async throws -> Response {
        let path = request.uri.path
        if !Self.isPublic(path), !mayAdminister(request, context) { return Self.refused(path) }
        switch (request.method, path) {
        case (.get, "/_gatehouse/health"), (.head, "/_gatehouse/health"):
            return health()
        case (.get, let path) where path.hasPrefix(DownloadURL.pathPrefix):
            return await download(String(path.dropFirst(DownloadURL.pathPrefix.count)), request)
        case (.get, "/_gatehouse/decisions"):
            return recentDecisions(request)
        case (_, let path) where path == "/_gatehouse/state" || path.hasPrefix(Self.stateBlobPrefix):
            return try await state(request, context: context)
        case (.post, "/_gatehouse/reset"):
            try seeder.reset(environment.store, now: environment.clock.now().secondsSince1970)
            return Self.json(.ok) { w in
                w.key("status")
                w.value("reset")
            }
        default:
            return Self.failure(.notFound, "no admin endpoint \(request.method.rawValue) \(path)")
        }
    }

    /// What any peer may ask: health, and layer downloads (the signed URL is
    /// the permission). Everything else — reset, state, the decision log,
    /// which names principals, actions and resources of every account — is
    /// for loopback peers or the operator's admin token.
    static func isPublic(_ path: String) -> Bool {
        path == "/_gatehouse/health" || path.hasPrefix(DownloadURL.pathPrefix)
    }

    private static func refused(_ path: String) -> Response {
        failure(.forbidden, "\(path) is allowed from loopback peers, or with the operator's admin token")
    }

    /// `{"error": MESSAGE}`, how every admin endpoint says no.
    static func failure(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status) { w in
            w.key("error")
            w.value(message)
        }
    }

    private func mayAdminister(_ request: Request, _ context: GatehouseRequestContext) -> Bool {
        if context.isLoopbackPeer { return true }
        guard let adminToken else { return false }
        let presented = request.headers[HTTPField.Name("X-Gatehouse-Admin-Token")!]
            ?? request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
        return presented == adminToken
    }

    /// A layer through a signed, expiring download URL (no credentials: the
    /// signature is the permission); only bytes that hash to the digest are served.
    private func download(_ digest: String, _ request: Request) async -> Response {
        let query = request.uri.queryParameters
        guard let expires = query["expires"].map(String.init), let signature = query["signature"].map(String.init),
            downloads.verify(digest: digest, expires: expires, signature: signature, now: environment.clock.now()),
            let file = await environment.store.blobs.verifiedFile(digest)
        else {
            return Response(
                status: .forbidden, headers: [.contentType: "application/xml"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "<Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match</Message></Error>")))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/octet-stream"],
            body: FileBody.stream(path: file.path.path, offset: 0, length: file.size))
    }

    /// `?denied=true&principal=ARN&limit=N&after=SEQ`, most recent last;
    /// with `after`, the first N entries logged after sequence number SEQ.
    private func recentDecisions(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        let limit = query["limit"].flatMap { Int(String($0)) } ?? 100
        let entries = decisions.recent(
            limit: limit, deniedOnly: query["denied"].map { $0 == "true" } ?? false,
            principal: query["principal"].map(String.init), after: query["after"].flatMap { UInt64(String($0)) })
        let body = "[" + entries.map(\.json).joined(separator: ",") + "]"
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    private func health() -> Response {
        Self.json(.ok) { w in
            w.key("status")
            w.value("ok")
            w.key("version")
            w.value(ServerConfiguration.version)
            w.key("services")
            w.objectStart()
            for service in services {
                w.key(service.name)
                w.objectStart()
                w.key("operations")
                w.value(service.total)
                w.key("implemented")
                w.value(service.implemented)
                w.objectEnd()
            }
            w.objectEnd()
        }
    }

    static func json(_ status: HTTPResponse.Status, _ members: (inout JSONWriter) -> Void) -> Response {
        var w = JSONWriter()
        w.objectStart()
        members(&w)
        w.objectEnd()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }
}
