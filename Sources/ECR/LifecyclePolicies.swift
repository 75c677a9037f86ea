import AWSShapes
import JSON
import ServiceKit
import Storage

/// Lifecycle policies and their previews. The rules run for real: the
/// preview and `LifecycleService` share `LifecycleRules.evaluate`.
enum LifecyclePolicies {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.PutLifecyclePolicy.self, .transaction(.write, target: RepositoryTarget.named, act: put))
        r.register(ECROperation.GetLifecyclePolicy.self, .transaction(.read, target: RepositoryTarget.named, act: get))
        r.register(ECROperation.DeleteLifecyclePolicy.self, .transaction(.write, target: RepositoryTarget.named, act: delete))
        r.register(ECROperation.StartLifecyclePolicyPreview.self, .transaction(.write, target: RepositoryTarget.named, act: startPreview))
        r.register(ECROperation.GetLifecyclePolicyPreview.self, .transaction(.read, target: RepositoryTarget.named, act: getPreview))
    }

    // MARK: - Operations

    static func put(
        _ input: ECRShapes.PutLifecyclePolicyRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.PutLifecyclePolicyResponse {
        try validate(input.lifecyclePolicyText)
        var repository = try target.existing()
        repository.lifecyclePolicy = input.lifecyclePolicyText
        repository.lifecyclePolicyUpdatedAt = context.now.secondsSince1970
        try tx.update(repository)
        return ECRShapes.PutLifecyclePolicyResponse(
            lifecyclePolicyText: input.lifecyclePolicyText, registryId: target.scope.accountId, repositoryName: repository.name)
    }

    static func get(
        _ input: ECRShapes.GetLifecyclePolicyRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.GetLifecyclePolicyResponse {
        let repository = try target.existing()
        guard let policy = repository.lifecyclePolicy else { throw ECRError.lifecyclePolicyNotFound(repository.name, target.scope.accountId) }
        return ECRShapes.GetLifecyclePolicyResponse(
            lastEvaluatedAt: repository.lifecycleEvaluatedAt.map { Timestamp(secondsSince1970: $0) }, lifecyclePolicyText: policy,
            registryId: target.scope.accountId, repositoryName: repository.name)
    }

    static func delete(
        _ input: ECRShapes.DeleteLifecyclePolicyRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DeleteLifecyclePolicyResponse {
        var repository = try target.existing()
        guard let policy = repository.lifecyclePolicy else { throw ECRError.lifecyclePolicyNotFound(repository.name, target.scope.accountId) }
        let evaluated = repository.lifecycleEvaluatedAt
        repository.lifecyclePolicy = nil
        repository.lifecyclePolicyUpdatedAt = context.now.secondsSince1970
        try tx.update(repository)
        return ECRShapes.DeleteLifecyclePolicyResponse(
            lastEvaluatedAt: evaluated.map { Timestamp(secondsSince1970: $0) }, lifecyclePolicyText: policy,
            registryId: target.scope.accountId, repositoryName: repository.name)
    }

    static func startPreview(
        _ input: ECRShapes.StartLifecyclePolicyPreviewRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.StartLifecyclePolicyPreviewResponse {
        if let text = input.lifecyclePolicyText { try validate(text) }
        let repository = try target.existing()
        guard let text = input.lifecyclePolicyText ?? repository.lifecyclePolicy else {
            throw ECRError.lifecyclePolicyNotFound(repository.name, target.scope.accountId)
        }
        let rules = try parse(text)
        let now = context.now.secondsSince1970
        let images = try images(of: repository, tx)
        let decisions = rules.evaluate(images, now: now)
        try LifecyclePreviewRecord(
            repositoryArn: repository.arn, policy: text, results: PreviewResults.json(decisions, images), startedAt: now
        ).save(in: tx)
        // The preview is computed at once, but ECR always answers the start
        // this way; GetLifecyclePolicyPreview then reports COMPLETE.
        return ECRShapes.StartLifecyclePolicyPreviewResponse(
            lifecyclePolicyText: text, registryId: target.scope.accountId, repositoryName: repository.name, status: "IN_PROGRESS")
    }

    static func getPreview(
        _ input: ECRShapes.GetLifecyclePolicyPreviewRequest, _ target: RepositoryTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.GetLifecyclePolicyPreviewResponse {
        let repository = try target.existing()
        let scope = target.scope
        guard let preview = try LifecyclePreviewRecord.find(repositoryArn: repository.arn, in: tx) else {
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
        // The results are one stored document, read whole; pages continue
        // after the last digest returned, so they go in digest order.
        results.sort { ($0.imageDigest ?? "") < ($1.imageDigest ?? "") }
        let page = try TokenPage(results, key: { $0.imageDigest ?? "" }, nextToken: input.nextToken, maxResults: input.maxResults)
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
    static func images(of repository: RepositoryRecord, _ tx: Transaction) throws -> [LifecycleRules.Image] {
        try ImageRecord.lifecycleViews(repositoryArn: repository.arn, in: tx).map { image in
            LifecycleRules.Image(
                digest: image.digest, tags: image.tags, pushedAt: image.pushedAt, lastPulledAt: image.lastPulledAt,
                storageClass: image.storageClass.lowercased(), transitionedAt: image.archivedAt, isReferenced: image.isReferenced)
        }
    }

    /// Runs the repository's policy: expires what it selects, as
    /// BatchDeleteImage would, and archives what it transitions; returns how
    /// many images it acted on.
    static func apply(to repository: RepositoryRecord, now: Double, _ tx: Transaction) throws -> Int {
        guard let text = repository.lifecyclePolicy, let rules = try? LifecycleRules.parse(text) else { return 0 }
        let decisions = rules.evaluate(try images(of: repository, tx), now: now)
        for decision in decisions {
            switch decision.action {
            case .expire:
                try ImageStore.deleteImage(decision.digest, in: repository, tx)
            case .transition(let target):
                if let image = try ImageRecord.find(repositoryArn: repository.arn, digest: decision.digest, in: tx) {
                    try ImageStorageClasses.move(image, to: target.uppercased(), at: now, tx)
                }
            }
        }
        var evaluated = repository
        evaluated.lifecycleEvaluatedAt = now
        try tx.update(evaluated)
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
