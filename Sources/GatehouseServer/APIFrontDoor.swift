import AWSShapes
import AWSWire
import Hummingbird
import ServiceKit

/// What AWS's front door does before it authenticates a request: reads the
/// body within the limit its head allows, and finds the service and the
/// operation it addresses — `X-Amz-Target` → JSON 1.1 (ECR); a SigV4
/// credential scope of `access-analyzer` → REST-JSON (Access Analyzer, which
/// routes by method and path; an unsigned request on one of its paths too,
/// so that it is refused in that protocol); form or query `Action=` → query
/// protocol (IAM or STS, told apart by the SigV4 credential scope, then by
/// `Version`). The call goes into the context for `SigV4Authentication` and
/// the dispatch.
struct APIFrontDoor: RouterMiddleware {
    let iam: QueryService
    let sts: QueryService
    let ecr: JSONService
    let accessAnalyzer: RestJSONService
    let environment: ServiceEnvironment
    let authenticator: Authenticator
    let bodyReader: RequestBodyReader

    func handle(
        _ request: Request, context: GatehouseRequestContext,
        next: (Request, GatehouseRequestContext) async throws -> Response
    ) async throws -> Response {
        var wire = request.wireHead
        let now = environment.clock.now()
        let requestId = environment.ids.uuid()
        let target = wire.header("x-amz-target")

        // Decided from the head alone: how much body this request may make the server hold.
        // The signature is read from the head too: query string and headers.
        let parsed: Result<SigV4.Claim?, SigV4.Failure> = Result { () throws(SigV4.Failure) in try SigV4.parse(wire, now: now) }
        let claim = (try? parsed.get()) ?? nil
        // Access Analyzer's requests carry neither X-Amz-Target nor Action: the
        // signing name tells them apart (docs/research/access-analyzer.md §1.1);
        // unsigned, only the method and path can.
        let rest = target == nil
            && (claim.map { $0.scope.service == accessAnalyzer.signingName }
                ?? (accessAnalyzer.route(method: wire.method, path: wire.path) != nil))
        let protocolLimit =
            target != nil ? RequestBodyReader.jsonLimit : rest ? RequestBodyReader.restJSONLimit : RequestBodyReader.queryLimit
        let authenticated = claim.map { authenticator.recognizes($0) } ?? false
        let reserved: Int
        do {
            (wire.body, reserved) = try await bodyReader.read(request, limit: protocolLimit, authenticated: authenticated)
        } catch let refusal as RequestBodyReader.Refusal {
            let service: WireProtocol =
                target != nil ? .json : rest ? accessAnalyzer.wire : (claim?.scope.service == "sts" ? sts.wire : iam.wire)
            let error = switch refusal {
            case .tooLarge(let limit): FrontDoorError.requestTooLarge(service, limit: limit)
            case .busy: FrontDoorError.serviceUnavailable(service)
            }
            throw APIFailure(error, wire: service, requestId: requestId, closesConnection: true)
        }
        defer { bodyReader.release(reserved) }

        let operation: APICall.Operation
        if let target {
            guard let name = ecr.operation(fromTarget: target) else {
                throw APIFailure(FrontDoorError.unknownOperation(.json, action: target, version: nil), wire: .json, requestId: requestId)
            }
            operation = .json(ecr, operation: name)
        } else if rest {
            operation = .rest(accessAnalyzer)
        } else {
            guard let query = queryOperation(wire, claim: claim) else {
                // AWS redirects a request without an Action to its marketing page
                // (https://aws.amazon.com/iam). Gatehouse is offline and its own
                // console is its landing page: a browser opening the endpoint finds
                // the sign-in, and no client is ever sent off the machine (a
                // registry client following a realm there retried for minutes).
                return Response(status: .found, headers: [.location: "/console"])
            }
            operation = query
        }
        var context = context
        context.apiCall = APICall(wire: wire, now: now, requestId: requestId, claim: parsed, operation: operation)
        return try await next(request, context)
    }

    /// The action and its parameters (the query string's, then the form
    /// body's), addressed to IAM or STS; nil without an `Action`.
    private func queryOperation(_ wire: WireRequest, claim: SigV4.Claim?) -> APICall.Operation? {
        var parameters = wire.queryParameters
        if wire.method == "POST", wire.header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false {
            for (key, value) in FormEncoding.pairs(String(decoding: wire.body, as: UTF8.self)) where parameters[key] == nil {
                parameters[key] = value
            }
        }
        guard let action = parameters["Action"] else { return nil }
        let version = parameters["Version"]
        let service: QueryService
        switch (claim?.scope.service, version) {
        case ("sts", _): service = sts
        case ("iam", _): service = iam
        case (_, STSShapes.apiVersion): service = sts
        default: service = iam
        }
        return .query(service, action: action, version: version, parameters: parameters)
    }
}
