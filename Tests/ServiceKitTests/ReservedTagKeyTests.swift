import ServiceKit
import Testing

@Suite("Reserved tag keys")
struct ReservedTagKeyTests {
    @Test("a key beginning with aws: in any letter case is reserved; one that only resembles it is not")
    func reserved() {
        for key in ["aws:", "aws:team", "AWS:Team", "Aws:cost", "aWs:x", "aws:cloudformation:stack-name"] {
            #expect(ReservedTagKey.isReserved(key), "\(key)")
        }
        for key in ["", "aws", "awsteam", "aws_team", "aws-team", "team:aws:", " aws:team", "aw:s", "ａｗｓ:team"] {
            #expect(!ReservedTagKey.isReserved(key), "\(key)")
        }
    }
}
