import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import ServiceKit
import Storage

/// AssumeRoleWithWebIdentity: the CI-system way in (GitHub Actions, EKS).
///
/// Served unsigned. The token is verified (signature with the issuer's
/// registered keys, expiry), its issuer must be an IAM OIDC provider of the
/// role's account and its audience one of the provider's client ids; then the
/// role's trust policy decides, with the token's claims as condition keys
/// (`<provider>:sub`, `:aud`, `:amr`, `:azp`).
enum AssumeRoleWithWebIdentity {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(STSOperation.AssumeRoleWithWebIdentity.self, access: .unsigned, handler: assume)
    }

    @Sendable
    static func assume(
        _ input: STSShapes.AssumeRoleWithWebIdentityRequest, _ context: OperationContext
    ) async throws -> STSShapes.AssumeRoleWithWebIdentityResponse {
        guard let (account, _) = AssumeRole.roleArnParts(input.roleArn) else { throw STSError.invalidArn(input.roleArn) }
        let token = try WebIdentityToken(input.webIdentityToken)
        guard let issuer = token.issuer else { throw WebIdentityError.invalid("The ID token provided is not a valid JWT.") }
        let sessionPolicies = try SessionPolicies(policy: input.policy, policyArns: input.policyArns, tags: nil)
        let packed = try sessionPolicies.packedSize()

        let (keys, provider) = try context.store.transaction(.read) { tx in
            (try OIDCSigningKey.all(in: tx), try OIDCProviderRecord.forURL(WebIdentityToken.providerURL(issuer), account: account, in: tx))
        }
        // Verified outside any transaction: signature checks are the costly part.
        try token.verifySignature(with: keys)
        let now = context.now.secondsSince1970
        if let expiry = token.expiry, now >= expiry { throw WebIdentityError.expired(now: now, expiry: expiry) }
        guard let provider else { throw WebIdentityError.noProvider(issuer) }
        guard let audience = token.audiences.first(where: provider.clientIds.contains) else { throw WebIdentityError.audience }
        let providerArn = provider.arn

        let url = WebIdentityToken.providerURL(issuer)
        var conditionKeys: [String: [String]] = ["\(url):aud": [audience]]
        for claim in ["sub", "amr", "azp"] {
            if let values = token.claim(claim) { conditionKeys["\(url):\(claim)"] = values }
        }
        let federated = Principal(
            kind: .federatedIdentity, accountId: account, arn: providerArn, userId: token.subject ?? "",
            entityArn: providerArn, accessKeyId: "")
        let trustContext = OperationContext(
            requestId: context.requestId, principal: federated, region: context.region, now: context.now,
            sourceIp: context.sourceIp, secureTransport: context.secureTransport, userAgent: context.userAgent,
            environment: context.environment)
        let notAuthorized = STSError.accessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity")
        return try context.store.transaction(.write) { tx in
            do {
                try context.environment.authorizer.authorize(
                    [AccessRequest(action: "sts:AssumeRoleWithWebIdentity", resource: input.roleArn, keys: conditionKeys, resourceAccount: account)],
                    context: trustContext, in: tx)
            } catch is AccessDenied {
                throw notAuthorized
            }
            guard let role = try AssumeRole.role(input.roleArn, tx) else { throw notAuthorized }
            let duration = input.durationSeconds ?? AssumeRole.defaultDuration
            if duration > role.maxSessionDuration { throw STSError.durationOverRoleMaximum }
            let credentials = try SessionIssuer.issue(
                kind: .assumedRole, accountId: role.accountId, roleId: role.id, sessionName: input.roleSessionName,
                duration: duration,
                sessionContext: SessionContext(
                    policy: sessionPolicies.policy, policyArns: sessionPolicies.policyArns, federatedProvider: providerArn),
                context: context, tx)
            return STSShapes.AssumeRoleWithWebIdentityResponse(
                assumedRoleUser: STSShapes.AssumedRoleUser(
                    arn: "arn:aws:sts::\(role.accountId):assumed-role/\(role.name)/\(input.roleSessionName)",
                    assumedRoleId: "\(role.id):\(input.roleSessionName)"),
                // The IAM OIDC provider's ARN, not the issuer the model's text describes (recorded: raw STS XML
                // and CLI output for EKS, Google and SPIRE tokens; docs/research/fidelity-issue18.md §14).
                audience: audience, credentials: credentials, packedPolicySize: packed, provider: providerArn,
                subjectFromWebIdentityToken: token.subject)
        }
    }
}
