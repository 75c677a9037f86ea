import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import ServiceKit
import Storage

/// AssumeRole: a role session for a caller its trust policy lets in.
///
/// Authorization checks both sides at once — the caller's `sts:AssumeRole`
/// permission and the role's trust policy (the role's resource-based policy,
/// which must allow on its own) — with the request's trust conditions
/// (`sts:ExternalId`, session name, tags, source identity).
enum AssumeRole {
    static let defaultDuration = 3600
    static let chainedMaximum = 3600

    static func register(_ r: inout QueryService.Registrar) {
        r.register(STSOperation.AssumeRole.self, .transaction(.write, target: target, access: access, act: assume))
    }

    /// The role asked for, and whether the request proves MFA.
    struct Target: OperationTarget {
        let resource: String
        /// When `SerialNumber` and `TokenCode` proved MFA; nil without them.
        let mfaAt: Double?
        var facts: ResourceFacts { .lookUp }
    }

    /// The request is checked, and its MFA code verified, before the trust
    /// policy is evaluated: the MFA is part of what the trust policy sees
    /// (`aws:MultiFactorAuthPresent`, `aws:MultiFactorAuthAge`), which is how
    /// a trust policy requires it and how CLI profiles with `mfa_serial` work.
    static func target(_ input: STSShapes.AssumeRoleRequest, _ context: OperationContext, _ tx: Transaction) throws -> Target {
        if context.principal.kind == .root { throw STSError.rootCannotAssumeRoles }
        guard roleArnParts(input.roleArn) != nil else { throw STSError.invalidArn(input.roleArn) }
        try checkTransitiveTags(input, caller: context.principal)
        let mfa = try MFACheck.verify(serialNumber: input.serialNumber, tokenCode: input.tokenCode, context: context, tx)
        return Target(resource: input.roleArn, mfaAt: mfa ? context.now.secondsSince1970 : nil)
    }

    /// The caller's permission and the role's trust policy, for the session and what comes with it.
    static func access(
        _ input: STSShapes.AssumeRoleRequest, _ target: Target, _ context: OperationContext, _ action: String
    ) throws -> [AccessRequest] {
        guard let arn = roleArnParts(input.roleArn) else { throw STSError.invalidArn(input.roleArn) }
        var keys: [String: [String]] = ["sts:RoleSessionName": [input.roleSessionName]]
        if let externalId = input.externalId { keys["sts:ExternalId"] = [externalId] }
        if let source = input.sourceIdentity { keys["sts:SourceIdentity"] = [source] }
        if let tags = input.tags, !tags.isEmpty {
            keys["aws:TagKeys"] = tags.map(\.key)
            for tag in tags { keys["aws:RequestTag/\(tag.key)"] = [tag.value] }
        }
        if let transitive = input.transitiveTagKeys { keys["sts:TransitiveTagKeys"] = transitive }
        if target.mfaAt != nil {
            // Proven by this very request: present, and no time has passed.
            keys["aws:MultiFactorAuthPresent"] = ["true"]
            keys["aws:MultiFactorAuthAge"] = ["0"]
        }
        var requests = [AccessRequest(action: "sts:AssumeRole", resource: input.roleArn, keys: keys, resourceAccount: arn.account)]
        if !(input.tags ?? []).isEmpty || !(input.transitiveTagKeys ?? []).isEmpty {
            requests.append(AccessRequest(action: "sts:TagSession", resource: input.roleArn, keys: keys, resourceAccount: arn.account))
        }
        if input.sourceIdentity != nil {
            requests.append(AccessRequest(action: "sts:SetSourceIdentity", resource: input.roleArn, keys: keys, resourceAccount: arn.account))
        }
        return requests
    }

    /// Transitive tag keys name tags of this request, and a chained session
    /// may not set a tag its calling session passes on (keys compare without
    /// regard to case, as session tag keys do).
    static func checkTransitiveTags(_ input: STSShapes.AssumeRoleRequest, caller: Principal) throws {
        let requested = Set((input.tags ?? []).map { $0.key.lowercased() })
        for key in input.transitiveTagKeys ?? [] where !requested.contains(key.lowercased()) {
            throw STSError.transitiveKeyNotInTags
        }
        if caller.kind == .assumedRole, let inherited = caller.session?.context.transitiveTagKeys,
            inherited.contains(where: { requested.contains($0.lowercased()) })
        {
            throw STSError.transitiveKeyConflict
        }
    }

