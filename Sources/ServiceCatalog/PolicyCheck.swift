import PolicyEngine

/// A policy document's text checked as IAM checks it: parsed with the
/// engine's grammar (IAM's `MalformedPolicyDocument` message and where it
/// applies), and its actions looked up in the Service Authorization
/// Reference. What `gatehouse policy validate` prints and what the console's
/// JSON editor shows before "Next".
public struct PolicyCheck: Sendable {
    /// A problem at a place in the text: 1-based line and column.
    public struct Finding: Error, Sendable, Equatable {
        public let line: Int
        public let column: Int
        /// IAM's message word for word, or Access Analyzer's for a warning.
        public let message: String
        /// The grammar error's code, or Access Analyzer's issue code for a warning.
        public let code: String?
    }

    public let text: String
    public let document: PolicyDocument

    /// - Parameter requiresCurrentVersion: CreatePolicy's rule that a managed
    ///   policy says `"Version": "2012-10-17"`.
    public init(text: String, kind: PolicyKind, requiresCurrentVersion: Bool) throws(Finding) {
        self.text = text
        do {
            document = try PolicyDocument.parse(text, kind: kind, requiresCurrentVersion: requiresCurrentVersion)
        } catch {
            throw Finding(
                line: error.position?.line ?? 1, column: error.position?.column ?? 1, message: error.message,
                code: error.code.description)
        }
    }

    /// Actions no service of the catalog defines, each where it first appears.
    ///
    /// Worded as IAM Access Analyzer's policy validation words these findings
    /// (IAM User Guide, "IAM policy validation check reference": INVALID_SERVICE_IN_ACTION
    /// and INVALID_ACTION; the texts are recalled from that page, not captured).
    public func unknownActions(in catalog: ServiceCatalog) -> [Finding] {
        var warnings: [Finding] = []
        var seen: Set<String> = []
        for statement in document.statements {
            for action in statement.actions.values where seen.insert(action.lowercased()).inserted {
                let (line, column) = position(of: "\"" + action + "\"")
                switch catalog.check(action: action) {
                case .known:
                    continue
                case .unknownService(let service):
                    warnings.append(Finding(
                        line: line, column: column, message: "The service \(service) specified in the action does not exist.",
                        code: "INVALID_SERVICE_IN_ACTION"))
                case .unknownAction:
                    warnings.append(Finding(
                        line: line, column: column, message: "The action \(action) does not exist.", code: "INVALID_ACTION"))
                }
            }
        }
        return warnings
    }

    /// 1-based line and column of the first occurrence of `needle`, or the start.
    private func position(of needle: String) -> (Int, Int) {
        guard let range = text.firstRange(of: needle) else { return (1, 1) }
        let before = text[..<range.lowerBound]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let column = before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex) + 1
        return (line, column + 1)
    }
}
