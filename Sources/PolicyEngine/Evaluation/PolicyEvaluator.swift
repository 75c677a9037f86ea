/// AWS's policy evaluation logic, as documented in the IAM User Guide:
/// "Policy evaluation logic", "Determining whether a request is allowed or
/// denied within an account", "Cross-account policy evaluation logic",
/// "Permissions boundaries for IAM entities" and "Session policies".
///
/// 1. An explicit deny in any applicable policy decides.
/// 2. The root user is not limited by identity-based policies (it has none);
///    services, web identities and anonymous callers have none either and
///    need the resource-based policy.
/// 3. Within one account an allow from the resource-based policy or from the
///    identity side suffices — except that a resource-based policy naming
///    only the account delegates to IAM, one naming the role (or the IAM user
///    behind a federated-user session) is still limited by the permissions
///    boundary and session policies, and only one naming the IAM user or the
///    session itself stands alone. Trust policies must always allow.
/// 4. The identity side needs an identity-based allow, then the boundary's
///    allow if there is a boundary, then for sessions a session policy's
///    allow if session policies were passed (a federated-user session without
///    one has no permissions).
/// 5. Across accounts both the identity side and the resource-based policy
///    must allow.
public enum PolicyEvaluator {
    /// Decides `request`; evaluation stops at the first explicit deny and
    /// records one deciding statement per policy type.
    public static func evaluate(_ request: AuthorizationRequest, policies: PolicySet) -> Decision {
        var tally = Tally(collectsEverything: false)
        scan(request, policies, &tally)
        return decide(request, policies, tally)
    }

    /// Decides `request` the way SimulatePrincipalPolicy/SimulateCustomPolicy
    /// report it: every matching statement, missing context keys, and the
    /// verdict of each policy type.
    public static func simulate(_ request: AuthorizationRequest, policies: PolicySet) -> SimulationResult {
        var tally = Tally(collectsEverything: true)
        scan(request, policies, &tally)
        let decision = decide(request, policies, tally)
        var perType: [PolicyType: Decision.Outcome] = [:]
        var present: [PolicyType] = []
        if !policies.identity.identityPolicies.isEmpty { present.append(.identityBased) }
        if policies.identity.permissionsBoundary != nil { present.append(.permissionsBoundary) }
        if !policies.identity.sessionPolicies.isEmpty { present.append(.sessionPolicy) }
        if policies.resourcePolicy != nil { present.append(.resourceBased) }
        for type in present {
            perType[type] = tally.denied.contains(type) ? .explicitDeny : tally.allowed.contains(type) ? .allowed : .implicitDeny
        }
        let matched: [MatchedStatement]
        switch decision.outcome {
        case .allowed: matched = tally.allows
        case .explicitDeny: matched = tally.denies
        case .implicitDeny: matched = []
        }
        return SimulationResult(
            decision: Decision(
                outcome: decision.outcome, policyType: decision.policyType, matchedStatements: matched,
                isCrossAccount: decision.isCrossAccount),
            missingContextValues: tally.missingKeys,
            allowedByPermissionsBoundary: policies.identity.permissionsBoundary == nil
                ? nil : (tally.allowed.contains(.permissionsBoundary) && !tally.denied.contains(.permissionsBoundary)),
            decisionsByPolicyType: perType)
    }

    // MARK: Matching statements

    struct Tally {
        let collectsEverything: Bool
        var denied = TypeSet()
        var allowed = TypeSet()
        /// The most direct way an allowing resource-policy statement names the principal.
        var resourceMatch = PrincipalMatch.none
        var denies: [MatchedStatement] = []
        var allows: [MatchedStatement] = []
        var missingKeys: [String] = []
        private var missingSeen: Set<String> = []

        init(collectsEverything: Bool) { self.collectsEverything = collectsEverything }

        mutating func noteMissing(_ keys: [String]) {
            for key in keys where missingSeen.insert(key.asciiLowercased()).inserted { missingKeys.append(key) }
        }
    }

    struct TypeSet {
        private var bits: UInt8 = 0
        init() {}
        init(_ types: PolicyType...) { for type in types { insert(type) } }
        static let all = TypeSet(.identityBased, .resourceBased, .permissionsBoundary, .sessionPolicy)
        @inline(__always) func contains(_ type: PolicyType) -> Bool { bits & Self.bit(type) != 0 }
        @inline(__always) mutating func insert(_ type: PolicyType) { bits |= Self.bit(type) }
        var isEmpty: Bool { bits == 0 }
        @inline(__always) private static func bit(_ type: PolicyType) -> UInt8 {
            switch type {
            case .identityBased: 1
            case .resourceBased: 2
            case .permissionsBoundary: 4
            case .sessionPolicy: 8
            }
        }
    }

    private static func scan(_ request: AuthorizationRequest, _ policies: PolicySet, _ tally: inout Tally) {
        request.resource.withUTF8Bytes { resource in
            if hasIdentity(request.principal), !policies.identity.index.isEmpty {
                let candidates = policies.identity.index.candidates(for: request.action)
                if !scan(candidates, request, resource, &tally) { return }
            }
            if let resourcePolicy = policies.resourcePolicy {
                let candidates = resourcePolicy.index.candidates(for: request.action)
                _ = scan(candidates, request, resource, &tally)
            }
        }
    }

