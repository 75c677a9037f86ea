import AWSShapes
import Foundation
import GRDB
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
        guard let (account, roleName) = AssumeRole.roleArnParts(input.roleArn) else { throw STSError.invalidArn(input.roleArn) }
        let token = try WebIdentityToken(input.webIdentityToken)
        guard let issuer = token.issuer else { throw WebIdentityError.invalid("The ID token provided is not a valid JWT.") }
        let sessionPolicies = try SessionPolicies(policy: input.policy, policyArns: input.policyArns, tags: nil)
        let packed = try sessionPolicies.packedSize()

        let (providerArn, audience) = try await context.store.read { db -> (String, String) in
            try token.verifySignature(db)
            let now = context.now.secondsSince1970
            if let expiry = token.expiry, now >= expiry { throw WebIdentityError.expired(now: now, expiry: expiry) }
            let url = WebIdentityToken.providerURL(issuer)
            guard let row = try Row.fetchOne(
                db, cached: "SELECT arn, clientIds FROM oidcProvider WHERE accountId = ? AND url = ?", arguments: [account, url])
            else { throw WebIdentityError.noProvider(issuer) }
            let clientIds = ((try? JSONParser.parse(row["clientIds"] as String))?.arrayValue ?? []).compactMap(\.stringValue)
            guard let audience = token.audiences.first(where: clientIds.contains) else { throw WebIdentityError.audience }
            return (row["arn"], audience)
        }

        let url = WebIdentityToken.providerURL(issuer)
        var keys: [String: [String]] = ["\(url):aud": [audience]]
        for claim in ["sub", "amr", "azp"] {
            if let values = token.claim(claim) { keys["\(url):\(claim)"] = values }
        }
        let federated = Principal(
            kind: .federatedIdentity, accountId: account, arn: providerArn, userId: token.subject ?? "",
            entityArn: providerArn, accessKeyId: "")
        let trustContext = OperationContext(
            requestId: context.requestId, principal: federated, region: context.region, now: context.now,
            sourceIp: context.sourceIp, secureTransport: context.secureTransport, userAgent: context.userAgent,
            environment: context.environment)
        do {
            try context.environment.authorizer.authorize(
                [AccessRequest(action: "sts:AssumeRoleWithWebIdentity", resource: input.roleArn, keys: keys, resourceAccount: account)],
                context: trustContext, wire: .query(namespace: STSShapes.xmlNamespace))
        } catch let error as AWSError where error.code == "AccessDenied" {
            throw STSError.accessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity")
        }

        return try await context.store.write { db in
            guard let role = try RoleRecord.fetchOne(
                db, cached: "SELECT * FROM role WHERE accountId = ? AND name = ?", arguments: [account, roleName]), role.arn == input.roleArn
            else { throw STSError.accessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity") }
            let duration = input.durationSeconds ?? AssumeRole.defaultDuration
            if duration > role.maxSessionDuration { throw STSError.durationOverRoleMaximum }
            let credentials = try SessionIssuer.issue(
                kind: .assumedRole, accountId: role.accountId, roleId: role.id, sessionName: input.roleSessionName,
                duration: duration,
                sessionContext: SessionContext(
                    policy: sessionPolicies.policy, policyArns: sessionPolicies.policyArns, federatedProvider: providerArn),
                context: context, db)
            try db.execute(
                cached: "UPDATE role SET lastUsedAt = ?, lastUsedRegion = ? WHERE id = ?",
                arguments: [context.now.secondsSince1970, context.region, role.id])
            return STSShapes.AssumeRoleWithWebIdentityResponse(
                assumedRoleUser: STSShapes.AssumedRoleUser(
                    arn: "arn:aws:sts::\(role.accountId):assumed-role/\(role.name)/\(input.roleSessionName)",
                    assumedRoleId: "\(role.id):\(input.roleSessionName)"),
                audience: audience, credentials: credentials, packedPolicySize: packed, provider: issuer,
                subjectFromWebIdentityToken: token.subject)
        }
    }
}
