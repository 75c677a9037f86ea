import AWSShapes
import GRDB
import ServiceKit
import Storage

/// The registry's scanning configuration and what it means per repository.
enum RegistryScanning {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.GetRegistryScanningConfiguration.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:GetRegistryScanningConfiguration", resource: "*")]
        }) { _, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.read { db in
                ECRShapes.GetRegistryScanningConfigurationResponse(
                    registryId: scope.accountId, scanningConfiguration: try configuration(scope, db))
            }
        }

        r.register(ECROperation.PutRegistryScanningConfiguration.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:PutRegistryScanningConfiguration", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            let configuration = ECRShapes.RegistryScanningConfiguration(rules: input.rules ?? [], scanType: input.scanType ?? "BASIC")
            for rule in configuration.rules ?? [] where configuration.scanType == "BASIC" && rule.scanFrequency == "CONTINUOUS_SCAN" {
                throw ECRError.invalidParameter("scanFrequency", "CONTINUOUS_SCAN is only supported for scanType ENHANCED")
            }
            return try await context.store.write { db in
                try RegistrySettings.put(RegistrySettings.scanning, RegistrySettings.encode(configuration), scope, db)
                return ECRShapes.PutRegistryScanningConfigurationResponse(registryScanningConfiguration: configuration)
            }
        }

        r.register(ECROperation.BatchGetRepositoryScanningConfiguration.self, access: .check { input, context in
            let scope = RegistryScope(registryId: nil, context)
            return input.repositoryNames.map { scope.access("ecr:BatchGetRepositoryScanningConfiguration", $0) }
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            return try await context.store.read { db in
                let registry = try configuration(scope, db)
                var configurations: [ECRShapes.RepositoryScanningConfiguration] = []
                var failures: [ECRShapes.RepositoryScanningConfigurationFailure] = []
                for name in input.repositoryNames {
                    guard let repository = try Repositories.find(name, scope, db) else {
                        failures.append(ECRShapes.RepositoryScanningConfigurationFailure(
                            failureCode: "REPOSITORY_NOT_FOUND", failureReason: "REPOSITORY_NOT_FOUND", repositoryName: name))
                        continue
                    }
                    let applied = effective(registry, repository)
                    configurations.append(ECRShapes.RepositoryScanningConfiguration(
                        appliedScanFilters: applied.filters, repositoryArn: repository.arn, repositoryName: repository.name,
                        scanFrequency: applied.frequency, scanOnPush: applied.frequency != "MANUAL"))
                }
                return ECRShapes.BatchGetRepositoryScanningConfigurationResponse(
                    failures: failures, scanningConfigurations: configurations)
            }
        }
    }

    /// The stored configuration; a registry that never set one scans basically, with no rules.
    static func configuration(_ scope: RegistryScope, _ db: Database) throws -> ECRShapes.RegistryScanningConfiguration {
        let stored = RegistrySettings.decode(
            ECRShapes.PutRegistryScanningConfigurationRequest.self, try RegistrySettings.get(RegistrySettings.scanning, scope, db))
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
    static func scansOnPush(_ repository: RepositoryRecord, _ db: Database) throws -> Bool {
        let scope = RegistryScope(accountId: repository.accountId, region: repository.region)
        return effective(try configuration(scope, db), repository).frequency != "MANUAL"
    }
}
