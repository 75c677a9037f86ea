import Testing
import Platform
#if canImport(Glibc)
import Glibc
#endif

@Suite struct TextTests {
    @Test func trimmingWhitespaceDropsSpacesTabsAndNewlinesAtBothEnds() {
        #expect(" \t role-name \n".trimmingWhitespace() == "role-name")
        #expect("a b".trimmingWhitespace() == "a b")
        #expect(" \n\t ".trimmingWhitespace() == "")
        #expect("".trimmingWhitespace() == "")
        #expect("\u{00A0}x\u{2003}".trimmingWhitespace() == "x")
        #expect(" x "[...].trimmingWhitespace() == "x")
    }

    @Test func fixedWritesTheGivenDigitsAsPrintfDid() {
        #expect(0.0.fixed(2) == "0.00")
        #expect(1.5.fixed(1) == "1.5")
        #expect((1_234_567.0 / 1_048_576).fixed(2) == "1.18")
        #expect(2.345.fixed(0) == "2")
        #expect(9.999.fixed(2) == "10.00")
        #expect(0.05.fixed(1) == "0.1")
        #expect((-1.25).fixed(1) == "-1.3")
        #expect((-0.001).fixed(2) == "0.00")
        #expect(12_345.678.fixed(0) == "12346")
    }

    @Test func paddingMakesColumns() {
        #expect("7".leftPadded(to: 2, with: "0") == "07")
        #expect("123".leftPadded(to: 2, with: "0") == "123")
        #expect("ab".rightPadded(to: 4) == "ab  ")
        #expect("abcdef".rightPadded(to: 4) == "abcd")
    }
}

@Suite struct CPUAffinityTests {
    @Test func countsTheCPUsTheAffinityListNames() {
        #expect(CPUAffinity.allowedCount(status: "Name:\tgatehouse\nCpus_allowed:\t1\nCpus_allowed_list:\t0\n") == 1)
        #expect(CPUAffinity.allowedCount(status: "Cpus_allowed_list:\t0-3\n") == 4)
        #expect(CPUAffinity.allowedCount(status: "Cpus_allowed_list:\t0,2-3,7\nMems_allowed_list:\t0\n") == 4)
        #expect(CPUAffinity.allowedCount(status: "Name:\tx\n") == nil)
        #expect(CPUAffinity.allowedCount(status: "Cpus_allowed_list:\t3-1\n") == nil)
        #expect(CPUAffinity.allowedCount(status: "Cpus_allowed_list:\t\n") == nil)
    }

    @Test func thisProcessMayRunOnAtLeastOneCPU() {
        #expect((CPUAffinity.allowedCount() ?? 0) >= 1)
    }
}

@Suite struct PlainFileTests {
    @Test func writesAppendsReadsInChunksAndTellsItsSize() throws {
        let path = "/tmp/gatehouse-plainfile-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(path) }
        try PlainFile.creating(path).write("hello ")
        try PlainFile.appending(path).write(Array("world".utf8))
        let file = try PlainFile.reading(path)
        #expect(try file.size() == 11)
        #expect(try file.read(upTo: 4) == Array("hell".utf8))
        #expect(try file.readToEnd() == Array("o world".utf8))
        #expect(try file.read(upTo: 4).isEmpty)
        #expect(throws: PlainFile.Failure.self) { try PlainFile.reading(path + "-missing") }
    }
}
