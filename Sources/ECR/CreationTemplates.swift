import AWSShapes
import GRDB
import PolicyEngine
import ServiceKit
import Storage

/// Repository creation templates: the settings ECR gives the repositories it
/// creates itself — by pull-through cache, by replication, or on push.
/// CreateRepository does not consult them (the user guide: templates apply
/// "to repositories created by Amazon ECR on your behalf").
enum CreationTemplates {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.CreateRepositoryCreationTemplate.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:CreateRepositoryCreationTemplate", resource: "*")]
        }) { input, context in
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
            return try await context.store.write { db in
                if try find(input.prefix, scope, db) != nil { throw ECRError.templateExists(input.prefix, scope.accountId) }
                let record = RepositoryCreationTemplateRecord(
                    accountId: scope.accountId, region: scope.region, prefix: input.prefix, document: RegistrySettings.encode(template),
                    createdAt: now, updatedAt: now)
                try record.insert(db)
                return ECRShapes.CreateRepositoryCreationTemplateResponse(registryId: scope.accountId, repositoryCreationTemplate: shape(record))
            }
        }

        r.register(ECROperation.DescribeRepositoryCreationTemplates.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:DescribeRepositoryCreationTemplates", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.read { db in
                var records = try RepositoryCreationTemplateRecord.fetchAll(
                    db, cached: "SELECT * FROM repositoryCreationTemplate WHERE accountId = ? AND region = ? ORDER BY prefix",
                    arguments: [scope.accountId, scope.region])
                if let prefixes = input.prefixes, !prefixes.isEmpty {
                    records = records.filter { prefixes.contains($0.prefix) }
                }
                let page = try TokenPage(records, key: \.prefix, nextToken: input.nextToken, maxResults: input.maxResults)
                return ECRShapes.DescribeRepositoryCreationTemplatesResponse(
                    nextToken: page.nextToken, registryId: scope.accountId, repositoryCreationTemplates: page.items.map(shape))
            }
        }

        r.register(ECROperation.UpdateRepositoryCreationTemplate.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:UpdateRepositoryCreationTemplate", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.write { db in
                guard var record = try find(input.prefix, scope, db) else { throw ECRError.templateNotFound(input.prefix, scope.accountId) }
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
                try record.update(db)
                return ECRShapes.UpdateRepositoryCreationTemplateResponse(registryId: scope.accountId, repositoryCreationTemplate: shape(record))
            }
        }

        r.register(ECROperation.DeleteRepositoryCreationTemplate.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:DeleteRepositoryCreationTemplate", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.write { db in
                guard let record = try find(input.prefix, scope, db) else { throw ECRError.templateNotFound(input.prefix, scope.accountId) }
                _ = try record.delete(db)
                return ECRShapes.DeleteRepositoryCreationTemplateResponse(registryId: scope.accountId, repositoryCreationTemplate: shape(record))
            }
        }
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

    static func find(_ prefix: String, _ scope: RegistryScope, _ db: Database) throws -> RepositoryCreationTemplateRecord? {
        try RepositoryCreationTemplateRecord.fetchOne(db, key: ["accountId": scope.accountId, "region": scope.region, "prefix": prefix])
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
