import Hummingbird
import NIOCore

/// The per-request context Hummingbird creates: only what routing needs, the peer's address.
public struct GatehouseRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

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
