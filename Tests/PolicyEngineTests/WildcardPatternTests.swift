@testable import PolicyEngine
import Testing

/// The wildcard grammar shared by Action, Resource, StringLike and ArnLike.
@Suite("Wildcard patterns")
struct WildcardPatternTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let pattern: String
        let text: String
        let matches: Bool
        var foldsCase = false
        var testDescription: String { "\(pattern) \(matches ? "matches" : "does not match") \(text)" }
    }

    static let cases: [Case] = [
        Case(pattern: "*", text: "", matches: true),
        Case(pattern: "*", text: "anything at all", matches: true),
        Case(pattern: "abc", text: "abc", matches: true),
        Case(pattern: "abc", text: "abcd", matches: false),
        Case(pattern: "ab*", text: "ab", matches: true),
        Case(pattern: "ab*", text: "a", matches: false),
        Case(pattern: "*log*", text: "arn:aws:s3:::carlossalazar-logs", matches: true),
        Case(pattern: "a*b*c", text: "aXXbYYbZZc", matches: true),
        Case(pattern: "a*b*c", text: "aXXbYYbZZ", matches: false),
        Case(pattern: "a?c", text: "abc", matches: true),
        Case(pattern: "a?c", text: "ac", matches: false),
        Case(pattern: "a?c", text: "aéc", matches: true),
        Case(pattern: "**x", text: "yyx", matches: true),
        Case(pattern: "s3:Get*", text: "S3:GETOBJECT", matches: true, foldsCase: true),
        Case(pattern: "s3:Get*", text: "S3:GETOBJECT", matches: false),
        Case(pattern: "iam:*Report", text: "iam:GetCredentialReport", matches: true, foldsCase: true),
    ]

    @Test("Patterns", arguments: cases)
    func patterns(_ testCase: Case) {
        #expect(WildcardPattern(testCase.pattern, foldsCase: testCase.foldsCase).matches(testCase.text) == testCase.matches)
    }

    @Test("A literal pattern treats * and ? as characters")
    func literalPattern() {
        #expect(WildcardPattern(literal: "a*", foldsCase: false).matches("a*"))
        #expect(!WildcardPattern(literal: "a*", foldsCase: false).matches("ab"))
    }
}
