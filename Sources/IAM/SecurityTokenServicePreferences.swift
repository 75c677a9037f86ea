import AWSShapes
import ServiceKit
import Storage

/// SetSecurityTokenServicePreferences: which tokens the STS global endpoint
/// issues (`v1Token`, valid only in Regions enabled by default, or `v2Token`,
/// valid in every Region). Stored per account and reported by
/// GetAccountSummary as `GlobalEndpointTokenVersion` 1 or 2 (IAM API
/// reference, GetAccountSummary and SetSecurityTokenServicePreferences).
enum SecurityTokenServicePreferences {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.SetSecurityTokenServicePreferences.self,
            .transaction(.write, target: { _, _, _ in NoTarget() }, act: set))
    }

    static func set(
        _ input: IAMShapes.SetSecurityTokenServicePreferencesRequest, _ target: NoTarget, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> EmptyShape {
        var preferences = try AccountPreferenceRecord.of(context.accountId, in: tx)
        preferences.globalEndpointTokenVersion = input.globalEndpointTokenVersion
        try preferences.save(in: tx)
        return EmptyShape()
    }

    /// GetAccountSummary's `GlobalEndpointTokenVersion`: 1 until an account asks for v2 tokens.
    static func summaryVersion(account: String, in tx: Transaction) throws -> Int {
        try AccountPreferenceRecord.of(account, in: tx).globalEndpointTokenVersion == "v2Token" ? 2 : 1
    }
}
