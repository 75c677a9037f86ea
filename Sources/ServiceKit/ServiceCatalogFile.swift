import ServiceCatalog
import Synchronization

/// The Service Authorization Reference (`seed/service-catalog.json`), read on
/// first use like the managed policy catalog: most runs never ask for it.
public final class ServiceCatalogFile: Sendable {
    private let dataSets: DataSets?
    private let loaded = Mutex<ServiceCatalog?>(nil)

    /// - Parameter dataSets: where the catalog is read from; nil for no catalog (every service unknown).
    public init(_ dataSets: DataSets?) {
        self.dataSets = dataSets
    }

    /// The catalog, or nil when there is none or it cannot be read.
    public var catalog: ServiceCatalog? {
        loaded.withLock { cached in
            if let cached { return cached }
            cached = (try? dataSets?.bytes(.serviceCatalog)).map { ServiceCatalog(text: String(decoding: $0, as: UTF8.self)) }
            return cached
        }
    }
}
