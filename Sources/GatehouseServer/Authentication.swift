import Hummingbird

/// One way of telling who is calling: SigV4 for the AWS APIs, the ECR login
/// token for the registry, loopback or the admin token for `/_gatehouse`.
protocol AuthenticationScheme: Sendable {
    /// The caller, or throws the refusal, written in the protocol of the
    /// group the scheme guards (an `HTTPResponseError`).
    func caller(of request: Request, context: GatehouseRequestContext) async throws -> Caller
}

/// The middleware that puts the caller into the request context: the one
/// way a caller gets there. Routes added to a group after it are answered
/// only for a caller its scheme accepts.
struct Authentication<Scheme: AuthenticationScheme>: RouterMiddleware {
    let scheme: Scheme

    init(_ scheme: Scheme) {
        self.scheme = scheme
    }

    func handle(
        _ request: Request, context: GatehouseRequestContext,
        next: (Request, GatehouseRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.caller = try await scheme.caller(of: request, context: context)
        return try await next(request, context)
    }
}
