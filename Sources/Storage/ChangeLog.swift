import Synchronization

/// Something an in-memory cache entry was derived from, and that a write can
/// change. Caches keep an entry until a committed write touches one of its
/// dependencies, instead of dropping everything on every write.
public enum Dependency: Hashable, Sendable {
    /// An IAM identity (user, role or group) by its unique id: its row, its
    /// attached and inline policies, permissions boundary, tags and group
    /// memberships.
    case principal(String)
    /// A managed policy by ARN: which version is the default, and its document.
    case policy(String)
    /// An access key or a session credential, by access key id.
    case credential(String)
    /// Any other resource, by ARN (an ECR repository: its policy and tags).
    case resource(String)
}

/// Which committed writes touched what.
///
/// Every committed write advances `sequence` and stamps the dependencies it
/// touched with the new value. Something loaded while the sequence read `s`
/// is still exact as long as none of its dependencies carries a stamp above
/// `s`. A write that cannot say what it touched (raw SQL, a reset) raises the
/// floor instead, which invalidates everything loaded before it.
public final class ChangeLog: Sendable {
    private struct State {
        var sequence: UInt64 = 0
        var floor: UInt64 = 0
        var stamps: [Dependency: UInt64] = [:]
    }

    /// Beyond this many distinct stamps the log forgets them and raises the
    /// floor: a bounded map, at the price of one cold request per entry.
    static let capacity = 50_000

    private let state = Mutex(State())

    public init() {}

    /// Read before loading something a cache will keep.
    public var sequence: UInt64 { state.withLock { $0.sequence } }

    /// Whether what was loaded at `sequence` from `dependencies` is unchanged since.
    public func isCurrent(since sequence: UInt64, _ dependencies: some Sequence<Dependency>) -> Bool {
        state.withLock { state in
            guard state.floor <= sequence else { return false }
            for dependency in dependencies where (state.stamps[dependency] ?? 0) > sequence { return false }
            return true
        }
    }

    /// Records a committed write: what it touched, or everything (nil).
    func record(_ touched: Set<Dependency>?) {
        state.withLock { state in
            state.sequence += 1
            guard let touched, state.stamps.count + touched.count <= Self.capacity else {
                state.floor = state.sequence
                state.stamps.removeAll(keepingCapacity: true)
                return
            }
            for dependency in touched { state.stamps[dependency] = state.sequence }
        }
    }
}
