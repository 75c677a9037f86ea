import AWSShapes
import GRDB
import JSON
import ServiceKit
import Storage

/// Lifecycle policies and their previews. The rules run for real: the
/// preview and `LifecycleService` share `LifecycleRules.evaluate`.
enum LifecyclePolicies {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.PutLifecyclePolicy.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:PutLifecyclePolicy", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            try validate(input.lifecyclePolicyText)
            return try await context.store.write { db in
                var repository = try Repositories.require(input.repositoryName, scope, db)
                repository.lifecyclePolicy = input.lifecyclePolicyText
                repository.lifecyclePolicyUpdatedAt = context.now.secondsSince1970
                try repository.update(db)
                return ECRShapes.PutLifecyclePolicyResponse(
                    lifecyclePolicyText: input.lifecyclePolicyText, registryId: scope.accountId, repositoryName: repository.name)
            }
        }

        r.register(ECROperation.GetLifecyclePolicy.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:GetLifecyclePolicy", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                guard let policy = repository.lifecyclePolicy else { throw ECRError.lifecyclePolicyNotFound(repository.name, scope.accountId) }
                return ECRShapes.GetLifecyclePolicyResponse(
                    lastEvaluatedAt: repository.lifecycleEvaluatedAt.map { Timestamp(secondsSince1970: $0) }, lifecyclePolicyText: policy,
                    registryId: scope.accountId, repositoryName: repository.name)
            }
        }

        r.register(ECROperation.DeleteLifecyclePolicy.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:DeleteLifecyclePolicy", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.write { db in
                var repository = try Repositories.require(input.repositoryName, scope, db)
                guard let policy = repository.lifecyclePolicy else { throw ECRError.lifecyclePolicyNotFound(repository.name, scope.accountId) }
                let evaluated = repository.lifecycleEvaluatedAt
                repository.lifecyclePolicy = nil
                repository.lifecyclePolicyUpdatedAt = context.now.secondsSince1970
                try repository.update(db)
                return ECRShapes.DeleteLifecyclePolicyResponse(
                    lastEvaluatedAt: evaluated.map { Timestamp(secondsSince1970: $0) }, lifecyclePolicyText: policy,
                    registryId: scope.accountId, repositoryName: repository.name)
            }
        }

        r.register(ECROperation.StartLifecyclePolicyPreview.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:StartLifecyclePolicyPreview", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            if let text = input.lifecyclePolicyText { try validate(text) }
            return try await context.store.write { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                guard let text = input.lifecyclePolicyText ?? repository.lifecyclePolicy else {
                    throw ECRError.lifecyclePolicyNotFound(repository.name, scope.accountId)
                }
                let rules = try parse(text)
                let now = context.now.secondsSince1970
                let images = try images(of: repository, db)
                let decisions = rules.evaluate(images, now: now)
                try LifecyclePreviewRecord(
                    repositoryArn: repository.arn, policy: text, results: PreviewResults.json(decisions, images), startedAt: now
                ).save(db)
                // The preview is computed at once, but ECR always answers the start
                // this way; GetLifecyclePolicyPreview then reports COMPLETE.
                return ECRShapes.StartLifecyclePolicyPreviewResponse(
                    lifecyclePolicyText: text, registryId: scope.accountId, repositoryName: repository.name, status: "IN_PROGRESS")
            }
        }

        r.register(ECROperation.GetLifecyclePolicyPreview.self, access: .check { input, context in
            [RegistryScope(registryId: input.registryId, context).access("ecr:GetLifecyclePolicyPreview", input.repositoryName)]
        }) { input, context in
            let scope = RegistryScope(registryId: input.registryId, context)
            return try await context.store.read { db in
                let repository = try Repositories.require(input.repositoryName, scope, db)
                guard let preview = try LifecyclePreviewRecord.fetchOne(db, key: repository.arn) else {
                    throw ECRError.lifecyclePreviewNotFound(repository.name, scope.accountId)
                }
                let all = PreviewResults.parse(preview.results)
                var results = all
                if let ids = input.imageIds, !ids.isEmpty {
                    results = results.filter { result in
                        ids.contains { id in
                            (id.imageDigest == nil || id.imageDigest == result.imageDigest)
                                && (id.imageTag.map { result.imageTags?.contains($0) ?? false } ?? true)
                        }
                    }
                }
                switch input.filter?.tagStatus {
                case "TAGGED": results = results.filter { !($0.imageTags ?? []).isEmpty }
                case "UNTAGGED": results = results.filter { ($0.imageTags ?? []).isEmpty }
                default: break
                }
                // Pages continue after the last digest returned, so they go in digest order.
                results.sort { ($0.imageDigest ?? "") < ($1.imageDigest ?? "") }
                let page = try TokenPage(
                    results, key: { $0.imageDigest ?? "" }, nextToken: input.nextToken, maxResults: input.maxResults)
                let expiring = all.count { $0.action?.type == "EXPIRE" }
                var transitioning: [String: Int] = [:]
                for result in all where result.action?.type == "TRANSITION" {
                    transitioning[result.action?.targetStorageClass ?? "ARCHIVE", default: 0] += 1
                }
                return ECRShapes.GetLifecyclePolicyPreviewResponse(
                    lifecyclePolicyText: preview.policy, nextToken: page.nextToken, previewResults: page.items,
                    registryId: scope.accountId, repositoryName: repository.name, status: "COMPLETE",
                    summary: ECRShapes.LifecyclePolicyPreviewSummary(
                        expiringImageTotalCount: expiring,
                        transitioningImageTotalCounts: transitioning.isEmpty
                            ? nil
                            : transitioning.sorted { $0.key < $1.key }.map {
                                ECRShapes.TransitioningImageTotalCount(imageTotalCount: $0.value, targetStorageClass: $0.key)
                            }))
            }
        }
    }

    static func parse(_ text: String) throws -> LifecycleRules {
        do {
            return try LifecycleRules.parse(text)
        } catch {
            throw ECRError.invalidLifecyclePolicy(error)
        }
    }

    static func validate(_ text: String) throws {
        _ = try parse(text)
    }

    /// The repository's images as the evaluator sees them.
    static func images(of repository: RepositoryRecord, _ db: Database) throws -> [LifecycleRules.Image] {
        let rows = try Row.fetchAll(db, cached: """
            SELECT i.digest, i.pushedAt, i.lastPulledAt, i.storageClass, i.archivedAt,
                   (SELECT group_concat(t.tag, char(10)) FROM imageTag t WHERE t.repositoryArn = i.repositoryArn AND t.digest = i.digest) AS tags,
                   EXISTS (SELECT 1 FROM imageReference r WHERE r.repositoryArn = i.repositoryArn AND r.childDigest = i.digest) AS referenced
            FROM image i WHERE i.repositoryArn = ?
            """, arguments: [repository.arn])
        return rows.map { row in
            let tags: String? = row["tags"]
            return LifecycleRules.Image(
                digest: row["digest"], tags: tags.map { $0.split(separator: "\n").map(String.init).sorted() } ?? [],
                pushedAt: row["pushedAt"], lastPulledAt: row["lastPulledAt"], storageClass: (row["storageClass"] as String).lowercased(),
                transitionedAt: row["archivedAt"], isReferenced: row["referenced"])
        }
    }

    /// Runs the repository's policy: expires what it selects, as
    /// BatchDeleteImage would, and archives what it transitions; returns how
    /// many images it acted on.
    static func apply(to repository: RepositoryRecord, now: Double, _ db: Database) throws -> Int {
        guard let text = repository.lifecyclePolicy, let rules = try? LifecycleRules.parse(text) else { return 0 }
        let decisions = rules.evaluate(try images(of: repository, db), now: now)
        for decision in decisions {
            switch decision.action {
            case .expire:
                try ImageStore.deleteImage(decision.digest, in: repository, db)
            case .transition(let target):
                if let image = try ImageRecord.fetchOne(db, key: ["repositoryArn": repository.arn, "digest": decision.digest]) {
                    try ImageStorageClasses.move(image, to: target.uppercased(), at: now, db)
                }
            }
        }
        try db.execute(cached: "UPDATE repository SET lifecycleEvaluatedAt = ? WHERE arn = ?", arguments: [now, repository.arn])
        return decisions.count
    }
}

