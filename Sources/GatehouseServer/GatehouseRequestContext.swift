import Hummingbird
import NIOCore

/// The per-request context Hummingbird creates and the edge's middleware
/// fills in: the peer's address, who is calling, and for the AWS APIs the
/// call as the front door read it.
public struct GatehouseRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set only by `Authentication`, the middleware of each route group.
    public internal(set) var caller: Caller = .anonymous
    /// Set by `APIFrontDoor` on the AWS API routes, before authentication:
    /// SigV4 needs the body and the service it was signed for.
    var apiCall: APICall?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    var sourceIp: String { remoteAddress?.ipAddress ?? "127.0.0.1" }

    var isLoopbackPeer: Bool {
        guard let ip = remoteAddress?.ipAddress else { return false }
        return ip == "::1" || ip.hasPrefix("127.") || ip == "::ffff:127.0.0.1"
    }
}
