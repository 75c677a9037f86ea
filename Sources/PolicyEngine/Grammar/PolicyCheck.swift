/// A policy document's text checked as IAM checks it: parsed with the
/// engine's grammar (IAM's `MalformedPolicyDocument` message and where it
/// applies). What `gatehouse policy validate` prints and what the console's
/// JSON editor shows before "Next" (Access Analyzer's findings, beside it,
/// are PolicyValidation's).
public struct PolicyCheck: Sendable {
    /// A problem at a place in the text: 1-based line and column.
    public struct Finding: Error, Sendable, Equatable {
        public let line: Int
        public let column: Int
        /// IAM's message word for word.
        public let message: String
        /// The grammar error's code.
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
}
