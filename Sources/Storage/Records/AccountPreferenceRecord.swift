/// An account's own settings that are not entities: its STS global endpoint
/// token version and its outbound web identity federation.
public struct AccountPreferenceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "accountPreference"

    public var accountId: String
    /// `v1Token` or `v2Token`; nil until SetSecurityTokenServicePreferences.
    public var globalEndpointTokenVersion: String?
    /// The issuer URL, made on the first EnableOutboundWebIdentityFederation and kept after a disable.
    public var outboundIssuer: String?
    public var outboundEnabled: Bool

    public init(accountId: String, globalEndpointTokenVersion: String? = nil, outboundIssuer: String? = nil, outboundEnabled: Bool = false) {
        self.accountId = accountId
        self.globalEndpointTokenVersion = globalEndpointTokenVersion
        self.outboundIssuer = outboundIssuer
        self.outboundEnabled = outboundEnabled
    }
}
