import AWSShapes
import AWSWire
import Logging
import PolicyEngine
import Storage
import Synchronization

/// How strictly decisions are applied (`gatehouse serve --enforce`).
public enum EnforcementMode: String, Sendable, CaseIterable {
    /// Denials refuse the request (AWS's behaviour).
    case on
    /// Everything is evaluated and logged; nothing is refused.
    case audit
    /// Nothing is evaluated.
    case off
}

/// The one place requests are allowed or denied: loads the caller's policies,
/// the resource's policy and tags, builds the request context AWS would, asks
/// the policy engine, logs the decision and, on a denial, throws AWS's
/// AccessDenied in the wire protocol's form.
public final class PolicyAuthorizer: Authorizer {
    private let loader: PolicyLoader
    private let providers: [String: any ResourceProvider]
    private let mode: EnforcementMode
    public let log: DecisionLog
    private let store: Store
    /// Resource facts by `ARN|action`, with the change sequence they were read at.
    private let resources = Mutex<[String: (sequence: UInt64, information: ResourceInformation)]>([:])

    public init(
        store: Store, catalog: ManagedPolicyCatalog, providers: [any ResourceProvider], mode: EnforcementMode = .on,
        log: DecisionLog = DecisionLog()
    ) {
        self.store = store
        self.loader = PolicyLoader(store: store, catalog: catalog)
        self.providers = Dictionary(providers.map { ($0.arnService, $0) }, uniquingKeysWith: { a, _ in a })
        self.mode = mode
        self.log = log
    }

    public func authorize(_ requests: [AccessRequest], context: OperationContext, in transaction: Transaction?) throws {
        guard mode != .off else { return }
        for request in requests {
            let (decision, policies) = try evaluateWithPolicies(request, context: context, in: transaction)
            let refused = !decision.isAllowed && mode == .on
            log.record(DecisionLog.Entry(
                time: context.now.secondsSince1970, requestId: context.requestId, principal: context.principal.arn,
                action: request.action, resource: request.resource, outcome: decision.outcome.rawValue, enforced: refused,
                reason: decision.denialReason(action: request.action),
                statements: decision.matchedStatements.map { "\($0.policyID)#\($0.sid ?? String($0.statementIndex))" },
                // What was weighed is kept for denials only: what "why was I denied?" shows.
                evaluated: decision.isAllowed ? [] : Self.evaluated(policies)))
            if refused {
                var named = request
                // A service names its own resources its way, for its own actions only
                // (an sts:AssumeRole denial keeps the role's ARN).
                if case .loaded(let information?) = request.facts, let name = information.denialName {
                    named.resource = name
                } else if let arn = ARNParts(request.resource), request.action.lowercased().hasPrefix(arn.service + ":"),
                    let name = providers[arn.service]?.denialName(of: request.resource, action: request.action)
                {
                    named.resource = name
                }
                throw Self.accessDenied(decision, request: named, principal: context.principal)
            }
        }
    }

    /// The decision for one request, without refusing or logging.
    public func evaluate(_ request: AccessRequest, context: OperationContext, in transaction: Transaction? = nil) throws -> Decision {
        try evaluateWithPolicies(request, context: context, in: transaction).decision
    }

    /// The policies of a set, as a decision log names them: `TYPE POLICY-ID`.
    static func evaluated(_ policies: PolicySet) -> [String] {
        let identity = policies.identity
        return identity.identityPolicies.map { "identity-based \($0.source.rawValue) \($0.id)" }
            + (identity.permissionsBoundary.map { ["permissions boundary \($0.id)"] } ?? [])
            + identity.sessionPolicies.map { "session policy \($0.id)" }
            + (policies.resourcePolicy.map { ["resource-based \($0.policy.id)"] } ?? [])
    }

    private func evaluateWithPolicies(
        _ request: AccessRequest, context: OperationContext, in transaction: Transaction?
    ) throws -> (decision: Decision, policies: PolicySet) {
        let principal = context.principal
        let loaded = try loader.policies(for: principal, in: transaction)
        let resource: ResourceInformation?
        switch request.facts {
        case .loaded(let information): resource = information
        case .lookUp: resource = try information(about: request.resource, action: request.action, in: transaction)
        }
        var keys = globalKeys(context, principalTags: loaded.tags)
        for (key, values) in request.keys { keys[key] = ContextValue(values) }
        if let resource {
            let service = ARNParts(request.resource)?.service ?? ""
            for (key, value) in resource.tags {
                keys["aws:ResourceTag/\(key)"] = ContextValue(value)
                if !service.isEmpty { keys["\(service):ResourceTag/\(key)"] = ContextValue(value) }
            }
        }
        let resourcePolicy = resource.flatMap { info -> AttachedPolicy? in
            guard let text = info.policy else { return nil }
            let kind: PolicyKind = info.policyKind == .trust ? .trust : .resource
            guard let document = loader.parse(text, cacheKey: nil, kind: kind) else { return nil }
            return AttachedPolicy(id: request.resource, source: .resource, document: document)
        }
        let (authorization, policies) = Self.question(
            principal: Self.evaluationPrincipal(principal), action: request.action, resource: request.resource,
            resourceAccount: request.resourceAccount ?? resource?.ownerAccountId, resourcePolicy: resourcePolicy,
            identity: loaded.identity, context: keys)
        return (PolicyEvaluator.evaluate(authorization, policies: policies), policies)
    }

