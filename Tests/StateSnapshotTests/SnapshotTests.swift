import Foundation
import Hashing
@testable import StateSnapshot
@testable import Storage
import Testing

/// A small world touching IAM and ECR tables, written the way the services
/// write it, to export and import.
private enum World {
    static let account = "111122223333"
    static let other = "444455556666"
    static let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
    static let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
    static let layer = Array("layer bytes".utf8)
    static var layerDigest: String { "sha256:" + Hex.encode(SHA256.hash(layer)) }
    static var manifest: [UInt8] {
        Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(layerDigest)","size":\#(layer.count)},"layers":[]}"#.utf8)
    }
    static var manifestDigest: String { "sha256:" + Hex.encode(SHA256.hash(manifest)) }

    static func populate(_ store: Store, account: String = account, suffix: String = "") throws {
        try store.uploads.put(layer, at: 9)
        let repository = "arn:aws:ecr:us-east-1:\(account):repository/app\(suffix)"
        try store.write { db in
            try db.execute(sql: "INSERT INTO account (id, alias, createdAt) VALUES (?, ?, 1)", arguments: [account, "alias\(suffix)"])
            try db.execute(sql: "INSERT INTO accessKey (id, secret, accountId, status, createdAt) VALUES (?, 's', ?, 'Active', 1.25)", arguments: ["AKIAROOT\(suffix)", account])
            try db.execute(sql: "INSERT INTO user (id, accountId, name, path, createdAt) VALUES (?, ?, 'alice', '/', 2)", arguments: ["AIDAALICE\(suffix)", account])
            try db.execute(sql: "INSERT INTO accessKey (id, secret, accountId, userId, status, createdAt) VALUES (?, 'x', ?, ?, 'Active', 3)", arguments: ["AKIAALICE\(suffix)", account, "AIDAALICE\(suffix)"])
            try db.execute(sql: "INSERT INTO role (id, accountId, name, path, trustPolicy, maxSessionDuration, createdAt) VALUES (?, ?, 'app', '/svc/', ?, 3600, 4.5)", arguments: ["AROAAPP\(suffix)", account, trust])
            try db.execute(sql: "INSERT INTO tag (resourceId, key, value) VALUES (?, 'team', 'core')", arguments: ["AROAAPP\(suffix)"])
            let policyArn = "arn:aws:iam::\(account):policy/read"
            try db.execute(sql: "INSERT INTO managedPolicy (arn, id, accountId, name, path, defaultVersionId, nextVersionNumber, createdAt, updatedAt) VALUES (?, ?, ?, 'read', '/', 'v1', 2, 5, 5)", arguments: [policyArn, "ANPAREAD\(suffix)", account])
            try db.execute(sql: "INSERT INTO policyVersion (policyArn, versionId, document, createdAt) VALUES (?, 'v1', ?, 5)", arguments: [policyArn, policy])
            try db.execute(sql: "INSERT INTO policyAttachment (principalId, principalType, accountId, policyArn, attachedAt) VALUES (?, 'role', ?, ?, 6)", arguments: ["AROAAPP\(suffix)", account, policyArn])
            try db.execute(sql: "INSERT INTO inlinePolicy (principalId, principalType, accountId, name, document) VALUES (?, 'user', ?, 'inline', ?)", arguments: ["AIDAALICE\(suffix)", account, policy])
            try db.execute(sql: "INSERT INTO mfaDevice (serialNumber, accountId, name, path, seed, createdAt) VALUES (?, ?, 'mfa', '/', ?, 7)", arguments: ["arn:aws:iam::\(account):mfa/mfa", account, Data([0, 1, 2, 255])])
            try db.execute(sql: "INSERT INTO repository (arn, accountId, region, name, createdAt, imageTagMutability, mutabilityExclusionFilters, scanOnPush, encryptionType, policy) VALUES (?, ?, 'us-east-1', ?, 8, 'MUTABLE', '[]', 0, 'AES256', ?)", arguments: [repository, account, "app\(suffix)", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"}]}"#])
            try db.execute(sql: "INSERT INTO tag (resourceId, key, value) VALUES (?, 'env', 'dev')", arguments: [repository])
            try db.execute(sql: "INSERT OR IGNORE INTO blob (digest, size, createdAt) VALUES (?, ?, 9)", arguments: [layerDigest, layer.count])
            try db.execute(sql: "INSERT INTO repositoryBlob (repositoryArn, digest, mediaType, addedAt) VALUES (?, ?, NULL, 9)", arguments: [repository, layerDigest])
            try db.execute(sql: "INSERT INTO image (repositoryArn, digest, manifest, mediaType, size, pushedAt) VALUES (?, ?, ?, 'application/vnd.oci.image.manifest.v1+json', 11, 10.125)", arguments: [repository, manifestDigest, Data(manifest)])
            try db.execute(sql: "INSERT INTO imageTag (repositoryArn, tag, digest) VALUES (?, 'v1', ?)", arguments: [repository, manifestDigest])
        }
    }

    static func text(_ snapshot: Snapshot) -> String { String(decoding: snapshot.serialized(), as: UTF8.self) }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-\(UUID().uuidString)")
    }
}

/// Expects `body` to be refused with a SnapshotError whose message contains every one of `parts`.
private func expectRefused(_ parts: String..., sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("accepted; wanted a refusal mentioning \(parts)", sourceLocation: sourceLocation)
    } catch let error as SnapshotError {
        for part in parts {
            #expect(error.description.contains(part), "\(error)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("wanted a SnapshotError, got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("State snapshots")
struct SnapshotTests {
    @Test("export → import → export gives the same bytes")
    func roundTrip() throws {
        let source = try Store()
        try World.populate(source)
        let first = try Snapshot.export(from: source)
        let target = try Store()
        // The blob is already known here, with another date: the snapshot's wins.
        try target.uploads.put(World.layer, at: 99)
        try Snapshot(bytes: first.serialized(), source: "test").apply(to: target)
        let second = try Snapshot.export(from: target)
        #expect(World.text(first) == World.text(second))
        #expect(first.accounts == [World.account])
        // Every kind of value survives: blobs (base64), fractions, nulls left out.
        let text = World.text(first)
        #expect(text.contains(#""seed":"AAEC/w=="#))
        #expect(text.contains(#""pushedAt":10.125"#))
        #expect(!text.contains("null"))
    }

    @Test("--account exports one account; its tags and no one else's")
    func oneAccount() throws {
        let store = try Store()
        try World.populate(store)
        try World.populate(store, account: World.other, suffix: "2")
        let snapshot = try Snapshot.export(from: store, accounts: [World.other])
        let text = World.text(snapshot)
        #expect(snapshot.accounts == [World.other])
        #expect(text.contains("AROAAPP2") && !text.contains("\"AROAAPP\""))
        #expect(text.contains("repository/app2") && !text.contains("repository/app\""))
        #expect(throws: SnapshotError.self) { try Snapshot.export(from: store, accounts: ["999999999999"]) }
        // Naming an account twice exports it once.
        #expect(World.text(try Snapshot.export(from: store, accounts: [World.other, World.other])) == text)
    }

    @Test("import replaces the snapshot's accounts and leaves the others alone")
    func replaces() throws {
        let store = try Store()
        try World.populate(store)
        let snapshot = try Snapshot.export(from: store, accounts: [World.account])
        try World.populate(store, account: World.other, suffix: "2")
        let otherBefore = World.text(try Snapshot.export(from: store, accounts: [World.other]))
        try store.write { db in
            try db.execute(sql: "INSERT INTO user (id, accountId, name, path, createdAt) VALUES ('AIDALATER', ?, 'later', '/', 20)", arguments: [World.account])
            try db.execute(sql: "INSERT INTO tag (resourceId, key, value) VALUES ('AIDALATER', 'k', 'v')")
        }
        try snapshot.apply(to: store)
        #expect(World.text(try Snapshot.export(from: store, accounts: [World.account])) == World.text(snapshot))
        #expect(World.text(try Snapshot.export(from: store, accounts: [World.other])) == otherBefore)
        let strayTags = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tag WHERE resourceId = 'AIDALATER'") }
        #expect(strayTags == 0)
    }

    @Test("a bad snapshot is refused, naming the place, and changes nothing", arguments: [
        (#"\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"#, "", "not a policy IAM accepts"),
        (#""name":"alice""#, #""name":"alice","colour":"red""#, "unknown field \"colour\""),
        (#""maxSessionDuration":3600"#, #""maxSessionDuration":"long""#, "must be an integer"),
        (#""path":"/svc/","#, "", "missing required field \"path\""),
    ])
    func refused(find: String, replace: String, message: String) throws {
        let store = try Store()
        try World.populate(store)
        let before = World.text(try Snapshot.export(from: store))
        #expect(before.contains(find))
        let text = before.replacingOccurrences(of: find, with: replace)
        expectRefused(message, "bad.json: iam.", "(line ") {
            try Snapshot(bytes: Array(text.utf8), source: "bad.json").apply(to: store)
        }
        #expect(World.text(try Snapshot.export(from: store)) == before)
    }

    @Test("a manifest must have the digest the snapshot says")
    func manifestDigest() throws {
        let store = try Store()
        try World.populate(store)
        let text = World.text(try Snapshot.export(from: store))
        let wrong = text.replacingOccurrences(of: World.manifestDigest, with: "sha256:" + String(repeating: "0", count: 64))
        expectRefused("the manifest's digest is \(World.manifestDigest)") {
            try Snapshot(bytes: Array(wrong.utf8), source: "bad.json")
        }
    }

    @Test("a row of an account the snapshot does not hold is refused before anything is written")
    func foreignRow() throws {
        let store = try Store()
        try World.populate(store)
        let text = World.text(try Snapshot.export(from: store))
        let foreign = text.replacingOccurrences(of: #""accountId":"\#(World.account)","name":"alice""#, with: #""accountId":"\#(World.other)","name":"alice""#)
        #expect(foreign != text)
        expectRefused("belongs to account \(World.other)") {
            try Snapshot(bytes: Array(foreign.utf8), source: "s.json")
        }
    }

    @Test("a failure inside the transaction rolls everything back")
    func rollback() throws {
        let store = try Store()
        try World.populate(store)
        let snapshot = try Snapshot.export(from: store, accounts: [World.account])
        try World.populate(store, account: World.other, suffix: "2")
        // The other account now owns an access key id the snapshot also uses.
        try store.write { db in
            try db.execute(sql: "DELETE FROM accessKey WHERE id = 'AKIAROOT'")
            try db.execute(sql: "UPDATE accessKey SET id = 'AKIAROOT' WHERE id = 'AKIAROOT2'")
        }
        let before = World.text(try Snapshot.export(from: store))
        expectRefused("iam.accessKeys[1]: it collides with another row") {
            try snapshot.apply(to: store)
        }
        #expect(World.text(try Snapshot.export(from: store)) == before)
    }

    @Test("blobs must be at hand: in the data directory or the snapshot's OCI layout")
    func blobs() async throws {
        let source = try Store()
        try World.populate(source)
        let snapshot = try Snapshot.export(from: source)
        let target = try Store()
        expectRefused("blob \(World.layerDigest)") {
            try snapshot.apply(to: target)
        }
        #expect(try await target.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") } == 0)

        let directory = World.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await OCILayout(root: directory).write(snapshot, from: source.blobs)
        let (read, layout) = try SnapshotFile.read(directory.path)
        #expect(layout != nil)
        try read.apply(to: target, layout: layout)
        #expect(target.blobs.exists(World.layerDigest))
        #expect(World.text(try Snapshot.export(from: target)) == World.text(snapshot))

        // The layout is one any OCI tool reads: its index names the tagged image.
        let index = try String(contentsOf: directory.appendingPathComponent("index.json"), encoding: .utf8)
        #expect(index.contains(#""org.opencontainers.image.ref.name":"app:v1""#))
        #expect(index.contains(World.manifestDigest))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("oci-layout").path))
        let manifestFile = directory.appendingPathComponent("blobs/sha256/" + World.manifestDigest.dropFirst(7))
        #expect(try Data(contentsOf: manifestFile) == Data(World.manifest))
    }

    @Test("a blob whose size the snapshot misstates is refused, and nothing is written")
    func blobSize() throws {
        let store = try Store()
        try World.populate(store)
        let text = World.text(try Snapshot.export(from: store))
        let size = #""size":\#(World.layer.count),"createdAt":9"#
        #expect(text.contains(size))
        let lying = text.replacingOccurrences(of: size, with: #""size":\#(World.layer.count + 1),"createdAt":9"#)
        let target = try Store()
        try target.uploads.put(World.layer, at: 99)
        expectRefused("holds \(World.layer.count) bytes, not \(World.layer.count + 1)") {
            try Snapshot(bytes: Array(lying.utf8), source: "s.json").apply(to: target)
        }
        #expect(try target.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") } == 0)
    }

    @Test("a layout blob that does not match its digest is refused")
    func corruptLayout() async throws {
        let source = try Store()
        try World.populate(source)
        let snapshot = try Snapshot.export(from: source)
        let directory = World.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await OCILayout(root: directory).write(snapshot) { _, _, target in
            try Data("not the layer".utf8).write(to: target)
        }
        let target = try Store()
        #expect(throws: SnapshotError.self) { try snapshot.apply(to: target, layout: OCILayout(root: directory)) }
        #expect(!target.blobs.exists(World.layerDigest))
    }

    @Test("every table of the schema is in a section or deliberately left out")
    func coverage() throws {
        let tables = try Schema.tableColumns().keys.filter { !$0.hasPrefix("grdb_") }
        let covered = Set(SnapshotSection.all.map(\.table)).union(SnapshotSection.excludedTables)
        #expect(Set(tables).subtracting(covered).isEmpty, "a new table needs a snapshot section, or a reason to be left out")
    }

    @Test("docs/state-format.md describes every section")
    func documented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/state-format.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for section in SnapshotSection.all {
            #expect(text.contains("| `\(section.path)` |"), "docs/state-format.md lacks \(section.path)")
        }
    }

    @Test("the format and its sections are checked")
    func format() throws {
        #expect(throws: SnapshotError.self) { try Snapshot(bytes: Array(#"{"format":"gatehouse-state/2"}"#.utf8), source: "s") }
        #expect(throws: SnapshotError.self) { try Snapshot(bytes: Array(#"{"format":"gatehouse-state/1","iam":{"rolez":[]}}"#.utf8), source: "s") }
        #expect(throws: SnapshotError.self) { try Snapshot(bytes: Array("[]".utf8), source: "s") }
        let empty = try Snapshot(bytes: Array(#"{"format":"gatehouse-state/1","accounts":[]}"#.utf8), source: "s")
        #expect(empty.accounts.isEmpty && empty.rowCount == 0)
    }
}
