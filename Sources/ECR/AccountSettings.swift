import AWSShapes
import ServiceKit
import Storage

/// Account settings of the registry (Get/PutAccountSetting): the names and
/// values the API reference lists, with the values a new registry has.
enum AccountSettings {
    /// Name → (allowed values, the value until one is put).
    static let known: [(name: String, values: [String], initial: String)] = [
        ("BASIC_SCAN_TYPE_VERSION", ["AWS_NATIVE", "CLAIR"], "AWS_NATIVE"),
        ("REGISTRY_POLICY_SCOPE", ["V1", "V2"], "V2"),
        ("BLOB_MOUNTING", ["ENABLED", "DISABLED"], "DISABLED"),
    ]

    static func setting(_ name: String) throws -> (name: String, values: [String], initial: String) {
        guard let setting = known.first(where: { $0.name == name }) else { throw ECRError.enumValue("name", known.map(\.name)) }
        return setting
    }

    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.GetAccountSetting.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:GetAccountSetting", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            let setting = try setting(input.name)
            return try await context.store.read { db in
                let value = try RegistrySettings.get(RegistrySettings.account(setting.name), scope, db) ?? setting.initial
                return ECRShapes.GetAccountSettingResponse(name: setting.name, value: value)
            }
        }

        r.register(ECROperation.PutAccountSetting.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:PutAccountSetting", resource: "*")]
        }) { input, context in
            let scope = RegistryScope(registryId: nil, context)
            let setting = try setting(input.name)
            guard setting.values.contains(input.value) else { throw ECRError.enumValue("value", setting.values) }
            return try await context.store.write { db in
                try RegistrySettings.put(RegistrySettings.account(setting.name), input.value, scope, db)
                return ECRShapes.PutAccountSettingResponse(name: setting.name, value: input.value)
            }
        }
    }
}
