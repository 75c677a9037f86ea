import AWSShapes
import GRDB
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
        r.register(STSOperation.GetSessionToken.self, access: .alwaysAllowed) { input, context in
            let caller = context.principal
            guard caller.session == nil, caller.kind == .user || caller.kind == .root else { throw STSError.sessionTokenFromSession }
            let mfa = try MFACheck.verify(serialNumber: input.serialNumber, tokenCode: input.tokenCode, context: context)
            let requested = input.durationSeconds ?? defaultDuration
            let duration = caller.kind == .root ? min(requested, rootMaximum) : requested
            return try await context.store.write { db in
                let credentials = try SessionIssuer.issue(
                    kind: .sessionToken, accountId: caller.accountId, userId: caller.kind == .user ? caller.entityId : nil,
                    sessionName: nil, duration: duration, sessionContext: SessionContext(mfaAuthenticated: mfa),
                    context: context, db)
                return STSShapes.GetSessionTokenResponse(credentials: credentials)
            }
        }

        r.register(STSOperation.GetFederationToken.self, access: .check { input, context in
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
        }) { input, context in
            let caller = context.principal
            let policies = try SessionPolicies(policy: input.policy, policyArns: input.policyArns, tags: input.tags)
            let packed = try policies.packedSize()
            let requested = input.durationSeconds ?? defaultDuration
            let duration = caller.kind == .root ? min(requested, rootMaximum) : requested
            guard caller.kind == .user, let userId = caller.entityId else {
                // The root user's federated sessions have nothing to derive from in IAM.
                throw STSError.accessDenied("Gatehouse issues federation tokens to IAM users only")
            }
            return try await context.store.write { db in
                let credentials = try SessionIssuer.issue(
                    kind: .federatedUser, accountId: caller.accountId, userId: userId, sessionName: input.name,
                    duration: duration,
                    sessionContext: SessionContext(policy: policies.policy, policyArns: policies.policyArns, tags: policies.tags),
                    context: context, db)
                return STSShapes.GetFederationTokenResponse(
                    credentials: credentials,
                    federatedUser: STSShapes.FederatedUser(
                        arn: "arn:aws:sts::\(caller.accountId):federated-user/\(input.name)",
                        federatedUserId: "\(caller.accountId):\(input.name)"),
                    packedPolicySize: packed)
            }
        }
    }
}
