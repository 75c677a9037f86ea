import Synchronization

/// The statements of a group of policies, indexed so that a request only
/// looks at statements whose `Action`/`NotAction` covers its action.
///
/// Statements are filed by service prefix when compiled; the list for an
/// action is then filtered by the action patterns once and remembered, since
/// a server asks about the same few actions over and over. The memo is
/// bounded and guarded by a lock, so an index can be shared across threads.
final class StatementIndex: Sendable {
    struct Entry: Sendable {
        let statement: CompiledStatement
        let origin: PolicyOrigin
        /// Position across all policies of the index, for reporting in document order.
        let order: Int
    }

    /// The statements covering one action, denies first so that an allow is
    /// only trusted after every deny has been seen. References are unretained:
    /// the index's `all` keeps them alive, and walking them costs no
    /// reference counting.
    struct Candidates: @unchecked Sendable {
        let statements: [Unmanaged<CompiledStatement>]
        let origins: [Unmanaged<PolicyOrigin>]
        let denyCount: Int
    }

    private let all: [Entry]
    private let byService: [String: [Entry]]
    private let anyService: [Entry]
    let isEmpty: Bool
    /// Keyed by the action as requested; differently-cased spellings of one
    /// action get separate entries holding the same candidates.
    private let memo = Mutex<[String: Candidates]>([:])
    private static let memoLimit = 4096

    init(_ groups: [(policies: [AttachedPolicy], type: PolicyType)]) {
        var all: [Entry] = []
        for group in groups {
            for policy in group.policies {
                let origin = PolicyOrigin(policy, type: group.type)
                for statement in policy.document.compiled {
                    all.append(Entry(statement: statement, origin: origin, order: all.count))
                }
            }
        }
        isEmpty = all.isEmpty
        self.all = all
        var byService: [String: [Entry]] = [:]
        var anyService: [Entry] = []
        for entry in all {
            guard let prefixes = entry.statement.servicePrefixes else {
                anyService.append(entry)
                continue
            }
            for prefix in prefixes { byService[prefix, default: []].append(entry) }
        }
        self.byService = byService
        self.anyService = anyService
    }

    func candidates(for action: String) -> Candidates {
        if let cached = memo.withLock({ $0[action] }) { return cached }
        let computed = compute(action)
        memo.withLock { memo in
            if memo.count >= Self.memoLimit { memo.removeAll(keepingCapacity: true) }
            memo[action] = computed
        }
        return computed
    }

    private func compute(_ action: String) -> Candidates {
        let service = String(action.split(separator: ":", maxSplits: 1).first ?? "").asciiLowercased()
        let pool = (byService[service] ?? []) + anyService
        var denies: [Entry] = []
        var allows: [Entry] = []
        var seen: Set<ObjectIdentifier> = []
        action.withUTF8Bytes { bytes in
            for entry in pool where seen.insert(ObjectIdentifier(entry.statement)).inserted {
                guard entry.statement.matchesAction(bytes) else { continue }
                if entry.statement.isAllow { allows.append(entry) } else { denies.append(entry) }
            }
        }
        denies.sort { $0.order < $1.order }
        allows.sort { $0.order < $1.order }
        let ordered = denies + allows
        return Candidates(
            statements: ordered.map { Unmanaged.passUnretained($0.statement) },
            origins: ordered.map { Unmanaged.passUnretained($0.origin) },
            denyCount: denies.count)
    }
}