    /// The one way a request is put to the policy engine, for enforcement
    /// and for IAM's policy simulator alike, so that the two cannot disagree:
    /// the resource's account is the one given, or its ARN's (`aws` for AWS
    /// managed policies, which is no other account); the resource policy
    /// belongs to that account; the principal's own keys join the context.
    public static func question(
        principal: EvaluationPrincipal, action: String, resource: String, resourceAccount: String?,
        resourcePolicy: AttachedPolicy?, identity: IdentityPolicies, context: RequestContext
    ) -> (request: AuthorizationRequest, policies: PolicySet) {
        let account = resourceAccount.flatMap { $0.isEmpty ? nil : $0 } ?? ARNParts(resource)?.account.nonEmpty
        let request = AuthorizationRequest(
            principal: principal, action: action, resource: resource, resourceAccountID: account,
            context: context.merging(principal.globalContextKeys))
        let policies = PolicySet(
            identity: identity,
            resourcePolicy: resourcePolicy.map { ResourcePolicy(policy: $0, ownerAccountID: account ?? principal.accountID) })
        return (request, policies)
    }

    private func information(about resource: String, action: String, in transaction: Transaction?) throws -> ResourceInformation? {
        guard let arn = ARNParts(resource), let provider = providers[arn.service] else { return nil }
        let key = resource + "|" + action
        if let hit = resources.withLock({ $0[key] }), store.changes.isCurrent(since: hit.sequence, hit.information.dependencies) {
            return hit.information
        }
        return try store.transaction(.read, within: transaction) { tx in
            let found = try provider.information(about: resource, action: action, in: tx)
            // Only committed state is cached: not what a write transaction has changed so far.
            if let found, !found.dependencies.isEmpty, !tx.hasChanges {
                resources.withLock { cache in
                    if cache.count > 10_000 { cache.removeAll() }
                    cache[key] = (tx.sequence, found)
                }
            }
            return found
        }
    }

    /// The global condition keys AWS puts in every request context
    /// (IAM User Guide, "AWS global condition context keys").
    private func globalKeys(_ context: OperationContext, principalTags: [String: String]) -> RequestContext {
        var keys = RequestContext()
        keys["aws:CurrentTime"] = ContextValue(context.now.iso8601)
        keys["aws:EpochTime"] = ContextValue(String(Int64(context.now.secondsSince1970)))
        keys["aws:SourceIp"] = ContextValue(context.sourceIp)
        keys["aws:SecureTransport"] = ContextValue(context.secureTransport ? "true" : "false")
        keys["aws:RequestedRegion"] = ContextValue(context.region)
        keys["aws:ViaAWSService"] = "false"
        keys["aws:PrincipalIsAWSService"] = "false"
        let principal = context.principal
        if principal.kind != .anonymous { keys["aws:userid"] = ContextValue(principal.userId) }
        for (key, value) in principalTags { keys["aws:PrincipalTag/\(key)"] = ContextValue(value) }
        if let session = principal.session {
            keys["aws:TokenIssueTime"] = ContextValue(Timestamp(secondsSince1970: session.issuedAt).iso8601)
            keys["aws:MultiFactorAuthPresent"] = ContextValue(session.context.mfaAuthenticated ? "true" : "false")
            if session.context.mfaAuthenticated {
                let proven = session.context.mfaAuthenticatedAt ?? session.issuedAt
                keys["aws:MultiFactorAuthAge"] = ContextValue(String(Int64(context.now.secondsSince1970 - proven)))
            }
            if let source = session.context.sourceIdentity { keys["aws:SourceIdentity"] = ContextValue(source) }
        }
        return keys
    }

    public static func evaluationPrincipal(_ principal: Principal) -> EvaluationPrincipal {
        switch principal.kind {
        case .root: .root(accountID: principal.accountId)
        case .user: .user(arn: principal.arn)
        case .assumedRole: .assumedRole(sessionARN: principal.arn, roleARN: principal.entityArn ?? principal.arn)
        case .federatedUser: .federatedUser(arn: principal.arn, userARN: principal.entityArn)
        case .anonymous: .anonymous
        case .federatedIdentity: .federatedIdentity(provider: principal.entityArn ?? "", subject: principal.userId)
        }
    }

    /// AWS's refusal, worded as AWS words it; the pipeline gives it the protocol's form.
    static func accessDenied(_ decision: Decision, request: AccessRequest, principal: Principal) -> AccessDenied {
        let message: String
        if request.action.lowercased().hasPrefix("sts:assumerole") {
            // STS names no reason, and says the same whether the trust policy,
            // the caller's policies or a missing role refused it.
            message = "User: \(principal.arn) is not authorized to perform: \(request.action) on resource: \(request.resource)"
        } else {
            message = decision.accessDeniedMessage(principalARN: principal.arn, action: request.action, resource: request.resource)
                ?? "User: \(principal.arn) is not authorized to perform: \(request.action) on resource: \(request.resource)"
        }
        return AccessDenied(message: message)
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}

/// The fields of an ARN: `arn:partition:service:region:account:resource`.
public struct ARNParts: Sendable, Equatable {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    public var resource: String

    public init?(_ arn: String) {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn" else { return nil }
        partition = String(fields[1])
        service = String(fields[2])
        region = String(fields[3])
        account = String(fields[4])
        resource = String(fields[5])
    }
}
