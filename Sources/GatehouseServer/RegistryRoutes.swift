import Hummingbird
import Registry

/// `/v2`: the OCI Distribution API over ECR (`RegistryService`), behind the
/// ECR login token; and, open to anyone, the signed layer downloads
/// GetDownloadUrlForLayer hands out (`LayerDownloads`).
///
/// Bodies stream both ways: the request body is handed over as a pulled
/// stream and file bodies are streamed back, so memory stays flat whatever
/// the blob size.
struct RegistryRoutes: Sendable {
    let registry: RegistryService
    let downloads: LayerDownloads

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        downloads.addRoutes(to: group)
        group.add(middleware: Authentication(RegistryTokenAuthentication(registry: registry)))
            .onEveryMethod("", use: respond)
            .onEveryMethod("**", use: respond)
    }

    @Sendable func respond(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        guard case .registry(let caller) = context.caller else {
            preconditionFailure("registry routes run behind RegistryTokenAuthentication")
        }
        let iterator = BodyIterator(request.body.makeAsyncIterator())
        let registryRequest = RegistryRequest(
            head: request.wireHead, body: Registry.RequestBody { try await iterator.next() }, sourceIp: context.sourceIp)
        do {
            return Response(try await registry.handle(registryRequest, as: caller), to: request)
        } catch {
            throw RegistryFailure(error)
        }
    }
}

/// The registry's scheme: the password `ecr get-login-password` printed
/// (`Authorization: Basic base64(AWS:password)`), or its challenge.
struct RegistryTokenAuthentication: AuthenticationScheme {
    let registry: RegistryService

    func caller(of request: Request, context: GatehouseRequestContext) throws -> Caller {
        // The head is all it reads; the body is left for the handler to stream.
        let head = RegistryRequest(head: request.wireHead, body: .empty, sourceIp: context.sourceIp)
        do {
            return .registry(try registry.authenticate(head))
        } catch {
            throw RegistryFailure(error)
        }
    }
}

/// Pulls a Hummingbird request body one buffer at a time (one task uses it).
final class BodyIterator: @unchecked Sendable {
    private var iterator: Hummingbird.RequestBody.AsyncIterator

    init(_ iterator: Hummingbird.RequestBody.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> [UInt8]? {
        guard let buffer = try await iterator.next() else { return nil }
        return Array(buffer.readableBytesView)
    }
}
