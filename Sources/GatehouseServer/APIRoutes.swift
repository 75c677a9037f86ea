import Hummingbird
import ServiceKit

/// The AWS APIs — IAM and STS (query protocol), ECR (JSON 1.1), Access
/// Analyzer (REST-JSON, its own paths) — at `/`
/// and, as AWS's front door does, at any path no other group claims.
struct APIRoutes: Sendable {
    let frontDoor: APIFrontDoor
    let authentication: SigV4Authentication
    let environment: ServiceEnvironment

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.add(middleware: frontDoor)
            .add(middleware: Authentication(authentication))
            .onEveryMethod("/", use: dispatch)
            .onEveryMethod("**", use: dispatch)
    }

    /// Hands the authenticated call to its service.
    @Sendable func dispatch(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        guard let call = context.apiCall, case .aws(let principal, let region) = context.caller else {
            preconditionFailure("API routes run behind APIFrontDoor and SigV4Authentication")
        }
        let operationContext = OperationContext(
            requestId: call.requestId, principal: principal, region: region ?? environment.settings.defaultRegion,
            now: call.now, sourceIp: context.sourceIp, secureTransport: false, userAgent: call.wire.header("user-agent"),
            environment: environment)
        let answer: ServiceResponse
        switch call.operation {
        case .json(let service, let operation):
            answer = await service.dispatch(operation: operation, body: call.wire.body, context: operationContext)
        case .query(let service, let action, let version, let parameters):
            answer = await service.dispatch(action: action, version: version, parameters: parameters, context: operationContext)
        case .rest(let service):
            answer = await service.dispatch(
                method: call.wire.method, path: call.wire.path, query: call.wire.queryParameters, body: call.wire.body,
                context: operationContext)
        }
        return Response(answer, requestId: call.requestId)
    }
}