    /// The account and name of a role ARN (`arn:aws:iam::ACCT:role/path/name`).
    static func roleArnParts(_ value: String) -> (account: String, name: String)? {
        guard let arn = ARNParts(value), arn.service == "iam", arn.resource.hasPrefix("role/"), !arn.account.isEmpty else {
            return nil
        }
        return (arn.account, String(arn.resource.split(separator: "/").last ?? ""))
    }

    static func assume(
        _ input: STSShapes.AssumeRoleRequest, _ target: Target, _ context: OperationContext, _ tx: Transaction
    ) throws -> STSShapes.AssumeRoleResponse {
        let caller = context.principal
        let sessionPolicies = try SessionPolicies(policy: input.policy, policyArns: input.policyArns, tags: input.tags)
        let packed = try sessionPolicies.packedSize()
            guard let role = try role(input.roleArn, tx) else { throw STSError.cannotAssume(caller.arn, input.roleArn) }

            let duration = input.durationSeconds ?? defaultDuration
            if duration > role.maxSessionDuration { throw STSError.durationOverRoleMaximum }
            let chained = caller.kind == .assumedRole
            if chained && duration > chainedMaximum { throw STSError.durationOverChainingLimit }

            // Transitive tags of a chained session carry over; the new session's own tags are added.
            var tags = sessionPolicies.tags
            var transitive = input.transitiveTagKeys ?? []
            if chained, let previous = caller.session?.context {
                for key in previous.transitiveTagKeys {
                    if let value = previous.tags[key], tags[key] == nil { tags[key] = value }
                    if !transitive.contains(key) { transitive.append(key) }
                }
            }
            let sourceIdentity = caller.session?.context.sourceIdentity ?? input.sourceIdentity
            // This request's MFA, or the one the calling session proved (role chaining keeps it, and its age).
            let previous = caller.session?.context
            let mfa = target.mfaAt ?? (previous?.mfaAuthenticated == true ? previous?.mfaAuthenticatedAt ?? caller.session?.issuedAt : nil)
            let sessionContext = SessionContext(
                policy: sessionPolicies.policy, policyArns: sessionPolicies.policyArns, tags: tags, transitiveTagKeys: transitive,
                sourceIdentity: sourceIdentity, mfaAuthenticated: mfa != nil, mfaAuthenticatedAt: mfa, chained: chained)
            let credentials = try SessionIssuer.issue(
                kind: .assumedRole, accountId: role.accountId, roleId: role.id, sessionName: input.roleSessionName,
                duration: duration, sessionContext: sessionContext, context: context, tx)
            return STSShapes.AssumeRoleResponse(
                assumedRoleUser: STSShapes.AssumedRoleUser(
                    arn: "arn:aws:sts::\(role.accountId):assumed-role/\(role.name)/\(input.roleSessionName)",
                    assumedRoleId: "\(role.id):\(input.roleSessionName)"),
                credentials: credentials, packedPolicySize: packed, sourceIdentity: sourceIdentity)
    }

    /// The role a role ARN names, if it exists with exactly that ARN (path included).
    static func role(_ arn: String, _ tx: Transaction) throws -> RoleRecord? {
        guard let (account, name) = roleArnParts(arn), let role = try RoleRecord.named(name, account: account, in: tx), role.arn == arn
        else { return nil }
        return role
    }
}

/// MFA codes passed with STS requests (`SerialNumber`, `TokenCode`).
enum MFACheck {
    /// Whether the request proves MFA. A serial number with a wrong code is
    /// refused; MFA devices are managed by IAM (virtual devices, TOTP). An IAM
    /// user must name a device assigned to that user.
    static func verify(serialNumber: String?, tokenCode: String?, context: OperationContext, _ tx: Transaction) throws -> Bool {
        guard let serialNumber else { return false }
        guard let tokenCode else { throw STSError.invalidMFA }
        guard let device = try tx.fetch(MFADeviceRecord.self, key: serialNumber), let owner = device.userId, let seed = device.seed,
            context.principal.kind != .user || context.principal.entityId == owner
        else {
            throw STSError.unknownMFADevice
        }
        guard TOTP.accepts(tokenCode, seed: Array(seed), at: context.now.secondsSince1970) else { throw STSError.invalidMFA }
        return true
    }
}
