import Foundation
import ServiceCatalog
import Synchronization

/// The Service Authorization Reference (`seed/service-catalog.json`), read on
/// first use like the managed policy catalog: most runs never ask for it.
public final class ServiceCatalogFile: Sendable {
    private let file: URL?
    private let loaded = Mutex<ServiceCatalog?>(nil)

    /// - Parameter file: nil for no catalog (every service unknown).
    public init(_ file: URL?) {
        self.file = file
    }

    /// The catalog, or nil when there is no file or it cannot be read.
    public var catalog: ServiceCatalog? {
        loaded.withLock { cached in
            if let cached { return cached }
            cached = file.flatMap { try? ServiceCatalog(file: $0) }
            return cached
        }
    }
}
