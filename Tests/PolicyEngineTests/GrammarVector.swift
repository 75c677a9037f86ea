import PolicyEngine
import Testing

/// A document IAM refuses and the `MalformedPolicyDocument` text it returns.
struct GrammarVector: Sendable, CustomTestStringConvertible {
    let name: String
    let document: String
    var kind: PolicyKind = .identity
    var managed = false
    let message: String

    var testDescription: String { name }

    func error() -> PolicyGrammarError? {
        do {
            _ = try PolicyDocument.parse(document, kind: kind, requiresCurrentVersion: managed)
            return nil
        } catch {
            return error
        }
    }
}
