import JSON
import ServiceKit
import Testing

@Suite("Decision log")
struct DecisionLogTests {
    static func entry(_ n: Int, outcome: String = "allowed") -> DecisionLog.Entry {
        DecisionLog.Entry(
            time: Double(n), requestId: "r\(n)", principal: "arn:aws:iam::000000000000:user/u\(n % 2)", action: "iam:GetRole",
            resource: "arn:aws:iam::000000000000:role/r", outcome: outcome, enforced: outcome != "allowed",
            reason: outcome == "allowed" ? nil : "because no identity-based policy allows the iam:GetRole action",
            statements: outcome == "allowed" ? ["p#s"] : [])
    }

    @Test("a full log keeps the last entries, oldest first, numbered in order")
    func ring() {
        let log = DecisionLog(capacity: 3)
        for n in 1...7 { log.record(Self.entry(n)) }
        #expect(log.recent(limit: 10).map(\.requestId) == ["r5", "r6", "r7"])
        #expect(log.recent(limit: 10).map(\.sequence) == [5, 6, 7])
        #expect(log.recent(limit: 2).map(\.requestId) == ["r6", "r7"])
    }

    @Test("after= pages forward from a sequence number; filters apply")
    func following() {
        let log = DecisionLog(capacity: 10)
        for n in 1...6 { log.record(Self.entry(n, outcome: n % 3 == 0 ? "implicitDeny" : "allowed")) }
        #expect(log.recent(limit: 2, after: 2).map(\.sequence) == [3, 4])
        #expect(log.recent(limit: 10, deniedOnly: true).map(\.requestId) == ["r3", "r6"])
        #expect(log.recent(limit: 10, principal: "arn:aws:iam::000000000000:user/u1").map(\.requestId) == ["r1", "r3", "r5"])
    }

    @Test("an entry reads back what it writes")
    func roundTrip() throws {
        let log = DecisionLog()
        log.record(Self.entry(1, outcome: "explicitDeny"))
        let written = try #require(log.recent(limit: 1).first)
        let read = try #require(DecisionLog.Entry(json: try JSONParser.parse(written.json)))
        #expect(read.json == written.json)
        #expect(read.sequence == 1 && read.enforced && read.reason == written.reason)
        #expect(DecisionLog.Entry(json: try JSONParser.parse("[1]")) == nil)
    }
}
