import AWSShapes
import PolicyEngine
import ServiceKit
import Storage

/// Repository creation templates: the settings ECR gives the repositories it
/// creates itself — by pull-through cache, by replication, or on push.
/// CreateRepository does not consult them (the user guide: templates apply
/// "to repositories created by Amazon ECR on your behalf").
enum CreationTemplates {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.CreateRepositoryCreationTemplate.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: create))
        r.register(
            ECROperation.DescribeRepositoryCreationTemplates.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: describe))
        r.register(ECROperation.UpdateRepositoryCreationTemplate.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: update))
        r.register(ECROperation.DeleteRepositoryCreationTemplate.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: delete))
    }

    // MARK: - Operations

    static func create(
        _ input: ECRShapes.CreateRepositoryCreationTemplateRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.CreateRepositoryCreationTemplateResponse {
        let scope = RegistryScope(registryId: nil, context)
        let template = ECRShapes.RepositoryCreationTemplate(
            appliedFor: input.appliedFor, customRoleArn: input.customRoleArn, description: input.description,
            encryptionConfiguration: input.encryptionConfiguration
                ?? ECRShapes.EncryptionConfigurationForRepositoryCreationTemplate(encryptionType: "AES256"),
            imageTagMutability: input.imageTagMutability ?? "MUTABLE",
            imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters,
            lifecyclePolicy: input.lifecyclePolicy, prefix: input.prefix, repositoryPolicy: input.repositoryPolicy,
            resourceTags: input.resourceTags ?? [])
        try validate(template)
        let now = context.now.secondsSince1970
        if try find(input.prefix, scope, tx) != nil { throw ECRError.templateExists(input.prefix, scope.accountId) }
        let record = RepositoryCreationTemplateRecord(
            accountId: scope.accountId, region: scope.region, prefix: input.prefix, document: RegistrySettings.encode(template),
            createdAt: now, updatedAt: now)
        try tx.insert(record)
        return ECRShapes.CreateRepositoryCreationTemplateResponse(registryId: scope.accountId, repositoryCreationTemplate: shape(record))
    }

    static func describe(
        _ input: ECRShapes.DescribeRepositoryCreationTemplatesRequest, _ target: NoTarget, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> ECRShapes.DescribeRepositoryCreationTemplatesResponse {
        let scope = RegistryScope(registryId: nil, context)
        let page: TokenPage<RepositoryCreationTemplateRecord>
        if let prefixes = input.prefixes, !prefixes.isEmpty {
            // The templates among those named, each once, in prefix order; unknown prefixes are no error.
            let named = try Set(prefixes).compactMap { try find($0, scope, tx) }.sorted { $0.prefix < $1.prefix }
            page = try TokenPage(named, key: \.prefix, nextToken: input.nextToken, maxResults: input.maxResults)
        } else {
            page = try TokenPage(nextToken: input.nextToken, maxResults: input.maxResults, fetch: { after, limit in
                try RepositoryCreationTemplateRecord.page(accountId: scope.accountId, region: scope.region, after: after, limit: limit, in: tx)
            }, key: \.prefix)
        }
        return ECRShapes.DescribeRepositoryCreationTemplatesResponse(
            nextToken: page.nextToken, registryId: scope.accountId, repositoryCreationTemplates: page.items.map(shape))
    }

    static func update(
        _ input: ECRShapes.UpdateRepositoryCreationTemplateRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.UpdateRepositoryCreationTemplateResponse {
        let scope = RegistryScope(registryId: nil, context)
        guard var record = try find(input.prefix, scope, tx) else { throw ECRError.templateNotFound(input.prefix, scope.accountId) }
        var template = shape(record)
        if let v = input.appliedFor { template.appliedFor = v }
        if let v = input.customRoleArn { template.customRoleArn = v }
        if let v = input.description { template.description = v }
        if let v = input.encryptionConfiguration { template.encryptionConfiguration = v }
        if let v = input.imageTagMutability { template.imageTagMutability = v }
        if let v = input.imageTagMutabilityExclusionFilters { template.imageTagMutabilityExclusionFilters = v }
        if let v = input.lifecyclePolicy { template.lifecyclePolicy = v }
        if let v = input.repositoryPolicy { template.repositoryPolicy = v }
        if let v = input.resourceTags { template.resourceTags = v }
        try validate(template)
        template.createdAt = nil
        template.updatedAt = nil
        record.document = RegistrySettings.encode(template)
        record.updatedAt = context.now.secondsSince1970
        try tx.update(record)
        return ECRShapes.UpdateRepositoryCreationTemplateResponse(registryId: scope.accountId, repositoryCreationTemplate: shape(record))
    }

    static func delete(
        _ input: ECRShapes.DeleteRepositoryCreationTemplateRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.DeleteRepositoryCreationTemplateResponse {
        let scope = RegistryScope(registryId: nil, context)
        guard let record = try find(input.prefix, scope, tx) else { throw ECRError.templateNotFound(input.prefix, scope.accountId) }
        try tx.delete(record)
        return ECRShapes.DeleteRepositoryCreationTemplateResponse(registryId: scope.accountId, repositoryCreationTemplate: shape(record))
    }

    /// The same checks the template's settings get when set on a repository.
    static func validate(_ template: ECRShapes.RepositoryCreationTemplate) throws {
        if let policy = template.lifecyclePolicy, !policy.isEmpty { try LifecyclePolicies.validate(policy) }
        if let policy = template.repositoryPolicy, !policy.isEmpty {
            do {
                _ = try PolicyDocument.parse(policy, kind: .resource)
            } catch {
                throw ECRError.invalidRepositoryPolicy
            }
        }
        let mutability = template.imageTagMutability ?? "MUTABLE"
        if mutability.hasSuffix("_WITH_EXCLUSION") && (template.imageTagMutabilityExclusionFilters ?? []).isEmpty {
            throw ECRError.invalidParameter("imageTagMutabilityExclusionFilters", "must be provided when imageTagMutability is \(mutability)")
        }
        try Repositories.validate(template.resourceTags)
    }

    /// A repository ECR creates on the registry owner's behalf (`purpose`:
    /// `REPLICATION`, `PULL_THROUGH_CACHE`, `CREATE_ON_PUSH`), with the settings of
    /// the template for that purpose whose prefix is the longest to match its
    /// name (`prod` matches `prod/…`; `ROOT` matches every name), or ECR's defaults.
    static func createRepository(
        _ name: String, for purpose: String, in scope: RegistryScope, now: Double, _ tx: Transaction
    ) throws -> RepositoryRecord {
        var best: (prefix: String, template: ECRShapes.UpdateRepositoryCreationTemplateRequest)?
        var after: String?
        while true {
            let page = try RepositoryCreationTemplateRecord.page(
                accountId: scope.accountId, region: scope.region, after: after, limit: 100, in: tx)
            for record in page.prefix(100) {
                guard let stored = RegistrySettings.decode(ECRShapes.UpdateRepositoryCreationTemplateRequest.self, record.document),
                    stored.appliedFor?.contains(purpose) == true,
                    record.prefix == "ROOT" || name.hasPrefix(record.prefix + "/")
                else { continue }
                let length = record.prefix == "ROOT" ? 0 : record.prefix.count
                if best.map({ ($0.prefix == "ROOT" ? 0 : $0.prefix.count) < length }) ?? true { best = (record.prefix, stored) }
            }
            guard page.count > 100, let last = page.prefix(100).last else { break }
            after = last.prefix
        }
        let template = best?.template
        let encryption = template?.encryptionConfiguration
        let encryptionType = encryption?.encryptionType ?? "AES256"
        let record = RepositoryRecord(
            arn: scope.repositoryArn(name), accountId: scope.accountId, region: scope.region, name: name, createdAt: now,
            imageTagMutability: template?.imageTagMutability ?? "MUTABLE",
            mutabilityExclusionFilters: MutabilityFilters.json(template?.imageTagMutabilityExclusionFilters ?? []),
            scanOnPush: false, encryptionType: encryptionType,
            kmsKey: encryptionType.hasPrefix("KMS") ? (encryption?.kmsKey ?? scope.awsManagedKeyArn) : nil,
            policy: template?.repositoryPolicy.flatMap { $0.isEmpty ? nil : $0 },
            lifecyclePolicy: template?.lifecyclePolicy.flatMap { $0.isEmpty ? nil : $0 },
            lifecyclePolicyUpdatedAt: template?.lifecyclePolicy.flatMap { $0.isEmpty ? nil : now })
        try tx.insert(record)
        for tag in template?.resourceTags ?? [] {
            try tx.insert(TagRecord(resourceId: record.arn, key: tag.key, value: tag.value))
        }
        return record
    }

    static func find(_ prefix: String, _ scope: RegistryScope, _ tx: Transaction) throws -> RepositoryCreationTemplateRecord? {
        try RepositoryCreationTemplateRecord.find(accountId: scope.accountId, region: scope.region, prefix: prefix, in: tx)
    }

    static func shape(_ record: RepositoryCreationTemplateRecord) -> ECRShapes.RepositoryCreationTemplate {
        let stored = RegistrySettings.decode(ECRShapes.UpdateRepositoryCreationTemplateRequest.self, record.document)
        return ECRShapes.RepositoryCreationTemplate(
            appliedFor: stored?.appliedFor, createdAt: Timestamp(secondsSince1970: record.createdAt), customRoleArn: stored?.customRoleArn,
            description: stored?.description, encryptionConfiguration: stored?.encryptionConfiguration,
            imageTagMutability: stored?.imageTagMutability, imageTagMutabilityExclusionFilters: stored?.imageTagMutabilityExclusionFilters,
            lifecyclePolicy: stored?.lifecyclePolicy, prefix: record.prefix, repositoryPolicy: stored?.repositoryPolicy,
            resourceTags: stored?.resourceTags, updatedAt: Timestamp(secondsSince1970: record.updatedAt))
    }
}
