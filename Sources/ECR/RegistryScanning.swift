import AWSShapes
import ServiceKit
import Storage

/// The registry's scanning configuration and what it means per repository.
enum RegistryScanning {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.GetRegistryScanningConfiguration.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: get))
        r.register(ECROperation.PutRegistryScanningConfiguration.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: put))
        r.register(
            ECROperation.BatchGetRepositoryScanningConfiguration.self,
            .transaction(.read, target: named, access: { _, target, _, action in target.requests(action) }, act: batchGet))
    }

    // MARK: - Operations

    static func get(
        _ input: ECRShapes.GetRegistryScanningConfigurationRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.GetRegistryScanningConfigurationResponse {
        let scope = RegistryScope(registryId: nil, context)
        return ECRShapes.GetRegistryScanningConfigurationResponse(registryId: scope.accountId, scanningConfiguration: try configuration(scope, tx))
    }

    static func put(
        _ input: ECRShapes.PutRegistryScanningConfigurationRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.PutRegistryScanningConfigurationResponse {
        let configuration = ECRShapes.RegistryScanningConfiguration(rules: input.rules ?? [], scanType: input.scanType ?? "BASIC")
        for rule in configuration.rules ?? [] where configuration.scanType == "BASIC" && rule.scanFrequency == "CONTINUOUS_SCAN" {
            throw ECRError.invalidParameter("scanFrequency", "CONTINUOUS_SCAN is only supported for scanType ENHANCED")
        }
        try RegistrySettings.put(RegistrySettings.scanning, RegistrySettings.encode(configuration), RegistryScope(registryId: nil, context), tx)
        return ECRShapes.PutRegistryScanningConfigurationResponse(registryScanningConfiguration: configuration)
    }

    /// The repositories named, in the caller's own registry: each authorized on its ARN.
    static func named(
        _ input: ECRShapes.BatchGetRepositoryScanningConfigurationRequest, _ context: OperationContext, _ tx: Transaction
    ) throws -> RepositoryTargets {
        let scope = RegistryScope(registryId: nil, context)
        return RepositoryTargets(each: try input.repositoryNames.map { try RepositoryTarget($0, scope, tx) })
    }

    static func batchGet(
        _ input: ECRShapes.BatchGetRepositoryScanningConfigurationRequest, _ target: RepositoryTargets, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> ECRShapes.BatchGetRepositoryScanningConfigurationResponse {
        let registry = try configuration(RegistryScope(registryId: nil, context), tx)
        var configurations: [ECRShapes.RepositoryScanningConfiguration] = []
        var failures: [ECRShapes.RepositoryScanningConfigurationFailure] = []
        for named in target.each {
            guard let repository = named.repository else {
                failures.append(ECRShapes.RepositoryScanningConfigurationFailure(
                    failureCode: "REPOSITORY_NOT_FOUND", failureReason: "REPOSITORY_NOT_FOUND", repositoryName: named.name))
                continue
            }
            let applied = effective(registry, repository)
            configurations.append(ECRShapes.RepositoryScanningConfiguration(
                appliedScanFilters: applied.filters, repositoryArn: repository.arn, repositoryName: repository.name,
                scanFrequency: applied.frequency, scanOnPush: applied.frequency != "MANUAL"))
        }
        return ECRShapes.BatchGetRepositoryScanningConfigurationResponse(failures: failures, scanningConfigurations: configurations)
    }

    /// The stored configuration; a registry that never set one scans basically, with no rules.
    static func configuration(_ scope: RegistryScope, _ tx: Transaction) throws -> ECRShapes.RegistryScanningConfiguration {
        let stored = RegistrySettings.decode(
            ECRShapes.PutRegistryScanningConfigurationRequest.self, try RegistrySettings.get(RegistrySettings.scanning, scope, tx))
        return ECRShapes.RegistryScanningConfiguration(rules: stored?.rules ?? [], scanType: stored?.scanType ?? "BASIC")
    }

    /// How a repository is scanned: by the registry rule whose filters match
    /// its name (continuous scanning before scan on push), else by the
    /// repository's own legacy `scanOnPush`.
    static func effective(_ registry: ECRShapes.RegistryScanningConfiguration, _ repository: RepositoryRecord)
        -> (frequency: String, filters: [ECRShapes.ScanningRepositoryFilter])
    {
        let rules = (registry.rules ?? []).sorted { order($0.scanFrequency) < order($1.scanFrequency) }
        for rule in rules {
            let matching = rule.repositoryFilters.filter { Wildcard.matches($0.filter, repository.name) }
            if !matching.isEmpty { return (rule.scanFrequency, matching) }
        }
        return (repository.scanOnPush ? "SCAN_ON_PUSH" : "MANUAL", [])
    }

    private static func order(_ frequency: String) -> Int {
        ["CONTINUOUS_SCAN": 0, "SCAN_ON_PUSH": 1][frequency] ?? 2
    }

    /// Whether a push to the repository asks for a scan.
    static func scansOnPush(_ repository: RepositoryRecord, _ tx: Transaction) throws -> Bool {
        let scope = RegistryScope(accountId: repository.accountId, region: repository.region)
        return effective(try configuration(scope, tx), repository).frequency != "MANUAL"
    }
}
