import AWSShapes
import ServiceKit
import Storage

/// Pull-through cache rules: stored and answered as ECR does. Gatehouse has
/// no network: it never reaches an upstream registry or Secrets Manager, and
/// ValidatePullThroughCacheRule says so (`isValid: false`) instead of guessing.
enum PullThroughCacheRules {
    /// Upstream registries ECR supports, by URL (the API reference's list).
    static func upstream(ofUrl url: String) -> String? {
        let host = url.lowercased()
        switch host {
        case "public.ecr.aws": return "ecr-public"
        case "registry-1.docker.io": return "docker-hub"
        case "ghcr.io": return "github-container-registry"
        case "registry.gitlab.com": return "gitlab-container-registry"
        case "registry.k8s.io": return "k8s"
        case "quay.io": return "quay"
        case "cgr.dev": return "chainguard"
        default:
            if host.hasSuffix(".azurecr.io") { return "azure-container-registry" }
            if host.wholeMatch(of: /[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/) != nil { return "ecr" }
            return nil
        }
    }

    /// Upstreams that only answer authenticated pulls: a rule needs a Secrets Manager secret.
    static let needCredentials: Set<String> = [
        "docker-hub", "github-container-registry", "azure-container-registry", "gitlab-container-registry",
    ]

    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.CreatePullThroughCacheRule.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: create))
        r.register(ECROperation.DescribePullThroughCacheRules.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: describe))
        r.register(ECROperation.UpdatePullThroughCacheRule.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: update))
        r.register(ECROperation.DeletePullThroughCacheRule.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: delete))
        r.register(ECROperation.ValidatePullThroughCacheRule.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: validate))
    }

    // MARK: - Operations

    static func create(
        _ input: ECRShapes.CreatePullThroughCacheRuleRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.CreatePullThroughCacheRuleResponse {
        let scope = RegistryScope(registryId: input.registryId, context)
        guard let upstream = upstream(ofUrl: input.upstreamRegistryUrl) else {
            throw ECRError.unsupportedUpstream(input.upstreamRegistryUrl)
        }
        if let declared = input.upstreamRegistry, declared != upstream { throw ECRError.unsupportedUpstream(input.upstreamRegistryUrl) }
        if needCredentials.contains(upstream), input.credentialArn == nil {
            throw ECRError.invalidParameter("credentialArn", "A credentialArn is required for the upstream registry \(upstream)")
        }
        if input.upstreamRepositoryPrefix != nil, upstream != "ecr" {
            throw ECRError.invalidParameter("upstreamRepositoryPrefix", "upstreamRepositoryPrefix is only supported for the upstream registry ecr")
        }
        let now = context.now.secondsSince1970
        if try find(input.ecrRepositoryPrefix, scope, tx) != nil {
            throw ECRError.pullThroughCacheRuleExists(input.ecrRepositoryPrefix, scope.accountId)
        }
        let rule = PullThroughCacheRuleRecord(
            accountId: scope.accountId, region: scope.region, ecrRepositoryPrefix: input.ecrRepositoryPrefix,
            upstreamRegistryUrl: input.upstreamRegistryUrl, upstreamRegistry: upstream,
            upstreamRepositoryPrefix: input.upstreamRepositoryPrefix, credentialArn: input.credentialArn,
            customRoleArn: input.customRoleArn, createdAt: now, updatedAt: now)
        try tx.insert(rule)
        return ECRShapes.CreatePullThroughCacheRuleResponse(
            createdAt: Timestamp(secondsSince1970: now), credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn,
            ecrRepositoryPrefix: rule.ecrRepositoryPrefix, registryId: scope.accountId, upstreamRegistry: upstream,
            upstreamRegistryUrl: rule.upstreamRegistryUrl, upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
    }

    static func describe(
        _ input: ECRShapes.DescribePullThroughCacheRulesRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DescribePullThroughCacheRulesResponse {
        let scope = RegistryScope(registryId: input.registryId, context)
        let page: TokenPage<PullThroughCacheRuleRecord>
        if let prefixes = input.ecrRepositoryPrefixes, !prefixes.isEmpty {
            let named = try prefixes.map { try require($0, scope, tx) }.sorted { $0.ecrRepositoryPrefix < $1.ecrRepositoryPrefix }
            page = try TokenPage(named, key: \.ecrRepositoryPrefix, nextToken: input.nextToken, maxResults: input.maxResults)
        } else {
            page = try TokenPage(nextToken: input.nextToken, maxResults: input.maxResults, fetch: { after, limit in
                try PullThroughCacheRuleRecord.page(accountId: scope.accountId, region: scope.region, after: after, limit: limit, in: tx)
            }, key: \.ecrRepositoryPrefix)
        }
        return ECRShapes.DescribePullThroughCacheRulesResponse(nextToken: page.nextToken, pullThroughCacheRules: page.items.map(shape))
    }

    static func update(
        _ input: ECRShapes.UpdatePullThroughCacheRuleRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.UpdatePullThroughCacheRuleResponse {
        let scope = RegistryScope(registryId: input.registryId, context)
        var rule = try require(input.ecrRepositoryPrefix, scope, tx)
        if let credential = input.credentialArn { rule.credentialArn = credential }
        if let role = input.customRoleArn { rule.customRoleArn = role }
        rule.updatedAt = context.now.secondsSince1970
        try tx.update(rule)
        return ECRShapes.UpdatePullThroughCacheRuleResponse(
            credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn, ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
            registryId: scope.accountId, updatedAt: Timestamp(secondsSince1970: rule.updatedAt),
            upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
    }

    static func delete(
        _ input: ECRShapes.DeletePullThroughCacheRuleRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DeletePullThroughCacheRuleResponse {
        let scope = RegistryScope(registryId: input.registryId, context)
        let rule = try require(input.ecrRepositoryPrefix, scope, tx)
        try tx.delete(rule)
        return ECRShapes.DeletePullThroughCacheRuleResponse(
            createdAt: Timestamp(secondsSince1970: rule.createdAt), credentialArn: rule.credentialArn,
            customRoleArn: rule.customRoleArn, ecrRepositoryPrefix: rule.ecrRepositoryPrefix, registryId: scope.accountId,
            upstreamRegistryUrl: rule.upstreamRegistryUrl, upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
    }

    static func validate(
        _ input: ECRShapes.ValidatePullThroughCacheRuleRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.ValidatePullThroughCacheRuleResponse {
        let scope = RegistryScope(registryId: input.registryId, context)
        let rule = try require(input.ecrRepositoryPrefix, scope, tx)
        return ECRShapes.ValidatePullThroughCacheRuleResponse(
            credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn, ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
            failure: "Gatehouse runs offline and cannot reach the upstream registry \(rule.upstreamRegistryUrl) to validate this rule",
            isValid: false, registryId: scope.accountId, upstreamRegistryUrl: rule.upstreamRegistryUrl,
            upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
    }

    // MARK: - Lookup and shapes

    static func find(_ prefix: String, _ scope: RegistryScope, _ tx: Transaction) throws -> PullThroughCacheRuleRecord? {
        try PullThroughCacheRuleRecord.find(accountId: scope.accountId, region: scope.region, prefix: prefix, in: tx)
    }

    static func require(_ prefix: String, _ scope: RegistryScope, _ tx: Transaction) throws -> PullThroughCacheRuleRecord {
        guard let rule = try find(prefix, scope, tx) else { throw ECRError.pullThroughCacheRuleNotFound(prefix, scope.accountId) }
        return rule
    }

    static func shape(_ rule: PullThroughCacheRuleRecord) -> ECRShapes.PullThroughCacheRule {
        ECRShapes.PullThroughCacheRule(
            createdAt: Timestamp(secondsSince1970: rule.createdAt), credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn,
            ecrRepositoryPrefix: rule.ecrRepositoryPrefix, registryId: rule.accountId,
            updatedAt: Timestamp(secondsSince1970: rule.updatedAt), upstreamRegistry: rule.upstreamRegistry,
            upstreamRegistryUrl: rule.upstreamRegistryUrl, upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
    }
}