    /// Returns false once an explicit deny makes further scanning pointless.
    @inline(__always)
    private static func scan(
        _ candidates: StatementIndex.Candidates, _ request: AuthorizationRequest,
        _ resource: UnsafeBufferPointer<UInt8>, _ tally: inout Tally
    ) -> Bool {
        let statements = candidates.statements
        for position in statements.indices {
            let isDeny = position < candidates.denyCount
            let origin = candidates.origins[position]
            let type = origin._withUnsafeGuaranteedRef { $0.type }
            if !isDeny, !tally.collectsEverything, tally.allowed.contains(type),
                type != .resourceBased || tally.resourceMatch == .direct
            {
                continue
            }
            let statement = statements[position]
            guard statement._withUnsafeGuaranteedRef({ $0.matchesResource(resource, in: request.context) }) else {
                continue
            }
            let verdict = statement._withUnsafeGuaranteedRef { $0.principalMatch(request.principal) }
            guard verdict != .none else { continue }
            if tally.collectsEverything {
                tally.noteMissing(statement.takeUnretainedValue().missingContextKeys(in: request.context))
            }
            guard statement._withUnsafeGuaranteedRef({ $0.conditionsHold(in: request.context) }) else { continue }
            let matched = MatchedStatement(origin: origin.takeUnretainedValue(), compiled: statement.takeUnretainedValue())
            if isDeny {
                tally.denied.insert(type)
                tally.denies.append(matched)
                if !tally.collectsEverything { return false }
            } else {
                tally.allowed.insert(type)
                tally.allows.append(matched)
                if type == .resourceBased, verdict > tally.resourceMatch { tally.resourceMatch = verdict }
            }
        }
        return true
    }

    /// Root, services, web identities and anonymous callers carry no
    /// identity-based policies, boundaries or session policies.
    private static func hasIdentity(_ principal: EvaluationPrincipal) -> Bool {
        switch principal.kind {
        case .user, .assumedRole, .federatedUser: true
        case .root, .service, .federatedIdentity, .anonymous: false
        }
    }

    // MARK: Deciding

    /// The type named when explicit denies sit in several kinds of policy.
    private static let denialOrder: [PolicyType] = [.identityBased, .resourceBased, .permissionsBoundary, .sessionPolicy]

    private static func decide(_ request: AuthorizationRequest, _ policies: PolicySet, _ tally: Tally) -> Decision {
        let principal = request.principal
        let resourceAccount = request.resourceAccountID
            ?? policies.resourcePolicy.flatMap { $0.ownerAccountID.isEmpty ? nil : $0.ownerAccountID }
        let crossAccount = AuthorizationRequest.isCrossAccount(resourceAccount, principal)
        // A trust policy must allow by itself; what the simulator is given as
        // ResourcePolicy for sts:AssumeRole is that trust policy too.
        let resourcePolicyMustAllow = policies.resourcePolicy != nil && request.isGovernedByTrustPolicy

        func deny(_ type: PolicyType) -> Decision {
            Decision(outcome: .implicitDeny, policyType: type, isCrossAccount: crossAccount)
        }
        func allow(_ type: PolicyType?, _ types: TypeSet) -> Decision {
            let relevant = tally.allows.allSatisfy { types.contains($0.policyType) }
                ? tally.allows : tally.allows.filter { types.contains($0.policyType) }
            return Decision(outcome: .allowed, policyType: type, matchedStatements: relevant, isCrossAccount: crossAccount)
        }

        for type in Self.denialOrder where tally.denied.contains(type) {
            return Decision(
                outcome: .explicitDeny, policyType: type,
                matchedStatements: tally.denies.filter { $0.policyType == type }, isCrossAccount: crossAccount)
        }

        let identity = policies.identity
        let boundaryAllows = identity.permissionsBoundary == nil || tally.allowed.contains(.permissionsBoundary)
        let sessionAllows: Bool = {
            guard principal.isSession else { return true }
            if !identity.sessionPolicies.isEmpty { return tally.allowed.contains(.sessionPolicy) }
            // "If there is no session policy, the code checks whether the
            // principal is a role session. If the principal is a role session,
            // then the request is Allowed. Otherwise, the request is implicitly denied."
            if case .assumedRole = principal.kind { return true }
            return false
        }()

        // The identity side: which policy type, if any, fails to allow.
        let identityFailure: PolicyType?
        switch principal.kind {
        case .root:
            identityFailure = nil
        case .service, .federatedIdentity, .anonymous:
            identityFailure = .resourceBased
        case .user, .assumedRole, .federatedUser:
            if !tally.allowed.contains(.identityBased) {
                identityFailure = .identityBased
            } else if !boundaryAllows {
                identityFailure = .permissionsBoundary
            } else if !sessionAllows {
                identityFailure = .sessionPolicy
            } else {
                identityFailure = nil
            }
        }
        let resourceMatch = tally.resourceMatch

        switch principal.kind {
        case .service, .federatedIdentity, .anonymous:
            return resourceMatch == .none ? deny(.resourceBased) : allow(.resourceBased, TypeSet(.resourceBased))
        default:
            break
        }

        if crossAccount {
            if let identityFailure { return deny(identityFailure) }
            if resourceMatch == .none { return deny(.resourceBased) }
            return allow(.resourceBased, .all)
        }

        if case .root = principal.kind {
            if resourcePolicyMustAllow, resourceMatch == .none {
                return deny(.resourceBased)
            }
            return Decision(
                outcome: .allowed, policyType: resourceMatch == .none ? nil : .resourceBased,
                matchedStatements: tally.allows, isCrossAccount: false)
        }
        if resourceMatch == .direct { return allow(.resourceBased, TypeSet(.resourceBased)) }
        if resourceMatch == .parent, boundaryAllows, sessionAllows {
            return allow(.resourceBased, TypeSet(.resourceBased, .permissionsBoundary, .sessionPolicy))
        }
        if resourcePolicyMustAllow, resourceMatch == .none {
            return deny(.resourceBased)
        }
        if let identityFailure { return deny(identityFailure) }
        return allow(.identityBased, TypeSet(.identityBased, .permissionsBoundary, .sessionPolicy))
    }
}
