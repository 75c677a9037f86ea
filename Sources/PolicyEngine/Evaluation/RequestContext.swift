/// The request context: condition keys and their values.
///
/// Key names are case-insensitive ("Key names are case-insensitive. For
/// example, `aws:CurrentTime` is equivalent to `AWS:currenttime`" — IAM User
/// Guide, "Variables and tags"), so keys are folded once on the way in and
/// policies look them up with keys folded at compile time.
public struct RequestContext: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    private var entries: [String: [String]]
    /// First spelling seen for each key, for reports such as MissingContextValues.
    private var spellings: [String: String]

    public init() {
        entries = [:]
        spellings = [:]
    }

    public init(_ values: [String: ContextValue]) {
        self.init()
        for (key, value) in values { self[key] = value }
    }

    public init(dictionaryLiteral elements: (String, ContextValue)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }

    /// The values of `key` (any case); nil when the key is absent.
    public subscript(key: String) -> ContextValue? {
        get { entries[key.asciiLowercased()].map(ContextValue.init) }
        set {
            let folded = key.asciiLowercased()
            if let newValue {
                entries[folded] = newValue.values
                if spellings[folded] == nil { spellings[folded] = key }
            } else {
                entries[folded] = nil
                spellings[folded] = nil
            }
        }
    }

    /// Every key present, as first spelled.
    public var keys: [String] { entries.keys.map { spellings[$0] ?? $0 }.sorted() }

    public var isEmpty: Bool { entries.isEmpty }

    /// Lookup by a key already folded with `asciiLowercased()`.
    @inline(__always)
    func values(forFoldedKey key: String) -> [String]? {
        entries[key]
    }

    /// A copy with `other`'s keys added where this context has none.
    public func merging(_ other: RequestContext) -> RequestContext {
        var merged = self
        for (key, value) in other.entries where merged.entries[key] == nil {
            merged.entries[key] = value
            merged.spellings[key] = other.spellings[key]
        }
        return merged
    }
}
