import JSON
import PolicyEngine
import ServiceCatalog

/// What a policy *can* grant, reasoned about statement by statement for the
/// custom policy checks (docs/research/access-analyzer.md §4). AWS decides
/// these checks with an automated reasoner over every possible request; here
/// the policy engine's own grammar (`PolicyDocument`) and wildcard semantics
/// (`PatternRelation`) decide set relations between `Action`, `Resource` and
/// `Principal` values, and the Service Authorization Reference narrows action
/// wildcards to the actions that exist (`s3:Get*` and `s3:*Acl` overlap only
/// because real actions such as `s3:GetObjectAcl` match both).
///
/// Every approximation errs towards FAIL ("this may grant the access"), since
/// a check that passes wrongly is the harmful mistake for a CI gate.
struct PolicyAccess {
    let catalog: ServiceCatalog?

    /// `Action`/`NotAction`, `Resource`/`NotResource` as a set description; a
    /// statement without `Resource` (a resource policy's own resource) is `*`,
    /// the most it could mean.
    struct Values {
        var patterns: [String]
        var isNegated: Bool

        init(_ list: PolicyStatement.ElementList?) {
            patterns = list?.values ?? ["*"]
            isNegated = list?.isNegated ?? false
        }
    }

    enum Kind { case action, resource }

    // MARK: - Relations between one pattern and another

    /// The real actions a wildcard action names, when the catalog knows its
    /// service; nil for a literal or an unknown service (then only the
    /// patterns themselves are compared).
    func expand(action pattern: String) -> [String]? {
        guard pattern.contains("*") || pattern.contains("?"), let catalog,
              let (service, actions) = catalog.actions(matching: pattern) else { return nil }
        return actions.map { service.prefix + ":" + $0.name }
    }

    /// Whether some action (or resource) matches both patterns.
    func overlaps(_ a: String, _ b: String, _ kind: Kind) -> Bool {
        let fold = kind == .action
        guard PatternRelation.overlaps(a, b, foldsCase: fold) else { return false }
        // Two wildcards can meet only in names no service has (`s3:*Acl` and
        // `s3:Get*` meet in `s3:GetObjectAcl`, `s3:Put*` and `s3:*Tagging` in
        // several): the catalog says whether a real action is in both. A
        // literal is compared as written, so an action newer than the catalog
        // still counts.
        guard kind == .action, isWildcard(a), isWildcard(b) else { return true }
        for (one, other) in [(a, b), (b, a)] {
            if let real = expand(action: one) { return real.contains { PatternRelation.matches(other, $0, foldsCase: true) } }
        }
        return true
    }

    private func isWildcard(_ pattern: String) -> Bool { pattern.contains("*") || pattern.contains("?") }

    /// Whether every action (or resource) `inner` names is in `outer`'s set.
    func covers(_ outer: Values, _ inner: String, _ kind: Kind) -> Bool {
        let fold = kind == .action
        if outer.isNegated { return !outer.patterns.contains { overlaps($0, inner, kind) } }
        if outer.patterns.contains(where: { PatternRelation.covers($0, inner, foldsCase: fold) }) { return true }
        // `s3:Get*` is covered by a list naming each of its real actions.
        if kind == .action, let real = expand(action: inner), !real.isEmpty {
            return real.allSatisfy { action in outer.patterns.contains { PatternRelation.matches($0, action, foldsCase: true) } }
        }
        return false
    }

    /// Whether `outer`'s set contains all of `inner`'s.
    func covers(_ outer: Values, _ inner: Values, _ kind: Kind) -> Bool {
        switch (outer.isNegated, inner.isNegated) {
        case (_, false): return inner.patterns.allSatisfy { covers(outer, $0, kind) }
        // Everything but N ⊆ outer: outer must be everything…
        case (false, true): return outer.patterns.contains { $0 == "*" }
        // …or exclude no more than N does.
        case (true, true): return outer.patterns.allSatisfy { covers(Values(patterns: inner.patterns), $0, kind) }
        }
    }

    /// Whether the two sets share a member.
    func intersects(_ a: Values, _ b: Values, _ kind: Kind) -> Bool {
        switch (a.isNegated, b.isNegated) {
        case (false, false): return a.patterns.contains { x in b.patterns.contains { overlaps(x, $0, kind) } }
        case (false, true): return a.patterns.contains { !covers(b.negatedComplement, $0, kind) }
        case (true, false): return intersects(b, a, kind)
        // Two co-finite sets of an infinite space always meet.
        case (true, true): return true
        }
    }

