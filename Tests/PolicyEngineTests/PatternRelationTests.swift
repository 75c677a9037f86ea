import PolicyEngine
import Testing

/// Set relations between wildcard patterns, as Access Analyzer's custom
/// checks use them (docs/research/access-analyzer.md §4).
@Suite struct PatternRelationTests {
    @Test("overlaps: some string matches both patterns", arguments: [
        ("s3:Get*", "s3:GetObj*", true), ("s3:Get*", "s3:*Acl", true), ("s3:Get*", "s3:Put*", false),
        ("*", "anything", true), ("a?c", "ab*", true), ("a?c", "abcd", false), ("*x*", "*y*", true),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::other/*", false), ("", "*", true), ("", "?", false),
    ])
    func overlaps(_ a: String, _ b: String, _ expected: Bool) {
        #expect(PatternRelation.overlaps(a, b, foldsCase: false) == expected)
        #expect(PatternRelation.overlaps(b, a, foldsCase: false) == expected)
    }

    @Test("covers: every string the inner pattern matches, the outer matches", arguments: [
        ("s3:Get*", "s3:GetObj*", true), ("s3:GetObj*", "s3:Get*", false), ("*", "s3:*", true), ("s3:*Object", "s3:Get*", false),
        ("a?c", "abc", true), ("abc", "a?c", false), ("a*", "a?", true), ("a?", "a*", false), ("x", "x", true),
    ])
    func covers(_ outer: String, _ inner: String, _ expected: Bool) {
        #expect(PatternRelation.covers(outer, inner, foldsCase: false) == expected)
    }

    @Test("case folding is ASCII and optional, as in evaluation")
    func folding() {
        #expect(PatternRelation.covers("S3:get*", "s3:GetObject", foldsCase: true))
        #expect(!PatternRelation.covers("S3:get*", "s3:GetObject", foldsCase: false))
        #expect(PatternRelation.overlaps("S3:GET*", "s3:*object", foldsCase: true))
        #expect(PatternRelation.matches("s3:Get*", "S3:GETOBJECT", foldsCase: true))
    }
}
