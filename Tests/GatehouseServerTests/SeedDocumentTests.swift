import Foundation
@testable import GatehouseServer
import Hashing
import ServiceKit
import Testing

@Suite("Seed documents")
struct SeedDocumentTests {
    @Test("the bundled seed's root password hash is the hash of its root password")
    func bundledRootPasswordHashMatchesThePassword() throws {
        let seed = try SeedDocument(defaultSeed: .embedded)
        let signIn = try #require(seed.accounts.first?.rootSignIn)
        let password = try #require(signIn.password)
        let hash = try #require(signIn.passwordHash)
        #expect(PasswordHash.verify(password, against: hash))
        #expect(!PasswordHash.verify(password + "x", against: hash))
    }

    @Test("a seed may give the root password, its hash, or both; a malformed hash is refused")
    func rootPasswordForms() throws {
        func account(_ fields: String) throws -> SeedDocument.Account? {
            let text = #"{"format": "gatehouse-seed/1", "accounts": [{"id": "111111111111""# + fields + "}]}"
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).json")
            try Data(text.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            return try SeedDocument(file: file).accounts.first
        }
        let hash = PasswordHash.make("pw-1")
        #expect(try account(#", "rootEmail": "a@b.c", "rootPassword": "pw-1""#)?.rootSignIn?.passwordHash == nil)
        #expect(try account(#", "rootEmail": "a@b.c", "rootPasswordHash": ""# + hash + #"""#)?.rootSignIn?.passwordHash == hash)
        #expect(throws: SeedDocument.FormatError.self) { try account(#", "rootEmail": "a@b.c", "rootPasswordHash": "md5$1$2""#) }
        #expect(throws: SeedDocument.FormatError.self) { try account(#", "rootEmail": "a@b.c""#) }
        #expect(throws: SeedDocument.FormatError.self) { try account(#", "rootPassword": "pw-1""#) }
    }
}
