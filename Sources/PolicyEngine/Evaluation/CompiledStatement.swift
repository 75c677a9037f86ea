/// A statement compiled for evaluation: wildcards turned into patterns once,
/// actions folded to lower case, condition keys folded for lookup.
///
/// A class so that indexes and candidate lists hold one pointer per statement
/// rather than copies of its arrays.
final class CompiledStatement: Sendable {
    let statement: PolicyStatement
    let isAllow: Bool
    private let actionPatterns: [WildcardPattern]
    private let isNotAction: Bool
    /// Nil when the statement has no Resource element: it then applies to the
    /// resource its policy is attached to.
    private let resourcePatterns: PatternList?
    private let isNotResource: Bool
    private let principal: PrincipalElement?
    private let hasPrincipal: Bool
    private let isNotPrincipal: Bool
    private let conditions: [ConditionEvaluator]
    /// Lower-cased service prefixes of the actions, or nil when some action
    /// could match any service (`*`, `s3*:…`, or any NotAction).
    let servicePrefixes: Set<String>?
    /// Every context key the statement reads, folded, with its spelling.
    let contextKeys: [(folded: String, spelling: String)]

    init(_ statement: PolicyStatement, principal: PrincipalElement?, variables: Bool) {
        self.statement = statement
        isAllow = statement.effect == .allow
        actionPatterns = statement.actions.values.map { WildcardPattern($0, foldsCase: true) }
        isNotAction = statement.actions.isNegated
        resourcePatterns = statement.resources.map { PatternList($0.values, variables: variables) }
        isNotResource = statement.resources?.isNegated ?? false
        self.principal = principal
        hasPrincipal = principal != nil
        isNotPrincipal = statement.principalIsNegated
        conditions = statement.conditions.map(\.evaluator)

        var prefixes: Set<String>? = []
        if isNotAction { prefixes = nil }
        for action in statement.actions.values where prefixes != nil {
            let vendor = action.split(separator: ":", maxSplits: 1).first.map(String.init) ?? action
            if vendor.contains("*") || vendor.contains("?") || !action.contains(":") {
                prefixes = nil
            } else {
                prefixes?.insert(vendor.asciiLowercased())
            }
        }
        servicePrefixes = prefixes

        var keys: [(String, String)] = []
        var seen: Set<String> = []
        let variableSources = statement.conditions.flatMap(\.variables) + (resourcePatterns?.variables ?? [])
        for (folded, spelling) in statement.conditions.map({ ($0.foldedKey, $0.key) })
            + variableSources.map({ ($0.foldedKey, $0.key) }) where seen.insert(folded).inserted {
            keys.append((folded, spelling))
        }
        contextKeys = keys
    }

    /// `action` is the whole `service:Action` name; case is ignored.
    @inline(__always)
    func matchesAction(_ action: UnsafeBufferPointer<UInt8>) -> Bool {
        var matched = false
        for pattern in actionPatterns where pattern.matches(action) {
            matched = true
            break
        }
        return matched != isNotAction
    }

    /// Resources are case-sensitive; an action without a resource type is
    /// requested on `*`, which only a `*` pattern covers.
    @inline(__always)
    func matchesResource(_ resource: UnsafeBufferPointer<UInt8>, in context: RequestContext) -> Bool {
        guard let resourcePatterns else { return true }
        return resourcePatterns.matchesAny(resource, in: context) != isNotResource
    }

    /// How the statement's Principal/NotPrincipal names `principal`; identity
    /// policies, which have neither, apply to their own principal.
    @inline(__always)
    func principalMatch(_ principal: EvaluationPrincipal) -> PrincipalMatch {
        if !hasPrincipal { return .direct }
        return resolvePrincipal(principal)
    }

    private func resolvePrincipal(_ principal: EvaluationPrincipal) -> PrincipalMatch {
        guard let element = self.principal else { return .direct }
        if isNotPrincipal {
            // An Allow grants "all principals except the one named" (IAM User
            // Guide, "NotPrincipal with Allow"): naming the caller by any of
            // its identities takes it out. A Deny spares only a caller whose
            // every identity is listed.
            let spared = isAllow ? element.names(principal) : element.exempts(principal)
            return spared ? .none : .direct
        }
        return element.match(principal)
    }

    /// Operators and keys are ANDed (IAM User Guide, "Creating a condition
    /// with multiple keys or values").
    @inline(__always)
    func conditionsHold(in context: RequestContext) -> Bool {
        for index in conditions.indices where !conditions[index].evaluate(in: context) { return false }
        return true
    }

    /// The keys this statement reads that the context lacks.
    func missingContextKeys(in context: RequestContext) -> [String] {
        contextKeys.compactMap { context.values(forFoldedKey: $0.folded) == nil ? $0.spelling : nil }
    }
}
