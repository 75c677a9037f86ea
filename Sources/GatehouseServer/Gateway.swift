import AWSShapes
import AWSWire
import Foundation
import HTTPTypes
import Hummingbird
import JSON
import ServiceKit

/// The one listener's front door: classifies each request, authenticates it
/// and hands it to the service it addresses.
///
/// `/_gatehouse/…` → admin · `/v2/…` → registry · `X-Amz-Target` → JSON 1.1
/// (ECR) · form or query `Action=` → query protocol (IAM or STS, told apart by
/// the SigV4 credential scope, then by `Version`).
struct Gateway: Sendable {
    let iam: QueryService
    let sts: QueryService
    let ecr: JSONService
    let environment: ServiceEnvironment
    let authenticator: Authenticator
    let admin: AdminEndpoints
    let registry: RegistryGateway
    let bodyReader = RequestBodyReader()

    func respond(to request: Request, context: GatehouseRequestContext) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/_gatehouse/") {
            return try await admin.respond(to: request, context: context)
        }
        if path == "/v2" || path.hasPrefix("/v2/") {
            return try await registry.respond(to: request, context: context)
        }
        var wire = WireRequest(
            method: request.method.rawValue, path: path, query: request.uri.query ?? "",
            headers: Self.headers(of: request), body: [])
        let now = environment.clock.now()
        let requestId = environment.ids.uuid()
        let target = wire.header("x-amz-target")

        // Decided from the head alone: how much body this request may make the server hold.
        // The signature is read from the head too: query string and headers.
        let parsed: Result<SigV4.Claim?, SigV4.Failure> = Result { () throws(SigV4.Failure) in try SigV4.parse(wire, now: now) }
        let claim = (try? parsed.get()) ?? nil
        let protocolLimit = target == nil ? RequestBodyReader.queryLimit : RequestBodyReader.jsonLimit
        let authenticated = claim.map { authenticator.recognizes($0) } ?? false
        let reserved: Int
        do {
            (wire.body, reserved) = try await bodyReader.read(request, limit: protocolLimit, authenticated: authenticated)
        } catch let refusal as RequestBodyReader.Refusal {
            let service: WireProtocol = target != nil ? .json : (claim?.scope.service == "sts" ? sts.wire : iam.wire)
            let error = switch refusal {
            case .tooLarge(let limit): FrontDoorError.requestTooLarge(service, limit: limit)
            case .busy: FrontDoorError.serviceUnavailable(service)
            }
            // The rest of the body is not read: the connection cannot carry another request.
            var response = Self.httpResponse(.error(error, wire: service, requestId: requestId), requestId: requestId)
            response.headers[.connection] = "close"
            return response
        }
        defer { bodyReader.release(reserved) }

        let response: ServiceResponse
        if let target {
            response = await json(wire, target: target, claim: parsed, now: now, requestId: requestId, context: context)
        } else {
            guard let answer = await query(wire, claim: parsed, now: now, requestId: requestId, context: context) else {
                // AWS redirects a request without an Action to its marketing page.
                return Response(status: .found, headers: [.location: "https://aws.amazon.com/iam"])
            }
            response = answer
        }
        return Self.httpResponse(response, requestId: requestId)
    }

    // MARK: - Protocols

    private func query(
        _ wire: WireRequest, claim parsed: Result<SigV4.Claim?, SigV4.Failure>, now: Timestamp, requestId: String,
        context: GatehouseRequestContext
    ) async -> ServiceResponse? {
        var parameters = wire.queryParameters
        if wire.method == "POST", wire.header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false {
            for (key, value) in FormEncoding.pairs(String(decoding: wire.body, as: UTF8.self)) where parameters[key] == nil {
                parameters[key] = value
            }
        }
        guard let action = parameters["Action"] else { return nil }
        let version = parameters["Version"]

        let scopeService = (try? parsed.get())??.scope.service
        let service: QueryService
        switch (scopeService, version) {
        case ("sts", _): service = sts
        case ("iam", _): service = iam
        case (_, STSShapes.apiVersion): service = sts
        default: service = iam
        }

        let authenticated: Authenticator.Authenticated
        switch parsed {
        case .failure(let failure):
            return .error(FrontDoorError.authentication(failure, service.wire), wire: service.wire, requestId: requestId)
        case .success(let claim):
            if claim == nil && service.isUnsigned(action) {
                authenticated = .init(principal: .anonymous(accountId: environment.settings.defaultAccountId), region: nil)
            } else {
                do {
                    authenticated = try authenticator.authenticate(
                        wire, claim: claim, signingName: service.signingName, wire: service.wire, now: now)
                } catch {
                    return .error(error, wire: service.wire, requestId: requestId)
                }
            }
        }
        let operationContext = makeContext(wire, authenticated, now: now, requestId: requestId, peer: context)
        return await service.dispatch(action: action, version: version, parameters: parameters, context: operationContext)
    }

    private func json(
        _ wire: WireRequest, target: String, claim parsed: Result<SigV4.Claim?, SigV4.Failure>, now: Timestamp,
        requestId: String, context: GatehouseRequestContext
    ) async -> ServiceResponse {
        guard let operation = ecr.operation(fromTarget: target) else {
            return .error(FrontDoorError.unknownOperation(.json, action: target, version: nil), wire: .json, requestId: requestId)
        }
        let authenticated: Authenticator.Authenticated
        do throws(AWSError) {
            let claim: SigV4.Claim?
            switch parsed {
            case .success(let parsedClaim): claim = parsedClaim
            case .failure(let failure): throw FrontDoorError.authentication(failure, .json)
            }
            authenticated = try authenticator.authenticate(wire, claim: claim, signingName: ecr.signingName, wire: .json, now: now)
        } catch {
            return .error(error, wire: .json, requestId: requestId)
        }
        let operationContext = makeContext(wire, authenticated, now: now, requestId: requestId, peer: context)
        return await ecr.dispatch(operation: operation, body: wire.body, context: operationContext)
    }

    private func makeContext(
        _ wire: WireRequest, _ authenticated: Authenticator.Authenticated, now: Timestamp, requestId: String,
        peer: GatehouseRequestContext
    ) -> OperationContext {
        OperationContext(
            requestId: requestId, principal: authenticated.principal,
            region: authenticated.region ?? environment.settings.defaultRegion, now: now, sourceIp: peer.sourceIp,
            secureTransport: false, userAgent: wire.header("user-agent"), environment: environment)
    }

    // MARK: - HTTP

    /// Header fields as SigV4 sees them, `host` included (HTTP types keep it apart as the authority).
    static func headers(of request: Request) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count + 1)
        if let authority = request.head.authority { headers.append(("host", authority)) }
        for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
        return headers
    }

    static func httpResponse(_ response: ServiceResponse, requestId: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = response.contentType
        headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}
