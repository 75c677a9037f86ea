import JSON

/// A statement that applied to a request: enough to fill SimulatePolicy's
/// `MatchedStatements` and to name the policy behind an explicit deny.
public struct MatchedStatement: Sendable, Hashable {
    let origin: PolicyOrigin
    let compiled: CompiledStatement

    public var policyID: String { origin.id }
    public var policyType: PolicyType { origin.type }
    public var sourcePolicyType: AttachedPolicy.Source { origin.source }
    public var policyARN: String? { origin.policyARN }
    public var statement: PolicyStatement { compiled.statement }
    public var statementIndex: Int { compiled.statement.index }
    public var sid: String? { compiled.statement.sid }
    public var effect: PolicyStatement.Effect { compiled.statement.effect }
    public var span: JSONSpan? { compiled.statement.span }
    /// SimulatePolicy's StartPosition/EndPosition (see `PolicyStatement`).
    public var startPosition: JSONPosition? { compiled.statement.simulatorStartPosition }
    public var endPosition: JSONPosition? { compiled.statement.simulatorEndPosition }

    public static func == (lhs: MatchedStatement, rhs: MatchedStatement) -> Bool {
        lhs.origin === rhs.origin && lhs.compiled === rhs.compiled
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(origin))
        hasher.combine(ObjectIdentifier(compiled))
    }
}
