import JSON

/// One statement of a validated policy document, as written.
public struct PolicyStatement: Sendable, Hashable {
    public enum Effect: String, Sendable, Hashable {
        case allow = "Allow"
        case deny = "Deny"
    }

    /// The values of `Action`/`NotAction` or `Resource`/`NotResource`.
    public struct ElementList: Sendable, Hashable {
        public let values: [String]
        /// True for `NotAction`/`NotResource`.
        public let isNegated: Bool
    }

    /// Zero-based position in the `Statement` array.
    public let index: Int
    public let sid: String?
    public let effect: Effect
    public let actions: ElementList
    /// Nil when the statement has neither element (trust policies, and
    /// resource-based policies that apply to the resource they are attached to).
    public let resources: ElementList?
    public let principals: [PrincipalReference]
    /// Whether the principals come from `NotPrincipal`.
    public let principalIsNegated: Bool
    public let conditions: [ConditionClause]
    /// The statement's `{`…`}` in the source; nil for documents built in code.
    public let span: JSONSpan?

    /// The statement's start as IAM's policy simulator reports it in
    /// `MatchedStatements` (StartPosition). The simulator counts one column
    /// past the `{`: for the AWS CLI example whose statement `{` is the 37th
    /// character of line 1, it reports Column 38 (aws-cli
    /// `examples/iam/simulate-custom-policy.rst`).
    public var simulatorStartPosition: JSONPosition? {
        span.map { JSONPosition(line: $0.start.line, column: $0.start.column + 1, offset: $0.start.offset) }
    }

    /// The statement's end as the simulator reports it (EndPosition): one
    /// column past the closing `}` (Column 167 for a `}` in column 166 in the
    /// same example).
    public var simulatorEndPosition: JSONPosition? {
        span.map { JSONPosition(line: $0.end.line, column: $0.end.column + 1, offset: $0.end.offset) }
    }
}
