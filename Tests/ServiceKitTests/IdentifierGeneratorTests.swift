import Foundation
import ServiceKit
import Testing

@Suite("Identifiers")
struct IdentifierGeneratorTests {
    @Test("request ids are version-4 UUIDs, lower-case, all different")
    func uuids() {
        let ids = SecureIdentifierGenerator()
        var seen = Set<String>()
        // More than one page of random bytes, so refills are crossed.
        for _ in 0..<1000 {
            let id = ids.uuid()
            #expect(id.count == 36 && id == id.lowercased(), "\(id)")
            #expect(UUID(uuidString: id) != nil, "\(id)")
            let version = id[id.index(id.startIndex, offsetBy: 14)]
            let variant = id[id.index(id.startIndex, offsetBy: 19)]
            #expect(version == "4" && "89ab".contains(variant), "\(id)")
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }

    @Test("ids carry their prefixes and lengths")
    func shapes() {
        let ids = SecureIdentifierGenerator()
        #expect(ids.uniqueId(.role).hasPrefix("AROA") && ids.uniqueId(.role).count == 21)
        #expect(ids.accessKeyId(.accessKey).count == 20)
        #expect(ids.secretAccessKey().count == 40)
    }
}
