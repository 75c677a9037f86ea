import AWSShapes
import AWSWire
import Logging
import ServiceKit

/// Turns a request's SigV4 signature into the calling principal, or into the
/// error AWS answers, in the protocol of the addressed service.
///
/// Checks run in AWS's order: the signature can be read, its credential
/// scope names a region, this service, the terminator and the request's day,
/// the key exists and is active, the session token belongs to the key and has not expired, and
/// only then the signature is recomputed.
struct Authenticator: Sendable {
    let credentials: CredentialResolver
    let signingKeys = SigningKeyCache()
    let acceptUnknownKeys: Bool
    let defaultAccountId: String

    struct Authenticated: Sendable {
        var principal: Principal
        var region: String?
    }

    /// Whether the claim names a key that could sign this request (it exists
    /// and is active), judged before the body is read; the signature itself
    /// is checked by `authenticate`, over the body.
    func recognizes(_ claim: SigV4.Claim) -> Bool {
        if acceptUnknownKeys { return true }
        guard let credential = try? credentials.credential(for: claim.scope.accessKeyId) else { return false }
        return credential.active
    }

    func authenticate(
        _ request: WireRequest, claim: SigV4.Claim?, signingName: String, wire: WireProtocol, now: Timestamp
    ) throws(AWSError) -> Authenticated {
        guard let claim else { throw FrontDoorError.missingAuthentication(wire) }
        do {
            try SigV4.checkScope(claim, service: signingName, regions: AWSRegions.partition)
        } catch {
            throw FrontDoorError.authentication(error, wire)
        }
        let found: CredentialResolver.Credential?
        do {
            found = try credentials.credential(for: claim.scope.accessKeyId)
        } catch {
            Logger(label: "gatehouse").error("credential lookup failed: \(error)")
            throw FrontDoorError.internalFailure(wire)
        }
        guard let credential = found else {
            if acceptUnknownKeys {
                return Authenticated(
                    principal: .root(accountId: defaultAccountId, accessKeyId: claim.scope.accessKeyId),
                    region: claim.scope.region)
            }
            throw FrontDoorError.invalidClientToken(wire)
        }
        guard credential.active else { throw FrontDoorError.invalidClientToken(wire) }
        if let token = credential.sessionToken {
            guard claim.securityToken == token else { throw FrontDoorError.invalidClientToken(wire) }
            if let expiresAt = credential.expiresAt, now.secondsSince1970 >= expiresAt {
                throw FrontDoorError.expiredToken(wire)
            }
        } else if let token = claim.securityToken, !token.isEmpty {
            throw FrontDoorError.invalidClientToken(wire)
        }
        guard SigV4.verify(claim, request: request, secret: credential.secret, keys: signingKeys) else {
            throw FrontDoorError.signatureDoesNotMatch(wire)
        }
        // GetSessionToken credentials reach IAM only with MFA (STS API reference).
        if let session = credential.principal.session, session.kind == .sessionToken, !session.context.mfaAuthenticated,
            signingName == "iam"
        {
            throw FrontDoorError.invalidClientToken(wire)
        }
        return Authenticated(principal: credential.principal, region: claim.scope.region)
    }
}
