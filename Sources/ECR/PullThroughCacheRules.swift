import AWSShapes
import GRDB
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
            if host.range(of: #"^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$"#, options: .regularExpression) != nil { return "ecr" }
            return nil
        }
    }

    /// Upstreams that only answer authenticated pulls: a rule needs a Secrets Manager secret.
    static let needCredentials: Set<String> = [
        "docker-hub", "github-container-registry", "azure-container-registry", "gitlab-container-registry",
    ]

    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.CreatePullThroughCacheRule.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:CreatePullThroughCacheRule", resource: "*")]
        }) { input, context in
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
            return try await context.store.write { db in
                if try find(input.ecrRepositoryPrefix, scope, db) != nil {
                    throw ECRError.pullThroughCacheRuleExists(input.ecrRepositoryPrefix, scope.accountId)
                }
                let rule = PullThroughCacheRuleRecord(
                    accountId: scope.accountId, region: scope.region, ecrRepositoryPrefix: input.ecrRepositoryPrefix,
                    upstreamRegistryUrl: input.upstreamRegistryUrl, upstreamRegistry: upstream,
                    upstreamRepositoryPrefix: input.upstreamRepositoryPrefix, credentialArn: input.credentialArn,
                    customRoleArn: input.customRoleArn, createdAt: now, updatedAt: now)
                try rule.insert(db)
                return ECRShapes.CreatePullThroughCacheRuleResponse(
                    createdAt: Timestamp(secondsSince1970: now), credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn,
                    ecrRepositoryPrefix: rule.ecrRepositoryPrefix, registryId: scope.accountId, upstreamRegistry: upstream,
                    upstreamRegistryUrl: rule.upstreamRegistryUrl, upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
            }
        }

        r.register(ECROperation.DescribePullThroughCacheRules.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:DescribePullThroughCacheRules", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                var rules: [PullThroughCacheRuleRecord]
                if let prefixes = input.ecrRepositoryPrefixes, !prefixes.isEmpty {
                    rules = try prefixes.map { try require($0, scope, db) }
                    rules.sort { $0.ecrRepositoryPrefix < $1.ecrRepositoryPrefix }
                } else {
                    rules = try PullThroughCacheRuleRecord.fetchAll(
                        db, cached: "SELECT * FROM pullThroughCacheRule WHERE accountId = ? AND region = ? ORDER BY ecrRepositoryPrefix",
                        arguments: [scope.accountId, scope.region])
                }
                let page = try TokenPage(rules, key: \.ecrRepositoryPrefix, nextToken: input.nextToken, maxResults: input.maxResults)
                return ECRShapes.DescribePullThroughCacheRulesResponse(nextToken: page.nextToken, pullThroughCacheRules: page.items.map(shape))
            }
        }

        r.register(ECROperation.UpdatePullThroughCacheRule.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:UpdatePullThroughCacheRule", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                var rule = try require(input.ecrRepositoryPrefix, scope, db)
                if let credential = input.credentialArn { rule.credentialArn = credential }
                if let role = input.customRoleArn { rule.customRoleArn = role }
                rule.updatedAt = context.now.secondsSince1970
                try rule.update(db)
                return ECRShapes.UpdatePullThroughCacheRuleResponse(
                    credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn, ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
                    registryId: scope.accountId, updatedAt: Timestamp(secondsSince1970: rule.updatedAt),
                    upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
            }
        }

        r.register(ECROperation.DeletePullThroughCacheRule.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:DeletePullThroughCacheRule", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                let rule = try require(input.ecrRepositoryPrefix, scope, db)
                _ = try rule.delete(db)
                return ECRShapes.DeletePullThroughCacheRuleResponse(
                    createdAt: Timestamp(secondsSince1970: rule.createdAt), credentialArn: rule.credentialArn,
                    customRoleArn: rule.customRoleArn, ecrRepositoryPrefix: rule.ecrRepositoryPrefix, registryId: scope.accountId,
                    upstreamRegistryUrl: rule.upstreamRegistryUrl, upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
            }
        }

        r.register(ECROperation.ValidatePullThroughCacheRule.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:ValidatePullThroughCacheRule", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let rule = try require(input.ecrRepositoryPrefix, scope, db)
                return ECRShapes.ValidatePullThroughCacheRuleResponse(
                    credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn, ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
                    failure: "Gatehouse runs offline and cannot reach the upstream registry \(rule.upstreamRegistryUrl) to validate this rule",
                    isValid: false, registryId: scope.accountId, upstreamRegistryUrl: rule.upstreamRegistryUrl,
                    upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
            }
        }
    }

    static func find(_ prefix: String, _ scope: RegistryScope, _ db: Database) throws -> PullThroughCacheRuleRecord? {
        try PullThroughCacheRuleRecord.fetchOne(
            db, key: ["accountId": scope.accountId, "region": scope.region, "ecrRepositoryPrefix": prefix])
    }

    static func require(_ prefix: String, _ scope: RegistryScope, _ db: Database) throws -> PullThroughCacheRuleRecord {
        guard let rule = try find(prefix, scope, db) else { throw ECRError.pullThroughCacheRuleNotFound(prefix, scope.accountId) }
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
