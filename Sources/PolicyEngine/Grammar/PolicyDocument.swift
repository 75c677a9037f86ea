import JSON

/// A policy document parsed once, validated against IAM's grammar, and
/// compiled for evaluation.
public struct PolicyDocument: Sendable {
    public let kind: PolicyKind
    /// The declared `Version`; nil when the document has none (read as 2008-10-17).
    public let version: PolicyVersion?
    public let id: String?
    public let statements: [PolicyStatement]
    let compiled: [CompiledStatement]

    init(kind: PolicyKind, version: PolicyVersion?, id: String?, statements: [PolicyStatement], principals: [PrincipalElement?]) {
        self.kind = kind
        self.version = version
        self.id = id
        self.statements = statements
        let variables = version?.supportsPolicyVariables ?? false
        compiled = zip(statements, principals).map { CompiledStatement($0, principal: $1, variables: variables) }
    }

    /// The version evaluation uses.
    public var effectiveVersion: PolicyVersion { version ?? .v2008_10_17 }

    /// Every principal named in `Principal`/`NotPrincipal`, in document order.
    public var principalReferences: [PrincipalReference] {
        statements.flatMap(\.principals)
    }

    /// Condition keys used in `Condition` blocks, first spelling kept,
    /// duplicates (compared without case) removed, in document order.
    public var conditionKeys: [String] {
        var seen: Set<String> = []
        return statements.flatMap(\.conditions).compactMap {
            seen.insert($0.foldedKey).inserted ? $0.key : nil
        }
    }

    /// Every context key the document reads: condition keys and the keys
    /// of policy variables in resources and condition values — what
    /// GetContextKeysForCustomPolicy reports.
    public var contextKeys: [String] {
        var seen: Set<String> = []
        return compiled.flatMap(\.contextKeys).compactMap { seen.insert($0.folded).inserted ? $0.spelling : nil }
    }
}