    // MARK: - Principals (resource policies)

    /// Whether a statement's principals include everyone `inner`'s do; a
    /// statement with none (an identity policy) applies to its holder only.
    static func principalsCover(_ outer: PolicyStatement, _ inner: PolicyStatement) -> Bool {
        if outer.principals.isEmpty && inner.principals.isEmpty { return true }
        let everyone = outer.principals.contains { $0.type == .aws && $0.isWildcard }
        if !outer.principalIsNegated && everyone { return true }
        if outer.principalIsNegated || inner.principalIsNegated {
            // Only the same NotPrincipal list is known to name the same principals.
            return outer.principalIsNegated && inner.principalIsNegated && Set(outer.principals.map(key)) == Set(inner.principals.map(key))
        }
        let named = Set(outer.principals.map(key))
        return inner.principals.allSatisfy { named.contains(key($0)) || sameAccount($0, outer.principals) }
    }

    private static func key(_ p: PrincipalReference) -> String { p.type.rawValue + "\u{0}" + p.value }

    /// `123456789012` and `arn:aws:iam::123456789012:root` name the same account.
    private static func sameAccount(_ p: PrincipalReference, _ others: [PrincipalReference]) -> Bool {
        guard let account = p.accountID, isAccount(p) else { return false }
        return others.contains { isAccount($0) && $0.accountID == account }
    }

    private static func isAccount(_ p: PrincipalReference) -> Bool {
        p.type == .aws && (p.value.utf8.count == 12 || p.value.hasSuffix(":root"))
    }

    /// Whether `outer`'s conditions are no stricter than `inner`'s: conditions
    /// are ANDed, so a subset of `inner`'s clauses allows at least as much.
    /// Different clauses are not compared by meaning (a conservative "stricter").
    static func conditionsNoStricter(_ outer: PolicyStatement, than inner: PolicyStatement) -> Bool {
        outer.conditions.allSatisfy { clause in inner.conditions.contains(clause) }
    }

    /// The statement's meaning without its position and name.
    static func sameRule(_ a: PolicyStatement, _ b: PolicyStatement) -> Bool {
        a.effect == b.effect && a.actions == b.actions && a.resources == b.resources && a.principalIsNegated == b.principalIsNegated
            && Set(a.principals.map(key)) == Set(b.principals.map(key)) && Set(a.conditions) == Set(b.conditions)
    }
}

extension PolicyAccess.Values {
    init(patterns: [String], isNegated: Bool = false) {
        self.patterns = patterns
        self.isNegated = isNegated
    }

    /// The patterns a NotAction/NotResource excludes, as a plain set.
    var negatedComplement: PolicyAccess.Values { .init(patterns: patterns) }
}

/// One `reasons` entry (§4.1): the sid form when the statement has a `Sid`.
struct CheckReason: Sendable, Equatable {
    var description: String
    var statementIndex: Int
    var statementId: String?

    /// `"{prefix} index: N."` or `"{prefix} sid: S."` (§4.2).
    init(_ prefix: String, _ statement: PolicyStatement) {
        if let sid = statement.sid, !sid.isEmpty {
            description = "\(prefix) sid: \(sid)."
            statementId = sid
        } else {
            description = "\(prefix) index: \(statement.index)."
        }
        statementIndex = statement.index
    }
}

/// The three checks' common response (§1.3, §4.1).
public struct CheckResult: Sendable, Equatable {
    public var passed: Bool
    public var message: String
    var reasons: [CheckReason]

    /// `{"result","message","reasons"?}`: a PASS has no `reasons` key in any
    /// real example (§4.1). Reason members in the SDK examples' order.
    func encode() -> [UInt8] {
        var w = JSONWriter(capacity: 256 + reasons.count * 96)
        w.objectStart()
        w.key("result")
        w.value(passed ? "PASS" : "FAIL")
        w.key("message")
        w.value(message)
        if !passed {
            w.key("reasons")
            w.arrayStart()
            for reason in reasons {
                w.objectStart()
                w.key("description")
                w.value(reason.description)
                if let sid = reason.statementId {
                    w.key("statementId")
                    w.value(sid)
                }
                w.key("statementIndex")
                w.value(reason.statementIndex)
                w.objectEnd()
            }
            w.arrayEnd()
        }
        w.objectEnd()
        return w.bytes
    }
}
