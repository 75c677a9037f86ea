import AWSShapes
import ServiceKit
import Storage

/// GetSessionToken (MFA-backed sessions of a user or the root user) and
/// GetFederationToken (a federated user's session limited by a session policy).
enum SessionTokens {
    static let defaultDuration = 43_200
    /// Sessions from root credentials last at most an hour (STS API reference).
    static let rootMaximum = 3600

    static func register(_ r: inout QueryService.Registrar) {
        // "No permissions are required for users to perform this operation."
        r.register(
            STSOperation.GetSessionToken.self,
            .transaction(.write, target: { _, _, _ in NoTarget() }, access: { _, _, _, _ in [] }, act: sessionToken))
        r.register(
            STSOperation.GetFederationToken.self,
            .transaction(.write, target: { _, _, _ in NoTarget() }, access: federationAccess, act: federationToken))
    }

    static func sessionToken(
        _ input: STSShapes.GetSessionTokenRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> STSShapes.GetSessionTokenResponse {
        let caller = context.principal
        guard caller.session == nil, caller.kind == .user || caller.kind == .root else { throw STSError.sessionTokenFromSession }
        let mfa = try MFACheck.verify(serialNumber: input.serialNumber, tokenCode: input.tokenCode, context: context, tx)
        let requested = input.durationSeconds ?? defaultDuration
        let duration = caller.kind == .root ? min(requested, rootMaximum) : requested
        let credentials = try SessionIssuer.issue(
            kind: .sessionToken, accountId: caller.accountId, userId: caller.kind == .user ? caller.entityId : nil,
            sessionName: nil, duration: duration, sessionContext: SessionContext(mfaAuthenticated: mfa, mfaAuthenticatedAt: mfa ? context.now.secondsSince1970 : nil), context: context, tx)
        return STSShapes.GetSessionTokenResponse(credentials: credentials)
    }

    static func federationAccess(
        _ input: STSShapes.GetFederationTokenRequest, _ target: NoTarget, _ context: OperationContext, _ action: String
    ) throws -> [AccessRequest] {
            guard context.principal.session == nil else { throw STSError.federationTokenFromSession }
            var keys: [String: [String]] = [:]
            if let tags = input.tags, !tags.isEmpty {
                keys["aws:TagKeys"] = tags.map(\.key)
                for tag in tags { keys["aws:RequestTag/\(tag.key)"] = [tag.value] }
            }
            let resource = "arn:aws:sts::\(context.accountId):federated-user/\(input.name)"
            var requests = [AccessRequest(action: "sts:GetFederationToken", resource: resource, keys: keys)]
            if !(input.tags ?? []).isEmpty { requests.append(AccessRequest(action: "sts:TagSession", resource: resource, keys: keys)) }
            return requests
    }

    static func federationToken(
        _ input: STSShapes.GetFederationTokenRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> STSShapes.GetFederationTokenResponse {
            let caller = context.principal
            let policies = try SessionPolicies(policy: input.policy, policyArns: input.policyArns, tags: input.tags)
            let packed = try policies.packedSize()
            let requested = input.durationSeconds ?? defaultDuration
            let duration = caller.kind == .root ? min(requested, rootMaximum) : requested
            // The root user may call it too (the API reference advises against it, and caps the session at an hour):
            // its federated user's permissions are then the session policy's alone.
            let userId: String? = caller.kind == .user ? caller.entityId : nil
            guard caller.kind == .root || userId != nil else { throw STSError.federationTokenFromSession }
                let credentials = try SessionIssuer.issue(
                    kind: .federatedUser, accountId: caller.accountId, userId: userId, sessionName: input.name,
                    duration: duration,
                    sessionContext: SessionContext(policy: policies.policy, policyArns: policies.policyArns, tags: policies.tags),
                    context: context, tx)
                return STSShapes.GetFederationTokenResponse(
                    credentials: credentials,
                    federatedUser: STSShapes.FederatedUser(
                        arn: "arn:aws:sts::\(caller.accountId):federated-user/\(input.name)",
                        federatedUserId: "\(caller.accountId):\(input.name)"),
                    // Present even without session policies: 0 (recorded, LocalStack test_get_federation_token, 2024).
                    packedPolicySize: packed ?? 0)
    }
}
