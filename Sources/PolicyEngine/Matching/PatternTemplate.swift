/// A policy string that may contain policy variables, compiled once.
///
/// Variables exist only in documents whose `Version` is 2012-10-17; in older
/// documents `${aws:username}` is literal text (IAM User Guide, "Variables and
/// tags"). Substituted values are always literal: a `*` inside a user name is
/// not a wildcard. `${*}`, `${?}` and `${$}` stand for the literal characters.
struct PatternTemplate: Sendable, Hashable {
    private enum Part: Sendable, Hashable {
        case units([WildcardPattern.Unit])
        case variable(PolicyVariable)
    }

    private let parts: [Part]
    /// The compiled pattern when there is nothing to substitute.
    private let fixed: WildcardPattern?
    private let foldsCase: Bool

    /// - Parameters:
    ///   - wildcards: whether `*` and `?` are wildcards (StringLike, ArnLike,
    ///     Resource) or literal characters (StringEquals).
    ///   - variables: whether `${…}` is substituted (Version 2012-10-17).
    init(_ text: String, wildcards: Bool, variables: Bool, foldsCase: Bool) {
        self.foldsCase = foldsCase
        let literal: (Substring) -> [WildcardPattern.Unit] = { piece in
            wildcards ? WildcardPattern.units(ofPattern: String(piece)) : WildcardPattern.units(ofLiteral: String(piece))
        }
        guard variables, text.contains("${") else {
            parts = [.units(literal(text[...]))]
            fixed = WildcardPattern(units: literal(text[...]), foldsCase: foldsCase)
            return
        }
        var parts: [Part] = []
        var pending: [WildcardPattern.Unit] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "${") {
            pending += literal(rest[..<open.lowerBound])
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let body = afterOpen[..<close]
            rest = afterOpen[afterOpen.index(after: close)...]
            switch body {
            case "*", "?", "$":
                pending += WildcardPattern.units(ofLiteral: String(body))
            default:
                if let variable = Self.variable(in: body) {
                    if !pending.isEmpty { parts.append(.units(pending)) }
                    pending = []
                    parts.append(.variable(variable))
                } else {
                    pending += literal(text[open.lowerBound..<afterOpen.index(after: close)])
                }
            }
        }
        pending += literal(rest)
        if !pending.isEmpty { parts.append(.units(pending)) }
        self.parts = parts
        if parts.allSatisfy({ if case .units = $0 { true } else { false } }) {
            var units: [WildcardPattern.Unit] = []
            for case .units(let u) in parts { units += u }
            fixed = WildcardPattern(units: units, foldsCase: foldsCase)
        } else {
            fixed = nil
        }
    }

    /// Parses `key` or `key, 'default'`.
    private static func variable(in body: Substring) -> PolicyVariable? {
        let trimmed = { (s: Substring) in s.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed() }
        guard let comma = body.firstIndex(of: ",") else {
            let key = String(trimmed(body))
            return key.isEmpty ? nil : PolicyVariable(key: key, defaultValue: nil)
        }
        let key = String(trimmed(body[..<comma]))
        guard !key.isEmpty else { return nil }
        var fallback = String(trimmed(body[body.index(after: comma)...]))
        if fallback.count >= 2, fallback.hasPrefix("'"), fallback.hasSuffix("'") {
            fallback = String(fallback.dropFirst().dropLast())
        }
        return PolicyVariable(key: key, defaultValue: fallback)
    }

    var variables: [PolicyVariable] {
        parts.compactMap { if case .variable(let v) = $0 { v } else { nil } }
    }

    var hasVariables: Bool { fixed == nil }

    /// The pattern with variables substituted; nil when one cannot be resolved.
    func pattern(in context: RequestContext) -> WildcardPattern? {
        if let fixed { return fixed }
        var units: [WildcardPattern.Unit] = []
        for part in parts {
            switch part {
            case .units(let u):
                units += u
            case .variable(let variable):
                guard let value = variable.resolve(in: context) else { return nil }
                units += WildcardPattern.units(ofLiteral: value)
            }
        }
        return WildcardPattern(units: units, foldsCase: foldsCase)
    }

    @inline(__always)
    func matches(_ text: UnsafeBufferPointer<UInt8>, in context: RequestContext) -> Bool {
        if let fixed { return fixed.matches(text) }
        return pattern(in: context)?.matches(text) ?? false
    }

    /// True for a bare `*`, which needs no matching at all.
    var matchesEverything: Bool { fixed?.matchesEverything ?? false }
}
