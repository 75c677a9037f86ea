import ECR
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit

/// The layers behind the URLs GetDownloadUrlForLayer hands out
/// (`/v2/_layers/DIGEST?expires=…&signature=…`): open to any peer without
/// credentials — the signature is the permission, as with the presigned
/// URLs ECR returns — and only bytes that hash to the digest are served.
struct LayerDownloads: Sendable {
    let urls: DownloadURL
    let environment: ServiceEnvironment

    /// On the router's `/v2` group, ahead of its authentication.
    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        let prefix = String(DownloadURL.pathPrefix.dropFirst("/v2/".count))
        group.onEveryMethod(RouterPath(prefix + "{digest}"), use: download)
            // Without a digest the URL is no signed one: refused like one.
            .onEveryMethod(RouterPath(prefix), use: download)
    }

    @Sendable func download(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard request.method == .get, let digest = context.parameters.get("digest"),
            let expires = query["expires"].map(String.init), let signature = query["signature"].map(String.init),
            urls.verify(digest: digest, expires: expires, signature: signature, now: environment.clock.now()),
            let file = await environment.store.blobs.verifiedFile(digest)
        else { throw DownloadDenied() }
        return Response(
            status: .ok, headers: [.contentType: "application/octet-stream"],
            body: FileBody.stream(path: file.path.path, offset: 0, length: file.size))
    }
}

/// A download URL that is not one this server signed, has expired, or names
/// no verified blob: refused as S3 refuses a presigned URL, in its XML.
struct DownloadDenied: HTTPResponseError {
    var status: HTTPResponse.Status { .forbidden }

    func response(from request: Request, context: some RequestContext) -> Response {
        Response(
            status: status, headers: [.contentType: "application/xml"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "<Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match</Message></Error>")))
    }
}
