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
        r.register(ECROperation.GetAccountSetting.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: get))
        r.register(ECROperation.PutAccountSetting.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: put))
    }

    // MARK: - Operations

    static func get(
        _ input: ECRShapes.GetAccountSettingRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.GetAccountSettingResponse {
        let setting = try setting(input.name)
        let value = try RegistrySettings.get(RegistrySettings.account(setting.name), RegistryScope(registryId: nil, context), tx)
        return ECRShapes.GetAccountSettingResponse(name: setting.name, value: value ?? setting.initial)
    }

    static func put(
        _ input: ECRShapes.PutAccountSettingRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ECRShapes.PutAccountSettingResponse {
        let setting = try setting(input.name)
        guard setting.values.contains(input.value) else { throw ECRError.enumValue("value", setting.values) }
        try RegistrySettings.put(RegistrySettings.account(setting.name), input.value, RegistryScope(registryId: nil, context), tx)
        return ECRShapes.PutAccountSettingResponse(name: setting.name, value: input.value)
    }
}
