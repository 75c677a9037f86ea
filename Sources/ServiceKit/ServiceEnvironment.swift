import AWSWire
import Synchronization
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
    /// Every service's actions and display name (IAM's service last accessed reports).
    public let services: ServiceCatalogFile

    public init(
        store: Store, clock: any Clock, ids: any IdentifierGenerator, authorizer: any Authorizer,
        managedPolicies: ManagedPolicyCatalog, settings: Settings, services: ServiceCatalogFile = ServiceCatalogFile(nil)
    ) {
        self.store = store
        self.clock = clock
        self.ids = ids
        self.authorizer = authorizer
        self.managedPolicies = managedPolicies
        self.settings = settings
        self.services = services
    }

    /// The operator's choices that shape responses.
    public struct Settings: Sendable {
        public var defaultAccountId: String
        public var defaultRegion: String
        /// `host:port` clients reach the server at (ECR repository URIs, proxy endpoint).
        public var advertisedHost: String { advertised.withLock { $0 } }
        /// Shared by every copy of the settings: with `--port 0` the port is
        /// only known once the listener is bound.
        private let advertised: AdvertisedHostBox
        /// A DNS domain the operator points at Gatehouse (wildcard record):
        /// registries are then addressed as ECR addresses them,
        /// `ACCOUNT.dkr.ecr.REGION.<domain>`. Without it every registry shares
        /// `advertisedHost`, which works with no DNS at all.
        public var registryDomain: String?

        public init(defaultAccountId: String, defaultRegion: String, advertisedHost: String, registryDomain: String? = nil) {
            self.defaultAccountId = defaultAccountId
            self.defaultRegion = defaultRegion
            self.advertised = AdvertisedHostBox(advertisedHost)
            self.registryDomain = registryDomain.map { $0.lowercased() }
        }

        /// Names the address clients reach the server at, once it is known.
        public func advertise(_ host: String) {
            advertised.withLock { $0 = host }
        }

        /// `host[:port]` of one account's registry in one region.
        public func registryHost(account: String, region: String) -> String {
            guard let registryDomain else { return advertisedHost }
            let port = advertisedHost.lastIndex(of: ":").map { String(advertisedHost[$0...]) } ?? ""
            return "\(account).dkr.ecr.\(region).\(registryDomain)\(port)"
        }

        /// The account and region a registry request's `Host` names, if it
        /// names one under `registryDomain`.
        public func registry(forHost host: String) -> (account: String, region: String)? {
            guard let registryDomain else { return nil }
            var name = host.lowercased()
            if let colon = name.lastIndex(of: ":") { name = String(name[..<colon]) }
            guard name.hasSuffix("." + registryDomain) else { return nil }
            let labels = name.dropLast(registryDomain.count + 1).split(separator: ".", omittingEmptySubsequences: false)
            guard labels.count == 4, labels[1] == "dkr", labels[2] == "ecr", labels[0].count == 12,
                labels[0].allSatisfy(\.isNumber), AWSRegions.partition.contains(String(labels[3]))
            else { return nil }
            return (String(labels[0]), String(labels[3]))
        }
    }
}

/// A mutable `host:port` shared by copies of `Settings`.
final class AdvertisedHostBox: Sendable {
    private let value: Mutex<String>

    init(_ value: String) { self.value = Mutex(value) }

    func withLock<T>(_ body: (inout String) -> T) -> T { value.withLock { body(&$0) } }
}
