import HTTPTypes
import Hashing
import Hummingbird

/// The admin endpoints' scheme: a loopback peer is the operator; any other
/// peer must present `--admin-token` (header `X-Gatehouse-Admin-Token`, or
/// `Authorization`, bearer or bare). Without a token configured, only
/// loopback peers get in.
struct AdminAuthentication: AuthenticationScheme {
    let token: String?

    func caller(of request: Request, context: GatehouseRequestContext) throws -> Caller {
        if context.isLoopbackPeer { return .admin(.loopback) }
        if let token {
            let presented = request.headers[HTTPField.Name("X-Gatehouse-Admin-Token")!]
                ?? request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
            if let presented, ConstantTime.equals(presented, token) { return .admin(.token) }
        }
        throw AdminFailure(.forbidden, "\(request.uri.path) is allowed from loopback peers, or with the operator's admin token")
    }
}