/// A preview's results as stored: `LifecyclePolicyPreviewResult`s in JSON.
enum PreviewResults {
    static func json(_ decisions: [LifecycleRules.Decision], _ images: [LifecycleRules.Image]) -> String {
        let byDigest = Dictionary(images.map { ($0.digest, $0) }, uniquingKeysWith: { a, _ in a })
        var w = JSONWriter()
        w.arrayStart()
        for decision in decisions {
            guard let image = byDigest[decision.digest] else { continue }
            w.objectStart()
            w.key("digest")
            w.value(image.digest)
            w.key("tags")
            w.arrayStart()
            for tag in image.tags { w.value(tag) }
            w.arrayEnd()
            w.key("pushedAt")
            w.value(image.pushedAt)
            w.key("priority")
            w.value(decision.rulePriority)
            w.key("action")
            w.value(decision.action.type)
            if case .transition(let target) = decision.action {
                w.key("target")
                w.value(target.uppercased())
            }
            w.key("storageClass")
            w.value(image.storageClass.uppercased())
            w.objectEnd()
        }
        w.arrayEnd()
        return w.string
    }

    static func parse(_ text: String) -> [ECRShapes.LifecyclePolicyPreviewResult] {
        ((try? JSONParser.parse(text))?.arrayValue ?? []).compactMap { item in
            guard let digest = item["digest"]?.stringValue, case .number(let pushed)? = item["pushedAt"],
                case .number(let priority)? = item["priority"]
            else { return nil }
            let tags = item["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return ECRShapes.LifecyclePolicyPreviewResult(
                action: ECRShapes.LifecyclePolicyRuleAction(targetStorageClass: item["target"]?.stringValue, type: item["action"]?.stringValue),
                appliedRulePriority: Int(priority.text), imageDigest: digest,
                imagePushedAt: Timestamp(secondsSince1970: pushed.double ?? 0), imageTags: tags.isEmpty ? nil : tags,
                storageClass: item["storageClass"]?.stringValue)
        }
    }
}
