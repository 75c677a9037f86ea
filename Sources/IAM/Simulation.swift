import AWSShapes
import PolicyEngine
import ServiceKit
import Storage

/// The policy simulator: what a principal's policies (or given policies)
/// decide for actions on resources, evaluated by the same engine that
/// enforces every request, with the statements that decided.
enum Simulation {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.SimulatePrincipalPolicy.self,
            .transaction(.read, target: { input, _, _ in ResourceARN(input.policySourceArn) }, act: simulatePrincipal))
        r.register(IAMOperation.SimulateCustomPolicy.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: simulateCustom))
        r.register(
            IAMOperation.GetContextKeysForPrincipalPolicy.self,
            .transaction(.read, target: { input, _, _ in ResourceARN(input.policySourceArn) }, act: contextKeysForPrincipal))
        r.register(
            IAMOperation.GetContextKeysForCustomPolicy.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: contextKeysForCustom))
    }

    // MARK: - Operations

    static func simulatePrincipal(
        _ input: IAMShapes.SimulatePrincipalPolicyRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.SimulatePolicyResponse {
        let loader = PolicyLoader(store: context.store, catalog: context.environment.managedPolicies)
        let source = try SimulatedSource(arn: input.policySourceArn, context, tx)
        var read: [Dependency] = []
        var (identity, boundary) = try loader.entityPolicies(source.entityId, source.type, tx, dependencies: &read)
        identity += try inputPolicies(input.policyInputList)
        if let custom = try inputPolicies(input.permissionsBoundaryPolicyInputList, prefix: "PermissionsBoundaryPolicyInputList").first {
            boundary = custom
        }
        return try simulate(
            principal: source.principal(callerArn: input.callerArn), identity: identity, boundary: boundary,
            actions: input.actionNames, resources: input.resourceArns, resourcePolicy: input.resourcePolicy,
            resourceOwner: input.resourceOwner, entries: input.contextEntries, marker: input.marker,
            maxItems: input.maxItems, context: context)
    }

    static func simulateCustom(
        _ input: IAMShapes.SimulateCustomPolicyRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.SimulatePolicyResponse {
        let identity = try inputPolicies(input.policyInputList)
        let boundary = try inputPolicies(input.permissionsBoundaryPolicyInputList, prefix: "PermissionsBoundaryPolicyInputList").first
        let principal = input.callerArn.map { EvaluationPrincipal.user(arn: $0) }
            ?? .user(arn: "arn:aws:iam::\(context.accountId):user/simulated-caller")
        return try simulate(
            principal: principal, identity: identity, boundary: boundary, actions: input.actionNames,
            resources: input.resourceArns, resourcePolicy: input.resourcePolicy, resourceOwner: input.resourceOwner,
            entries: input.contextEntries, marker: input.marker, maxItems: input.maxItems, context: context)
    }

    static func contextKeysForPrincipal(
        _ input: IAMShapes.GetContextKeysForPrincipalPolicyRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetContextKeysForPolicyResponse {
        let loader = PolicyLoader(store: context.store, catalog: context.environment.managedPolicies)
        let source = try SimulatedSource(arn: input.policySourceArn, context, tx)
        var read: [Dependency] = []
        let (identity, _) = try loader.entityPolicies(source.entityId, source.type, tx, dependencies: &read)
        let documents = identity.map(\.document) + (try inputPolicies(input.policyInputList)).map(\.document)
        return IAMShapes.GetContextKeysForPolicyResponse(contextKeyNames: contextKeys(documents))
    }

    static func contextKeysForCustom(
        _ input: IAMShapes.GetContextKeysForCustomPolicyRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetContextKeysForPolicyResponse {
        IAMShapes.GetContextKeysForPolicyResponse(contextKeyNames: contextKeys(try inputPolicies(input.policyInputList).map(\.document)))
    }

    /// Every context key the documents use, each once (first spelling kept).
    static func contextKeys(_ documents: [PolicyDocument]) -> [String] {
        var seen: Set<String> = []
        var keys: [String] = []
        for key in documents.flatMap(\.contextKeys) where seen.insert(key.lowercased()).inserted {
            keys.append(key)
        }
        return keys
    }

    /// Policies passed in the request, named as the simulator names them (`PolicyInputList.1`).
    static func inputPolicies(_ texts: [String]?, prefix: String = "PolicyInputList") throws -> [AttachedPolicy] {
        var policies: [AttachedPolicy] = []
        for (index, text) in (texts ?? []).enumerated() {
            do {
                let document = try PolicyDocument.parse(text, kind: .identity)
                policies.append(AttachedPolicy(id: "\(prefix).\(index + 1)", source: .none, document: document))
            } catch {
                throw IAMError.invalidInput(error.message)
            }
        }
        return policies
    }

    static func simulate(
        principal: EvaluationPrincipal, identity: [AttachedPolicy], boundary: AttachedPolicy?, actions: [String],
        resources: [String]?, resourcePolicy: String?, resourceOwner: String?, entries: [IAMShapes.ContextEntry]?,
        marker: String?, maxItems: Int?, context: OperationContext
    ) throws -> IAMShapes.SimulatePolicyResponse {
        let identities = IdentityPolicies(identityPolicies: identity, permissionsBoundary: boundary)
        var resourcePolicyDocument: AttachedPolicy?
        if let resourcePolicy {
            do {
                // AWS names it so in MatchedStatements (SourcePolicyId "ResourcePolicy", a 2023 SimulateCustomPolicy output, fs:8850499749).
                resourcePolicyDocument = AttachedPolicy(
                    id: "ResourcePolicy", source: .resource, document: try PolicyDocument.parse(resourcePolicy, kind: .resource))
            } catch {
                throw IAMError.invalidInput(error.message)
            }
        }
        var requestContext = RequestContext()
        for entry in entries ?? [] {
            guard let name = entry.contextKeyName else { continue }
            requestContext[name] = ContextValue(entry.contextKeyValues ?? [])
        }

        var results: [IAMShapes.EvaluationResult] = []
        let named = resources.flatMap { $0.isEmpty ? nil : $0 }
        for action in actions {
            for resource in named ?? ["*"] {
                // The question enforcement asks, so that the simulator and enforcement cannot disagree.
                let (request, policies) = PolicyAuthorizer.question(
                    principal: principal, action: action, resource: resource, resourceAccount: ownerAccount(resourceOwner),
                    resourcePolicy: resourcePolicyDocument, identity: identities, context: requestContext)
                let result = PolicyEvaluator.simulate(request, policies: policies)
                results.append(shape(result, action: action, resource: resource, perResource: named != nil))
            }
        }
        let page = try Page(results, marker: marker, maxItems: maxItems)
        return IAMShapes.SimulatePolicyResponse(
            evaluationResults: page.items, isTruncated: page.isTruncated, marker: page.marker)
    }

    /// `ResourceOwner` is an account root ARN or an account id.
    static func ownerAccount(_ owner: String?) -> String? {
        guard let owner else { return nil }
        return ARNParts(owner)?.account ?? owner
    }

    /// One result as AWS reports it (recorded 21-04-2025, docs/research/fidelity-issue18.md §5):
    /// `MissingContextValues` always, `OrganizationsDecisionDetail` always (an
    /// account outside an organization is allowed by it), and with
    /// `ResourceArns` the result for that resource again in `ResourceSpecificResults`.
    static func shape(_ result: SimulationResult, action: String, resource: String, perResource: Bool) -> IAMShapes.EvaluationResult {
        let statements = result.matchedStatements.map { matched in
            IAMShapes.Statement(
                endPosition: matched.endPosition.map { IAMShapes.Position(column: $0.column, line: $0.line) },
                sourcePolicyId: sourcePolicyId(matched), sourcePolicyType: detailName(matched.policyType),
                startPosition: matched.startPosition.map { IAMShapes.Position(column: $0.column, line: $0.line) })
        }
        // The API reference: a map for cross-account simulations; present and
        // empty within the account for a resource ARN; absent for `*`.
        var details: [String: String]?
        var crossAccountDetails: [String: String]?
        if result.decision.isCrossAccount {
            crossAccountDetails = Dictionary(
                result.decisionsByPolicyType.map { (detailName($0.key), $0.value.rawValue) }, uniquingKeysWith: { a, _ in a })
            details = crossAccountDetails
        } else if resource != "*" {
            details = [:]
        }
        let boundary = result.allowedByPermissionsBoundary.map {
            IAMShapes.PermissionsBoundaryDecisionDetail(allowedByPermissionsBoundary: $0)
        }
        let specific = perResource
            ? [IAMShapes.ResourceSpecificResult(
                evalDecisionDetails: crossAccountDetails, evalResourceDecision: result.decision.outcome.rawValue,
                evalResourceName: resource, matchedStatements: statements, missingContextValues: result.missingContextValues,
                permissionsBoundaryDecisionDetail: boundary)]
            : nil
        return IAMShapes.EvaluationResult(
            evalActionName: action, evalDecision: result.decision.outcome.rawValue, evalDecisionDetails: details,
            evalResourceName: resource, matchedStatements: statements, missingContextValues: result.missingContextValues,
            organizationsDecisionDetail: IAMShapes.OrganizationsDecisionDetail(allowedByOrganizations: true),
            permissionsBoundaryDecisionDetail: boundary, resourceSpecificResults: specific)
    }

    /// Managed policies by name (`AdministratorAccess`); inline policies as
    /// `role_ROLE_POLICY` (and `user_…`, `group_…`), inputs as
    /// `PolicyInputList.1`, a given resource policy as `ResourcePolicy`:
    /// the loader and the inputs name them so.
    static func sourcePolicyId(_ matched: MatchedStatement) -> String {
        if let arn = matched.policyARN { return IAMArn.name(of: arn) }
        return matched.policyID
    }

    /// `SourcePolicyType` and `EvalDecisionDetails` keys: "IAM Policy" for
    /// identity policies of every kind (recorded, §5), "Resource Policy"
    /// (fs:8850499749), "Permissions Boundary Policy" (a CLI sample, fs:67141964764).
    static func detailName(_ type: PolicyType) -> String {
        switch type {
        case .identityBased: "IAM Policy"
        case .resourceBased: "Resource Policy"
        case .permissionsBoundary: "Permissions Boundary Policy"
        case .sessionPolicy: "Session Policy"
        }
    }
}

/// The user, role or group whose policies a simulation evaluates.
struct SimulatedSource {
    var type: PrincipalType
    var entityId: String
    var arn: String
    var accountId: String

    init(arn: String, _ context: OperationContext, _ tx: Transaction) throws {
        guard let parts = ARNParts(arn), parts.service == "iam" else { throw IAMError.invalidInput("Invalid ARN \(arn).") }
        let name = IAMArn.name(of: arn)
        let kind = parts.resource.split(separator: "/").first.map(String.init) ?? ""
        let type: PrincipalType
        switch kind {
        case "user": type = .user
        case "role": type = .role
        case "group": type = .group
        default: throw IAMError.invalidInput("Invalid ARN \(arn).")
        }
        guard let entity = try PolicyHolder.named(name, type: type, account: parts.account, in: tx) else {
            throw type.noSuchEntity(name)
        }
        self.type = type
        self.entityId = entity.id
        self.arn = arn
        self.accountId = parts.account
    }

    /// Who the simulated requests come from: the user, a session of the role,
    /// or (for a group) a caller holding the group's policies.
    func principal(callerArn: String?) -> EvaluationPrincipal {
        if let callerArn { return .user(arn: callerArn) }
        switch type {
        case .user: return .user(arn: arn)
        case .role:
            let name = IAMArn.name(of: arn)
            return .assumedRole(sessionARN: "arn:aws:sts::\(accountId):assumed-role/\(name)/simulation", roleARN: arn)
        case .group: return .user(arn: arn)
        }
    }
}
