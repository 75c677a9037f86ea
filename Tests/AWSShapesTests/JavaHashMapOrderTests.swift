import AWSShapes
import Testing

@Suite("Java HashMap iteration order")
struct JavaHashMapOrderTests {
    @Test("String.hashCode is Java's: 31-based over UTF-16 units, wrapping at 32 bits")
    func stringHashCode() {
        // Values printed by `"…".hashCode()` on a JVM.
        #expect(JavaHashMapOrder.stringHashCode("") == 0)
        #expect(JavaHashMapOrder.stringHashCode("a") == 97)
        #expect(JavaHashMapOrder.stringHashCode("hello") == 99_162_322)
        #expect(JavaHashMapOrder.stringHashCode("IMMUTABLE_WITH_EXCLUSION") == -1_363_294_734)
        #expect(JavaHashMapOrder.stringHashCode("é") == 233)
    }

    @Test("ECR's enum order for imageTagMutability, with and without the exclusion values (research §11)")
    func ecrEnumOrder() {
        #expect(JavaHashMapOrder.iterationOrder(["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"])
            == ["IMMUTABLE", "MUTABLE", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION"])
        #expect(JavaHashMapOrder.iterationOrder(["MUTABLE", "IMMUTABLE"]) == ["IMMUTABLE", "MUTABLE"])
    }

    @Test("IAM's recorded multi-error member orders (research §9); violations of one member stay together")
    func iamMemberOrder() {
        let violations = [
            ("minimumPasswordLength", 1), ("maxPasswordAge", 2), ("passwordReusePrevention", 3), ("minimumPasswordLength", 4),
        ]
        #expect(JavaHashMapOrder.iterationOrder(violations, key: \.0).map(\.1) == [1, 4, 3, 2])
        #expect(JavaHashMapOrder.iterationOrder(["url", "clientIDList", "thumbprintList"]) == ["clientIDList", "thumbprintList", "url"])
    }

    @Test("keys in one bucket keep insertion order; the table grows past 12 keys and re-buckets")
    func collisionsAndGrowth() {
        // "Aa" and "BB" have the same hashCode (2112): first put, first out.
        #expect(JavaHashMapOrder.iterationOrder(["BB", "Aa"]) == ["BB", "Aa"])
        #expect(JavaHashMapOrder.iterationOrder(["Aa", "BB"]) == ["Aa", "BB"])
        #expect(JavaHashMapOrder.tableSize(forCount: 12) == 16)
        #expect(JavaHashMapOrder.tableSize(forCount: 13) == 32)
        #expect(JavaHashMapOrder.tableSize(forCount: 25) == 64)
        // "i" … "u" are 105 … 117: in 16 buckets "p" … "u" (0 … 5) would come before "i" … "o" (9 … 15);
        // 13 keys need 32 buckets (9 … 21), which list them alphabetically.
        let letters = (0..<13).map { String(UnicodeScalar(UInt8(105 + $0))) }
        #expect(JavaHashMapOrder.iterationOrder(letters.reversed()) == letters)
        #expect(JavaHashMapOrder.iterationOrder(["i", "p"]) == ["p", "i"])
        // "a" (97) and "q" (113) share bucket 1 of 16: insertion order decides.
        #expect(JavaHashMapOrder.iterationOrder(["q", "a", "b"]) == ["q", "a", "b"])
        #expect(JavaHashMapOrder.iterationOrder(["b", "a", "q"]) == ["a", "q", "b"])
    }
}
