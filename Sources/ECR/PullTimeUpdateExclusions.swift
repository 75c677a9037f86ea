import AWSShapes
import GRDB
import ServiceKit
import Storage

/// Principals whose pulls do not move an image's last recorded pull time
/// (so scanners and replicators do not keep old images "in use").
enum PullTimeUpdateExclusions {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.RegisterPullTimeUpdateExclusion.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:RegisterPullTimeUpdateExclusion", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.write { db in
                if try find(input.principalArn, scope, db) != nil { throw ECRError.exclusionExists(input.principalArn) }
                let record = PullTimeUpdateExclusionRecord(
                    accountId: scope.accountId, region: scope.region, principalArn: input.principalArn,
                    createdAt: context.now.secondsSince1970)
                try record.insert(db)
                return ECRShapes.RegisterPullTimeUpdateExclusionResponse(
                    createdAt: Timestamp(secondsSince1970: record.createdAt), principalArn: record.principalArn)
            }
        }

        r.register(ECROperation.DeregisterPullTimeUpdateExclusion.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:DeregisterPullTimeUpdateExclusion", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.write { db in
                guard let record = try find(input.principalArn, scope, db) else { throw ECRError.exclusionNotFound(input.principalArn) }
                _ = try record.delete(db)
                return ECRShapes.DeregisterPullTimeUpdateExclusionResponse(principalArn: record.principalArn)
            }
        }

        r.register(ECROperation.ListPullTimeUpdateExclusions.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:ListPullTimeUpdateExclusions", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.read { db in
                let arns = try String.fetchAll(
                    db, cached: "SELECT principalArn FROM pullTimeUpdateExclusion WHERE accountId = ? AND region = ? ORDER BY principalArn",
                    arguments: [scope.accountId, scope.region])
                let page = try TokenPage(arns, key: { $0 }, nextToken: input.nextToken, maxResults: input.maxResults)
                return ECRShapes.ListPullTimeUpdateExclusionsResponse(nextToken: page.nextToken, pullTimeUpdateExclusions: page.items)
            }
        }
    }

    static func find(_ arn: String, _ scope: RegistryScope, _ db: Database) throws -> PullTimeUpdateExclusionRecord? {
        try PullTimeUpdateExclusionRecord.fetchOne(db, key: ["accountId": scope.accountId, "region": scope.region, "principalArn": arn])
    }

    /// Whether pulls by this caller leave pull times alone: the exclusion names
    /// the user, or the role behind an assumed-role session.
    static func excludes(_ principal: Principal, in scope: RegistryScope, _ db: Database) throws -> Bool {
        let names = Set([principal.arn, principal.entityArn].compactMap { $0 })
        return try names.contains { try find($0, scope, db) != nil }
    }
}
