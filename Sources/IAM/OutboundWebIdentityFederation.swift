import AWSShapes
import ServiceKit
import Storage

/// Outbound web identity federation: whether the account's principals may ask
/// STS for JWTs (GetWebIdentityToken) and the account's issuer URL. The first
/// enable makes the issuer, `https://<uuid>.tokens.sts.global.api.aws` (the
/// form of the IAM API reference's examples and of a real account's issuer
/// quoted in a 2026 write-up); a disable keeps it, so Get then answers it with
/// `JwtVendingEnabled` false. An account that never enabled the feature has
/// no issuer: Get and Disable answer FeatureDisabled (404), a second enable
/// FeatureEnabled (409), in the model's words.
///
/// Gatehouse does not sign JWTs for STS yet: with the feature enabled,
/// GetWebIdentityToken answers 501 NotImplemented naming itself.
enum OutboundWebIdentityFederation {
    static let alreadyEnabled = IAMShapes.Errors.featureEnabled(
        "The request failed because outbound identity federation is already enabled for your Amazon Web Services account. You cannot enable the feature multiple times. To fetch the current configuration (including the unique issuer URL), use the GetOutboundWebIdentityFederationInfo operation.")
    static let disabled = IAMShapes.Errors.featureDisabled(
        "The request failed because outbound identity federation is already disabled for your Amazon Web Services account. You cannot disable the feature multiple times")

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.EnableOutboundWebIdentityFederation.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: enable))
        r.register(IAMOperation.DisableOutboundWebIdentityFederation.self, .transaction(.write, target: { _, _, _ in NoTarget() }, act: disable))
        r.register(IAMOperation.GetOutboundWebIdentityFederationInfo.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: info))
    }

    static func enable(_ input: EmptyShape, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.EnableOutboundWebIdentityFederationResponse
    {
        var preferences = try AccountPreferenceRecord.of(context.accountId, in: tx)
        if preferences.outboundEnabled { throw alreadyEnabled }
        let issuer = preferences.outboundIssuer ?? "https://\(context.ids.uuid()).tokens.sts.global.api.aws"
        preferences.outboundIssuer = issuer
        preferences.outboundEnabled = true
        try preferences.save(in: tx)
        return IAMShapes.EnableOutboundWebIdentityFederationResponse(issuerIdentifier: issuer)
    }

    static func disable(_ input: EmptyShape, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction) throws -> EmptyShape {
        var preferences = try AccountPreferenceRecord.of(context.accountId, in: tx)
        guard preferences.outboundEnabled else { throw disabled }
        preferences.outboundEnabled = false
        try preferences.save(in: tx)
        return EmptyShape()
    }

    static func info(_ input: EmptyShape, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> IAMShapes.GetOutboundWebIdentityFederationInfoResponse
    {
        let preferences = try AccountPreferenceRecord.of(context.accountId, in: tx)
        guard let issuer = preferences.outboundIssuer else { throw disabled }
        return IAMShapes.GetOutboundWebIdentityFederationInfoResponse(issuerIdentifier: issuer, jwtVendingEnabled: preferences.outboundEnabled)
    }
}
