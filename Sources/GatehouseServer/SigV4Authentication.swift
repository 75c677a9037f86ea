import AWSShapes
import AWSWire
import Hummingbird
import ServiceKit

/// The AWS APIs' scheme: the principal whose key signed the call that
/// `APIFrontDoor` read, or the anonymous principal for an operation AWS
/// serves unsigned (STS's federation calls) when the call carries no
/// signature at all. Refusals are AWS's, in the called service's protocol.
struct SigV4Authentication: AuthenticationScheme {
    let authenticator: Authenticator
    let defaultAccountId: String

    func caller(of request: Request, context: GatehouseRequestContext) throws -> Caller {
        guard let call = context.apiCall else { preconditionFailure("SigV4Authentication runs behind APIFrontDoor") }
        let claim: SigV4.Claim?
        switch call.claim {
        case .failure(let failure): throw call.failure(FrontDoorError.authentication(failure, call.wireProtocol))
        case .success(let parsed): claim = parsed
        }
        if claim == nil, case .query(let service, let action, _, _) = call.operation, service.isUnsigned(action) {
            return .aws(principal: .anonymous(accountId: defaultAccountId), region: nil)
        }
        do {
            let authenticated = try authenticator.authenticate(
                call.wire, claim: claim, signingName: call.signingName, wire: call.wireProtocol, now: call.now)
            return .aws(principal: authenticated.principal, region: authenticated.region)
        } catch {
            throw call.failure(error)
        }
    }
}
