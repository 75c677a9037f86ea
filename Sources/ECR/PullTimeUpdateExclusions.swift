import AWSShapes
import ServiceKit
import Storage

/// Principals whose pulls do not move an image's last recorded pull time
/// (so scanners and replicators do not keep old images "in use").
enum PullTimeUpdateExclusions {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.RegisterPullTimeUpdateExclusion.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: register))
        r.register(ECROperation.DeregisterPullTimeUpdateExclusion.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: deregister))
        r.register(ECROperation.ListPullTimeUpdateExclusions.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: list))
    }

    // MARK: - Operations

    static func register(
        _ input: ECRShapes.RegisterPullTimeUpdateExclusionRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.RegisterPullTimeUpdateExclusionResponse {
        let scope = RegistryScope(registryId: nil, context)
        if try find(input.principalArn, scope, tx) != nil { throw ECRError.exclusionExists(input.principalArn) }
        let record = PullTimeUpdateExclusionRecord(
            accountId: scope.accountId, region: scope.region, principalArn: input.principalArn, createdAt: context.now.secondsSince1970)
        try tx.insert(record)
        return ECRShapes.RegisterPullTimeUpdateExclusionResponse(
            createdAt: Timestamp(secondsSince1970: record.createdAt), principalArn: record.principalArn)
    }

    static func deregister(
        _ input: ECRShapes.DeregisterPullTimeUpdateExclusionRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DeregisterPullTimeUpdateExclusionResponse {
        let scope = RegistryScope(registryId: nil, context)
        guard let record = try find(input.principalArn, scope, tx) else { throw ECRError.exclusionNotFound(input.principalArn) }
        try tx.delete(record)
        return ECRShapes.DeregisterPullTimeUpdateExclusionResponse(principalArn: record.principalArn)
    }

    static func list(
        _ input: ECRShapes.ListPullTimeUpdateExclusionsRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.ListPullTimeUpdateExclusionsResponse {
        let scope = RegistryScope(registryId: nil, context)
        let page = try TokenPage(nextToken: input.nextToken, maxResults: input.maxResults, fetch: { after, limit in
            try PullTimeUpdateExclusionRecord.page(accountId: scope.accountId, region: scope.region, after: after, limit: limit, in: tx)
        }, key: { $0 })
        return ECRShapes.ListPullTimeUpdateExclusionsResponse(nextToken: page.nextToken, pullTimeUpdateExclusions: page.items)
    }

    static func find(_ arn: String, _ scope: RegistryScope, _ tx: Transaction) throws -> PullTimeUpdateExclusionRecord? {
        try PullTimeUpdateExclusionRecord.find(accountId: scope.accountId, region: scope.region, principalArn: arn, in: tx)
    }

    /// Whether pulls by this caller leave pull times alone: the exclusion names
    /// the user, or the role behind an assumed-role session.
    static func excludes(_ principal: Principal, in scope: RegistryScope, _ tx: Transaction) throws -> Bool {
        let names = Set([principal.arn, principal.entityArn].compactMap { $0 })
        return try names.contains { try find($0, scope, tx) != nil }
    }
}
