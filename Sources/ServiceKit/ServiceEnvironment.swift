import Storage

/// What every operation handler can reach: state, time, ids, the authorizer
/// and the operator's settings. One per server, shared by all requests.
public struct ServiceEnvironment: Sendable {
    public let store: Store
    public let clock: any Clock
    public let ids: any IdentifierGenerator
    public let authorizer: any Authorizer
    public let managedPolicies: ManagedPolicyCatalog
    public let settings: Settings

    public init(
        store: Store, clock: any Clock, ids: any IdentifierGenerator, authorizer: any Authorizer,
        managedPolicies: ManagedPolicyCatalog, settings: Settings
    ) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.authorizer = authorizer
        self.managedPolicies = managedPolicies
        self.settings = settings
    }

    /// The operator's choices that shape responses.
    public struct Settings: Sendable {
        public var defaultAccountId: String
        public var defaultRegion: String
        /// `host:port` clients reach the server at (ECR repository URIs, proxy endpoint).
        public var advertisedHost: String

        public init(defaultAccountId: String, defaultRegion: String, advertisedHost: String) {
            self.defaultAccountId = defaultAccountId
            self.defaultRegion = defaultRegion
            self.advertisedHost = advertisedHost
        }
    }
}
