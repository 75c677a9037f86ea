import AWSShapes
import ServiceKit
import Storage

/// The STS operations that need something an emulated standalone account does
/// not have — an organization with centralized root access, delegation
/// requests, outbound web identity federation, encoded authorization messages.
/// Each is authorized as AWS authorizes it, then answered the way AWS answers
/// an account without that feature: never with invented credentials.
enum OrganizationFeatures {
    static func register(_ r: inout QueryService.Registrar) {
        // Gatehouse's services (like AWS's IAM, STS and ECR) never return encoded
        // authorization messages, so there is nothing it could decode.
        r.register(STSOperation.DecodeAuthorizationMessage.self, access: .check { _, _ in
            [AccessRequest(action: "sts:DecodeAuthorizationMessage", resource: "*")]
        }) { _, _ in
            throw STSShapes.Errors.invalidAuthorizationMessage(
                "The message is not an authorization message this service encoded: IAM, STS and ECR do not return encoded authorization messages.")
        }

        r.register(STSOperation.AssumeRoot.self, access: .check { input, _ in
            [AccessRequest(action: "sts:AssumeRoot", resource: "arn:aws:iam::\(input.targetPrincipal):root")]
        }) { _, _ in
            throw STSError.accessDenied(
                "Your account is not the management account or a delegated administrator of an organization with centralized root access enabled.")
        }

        r.register(STSOperation.GetDelegatedAccessToken.self, access: .check { _, _ in
            [AccessRequest(action: "sts:GetDelegatedAccessToken", resource: "*")]
        }) { _, _ in
            // Trade-in tokens come from approved delegation requests, which this account has none of.
            throw STSShapes.Errors.expiredTradeInToken("The trade-in token is expired or was not issued for this account.")
        }

        // An account that enabled outbound federation (IAM EnableOutboundWebIdentityFederation) would get a
        // signed JWT from AWS; Gatehouse has no signing key for its issuer yet, so it says that, by name,
        // rather than claim the feature is off.
        r.register(
            STSOperation.GetWebIdentityToken.self,
            .transaction(.read, target: { _, _, _ in ResourceARN("*") }) { _, _, context, tx in
                guard try AccountPreferenceRecord.of(context.accountId, in: tx).outboundEnabled else {
                    throw STSShapes.Errors.outboundWebIdentityFederationDisabled(
                        "The outbound web identity federation feature is not enabled for this account.")
                }
                throw AWSError(
                    code: "NotImplemented",
                    message: "Gatehouse does not implement STS GetWebIdentityToken for accounts with outbound web identity federation enabled yet: it cannot sign web identity tokens.",
                    status: 501, senderFault: false)
            })
    }
}
