import Foundation
import Hashing
#if canImport(Glibc)
import Glibc
#endif
import JSON
import Testing

/// Blob uploads through the registry (/v2/) raced the way an attacker would,
/// against the built binary: curl for ordinary requests, a raw socket for a
/// PATCH whose body arrives in two halves.
@Suite("Registry uploads, end to end")
struct RegistryUploadEndToEndTests {
    /// Two accounts, so that one can push a layer the other later pulls.
    static func twoAccounts() throws -> GatehouseProcess {
        let seed = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).json")
        try Data("""
            {"format":"gatehouse-seed/1","defaultRegion":"us-east-1","accounts":[
            {"id":"000000000000","rootAccessKeys":[{"accessKeyId":"test","secretAccessKey":"test"}]},
            {"id":"111111111111","rootAccessKeys":[{"accessKeyId":"victim","secretAccessKey":"victim"}]}]}
            """.utf8).write(to: seed)
        return try GatehouseProcess(arguments: ["--seed", seed.path])
    }

    /// An account's registry as `docker login` would reach it: Basic AWS:password.
    struct Registry {
        let server: GatehouseProcess
        let password: String

        init(_ server: GatehouseProcess, key: String) throws {
            self.server = server
            let created = try server.aws(["ecr", "create-repository", "--repository-name", "app"], accessKey: key, secret: key)
            #expect(created.succeeded, "\(created.stderr)")
            password = try server.aws(["ecr", "get-login-password"], accessKey: key, secret: key).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        var authorization: String { "Basic " + Data("AWS:\(password)".utf8).base64EncodedString() }

        /// (status, headers and body as text).
        func curl(_ method: String, _ path: String, body: [UInt8]? = nil) throws -> (status: Int, body: String) {
            var arguments = ["-D", "-", "-X", method, "-H", "Authorization: \(authorization)"]
            if let body {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("body-\(UUID().uuidString)")
                try Data(body).write(to: file)
                arguments += ["-H", "Content-Type: application/octet-stream", "--data-binary", "@\(file.path)"]
            }
            return try server.curl(arguments + ["\(server.endpoint)\(path)"])
        }

        /// A new upload's id, from the Location the POST answers with.
        func startUpload() throws -> String {
            let started = try curl("POST", "/v2/app/blobs/uploads/")
            #expect(started.status == 202, "\(started.body)")
            let location = started.body.split(separator: "\r\n").first { $0.lowercased().hasPrefix("location:") } ?? ""
            return String(location.split(separator: "/").last ?? "")
        }

        /// A blob's bytes through GET /v2/…/blobs/DIGEST, or the status it was refused with.
        func pull(_ digest: String) throws -> (status: Int, bytes: [UInt8]) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pulled-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: file) }
            let pulled = try server.curl([
                "-o", file.path, "-H", "Authorization: \(authorization)", "\(server.endpoint)/v2/app/blobs/\(digest)",
            ])
            return (pulled.status, (try? Array(Data(contentsOf: file))) ?? [])
        }
    }

    /// An HTTP/1.1 request written by hand, so that its body can stop halfway.
    final class RawRequest {
        let fd: Int32

        init(port: Int, head: String) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard fd >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            send(Array(head.utf8))
        }

        func send(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { buffer in
                var sent = 0
                while sent < buffer.count {
                    let n = Glibc.send(fd, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                    if n <= 0 { return }
                    sent += n
                }
            }
        }

        /// The response's status line and headers.
        func responseHead() -> String {
            var received: [UInt8] = []
            var byte: UInt8 = 0
            while !received.suffix(4).elementsEqual("\r\n\r\n".utf8), recv(fd, &byte, 1, 0) == 1 { received.append(byte) }
            return String(decoding: received, as: UTF8.self)
        }

        deinit { close(fd) }
    }

    static func digest(_ bytes: [UInt8]) -> String { "sha256:" + Hex.encode(SHA256.hash(bytes)) }

    /// Waits (bounded) until the server has written `count` bytes of an upload:
    /// then the PATCH carrying them is being served.
    /// A PATCH of `bytes` that sends its first KiB and stalls, once the server holds that KiB.
    static func stalledPatch(_ server: GatehouseProcess, _ registry: Registry, upload id: String, of bytes: [UInt8]) throws -> RawRequest {
        let patch = try RawRequest(port: server.port, head: """
            PATCH /v2/app/blobs/uploads/\(id) HTTP/1.1\r
            Host: 127.0.0.1:\(server.port)\r
            Authorization: \(registry.authorization)\r
            Content-Type: application/octet-stream\r
            Content-Length: \(bytes.count)\r
            \r

            """)
        patch.send(Array(bytes[..<1_024]))
        try #require(Self.waitForUpload(server, id, toReach: 1_024))
        return patch
    }

    static func waitForUpload(_ server: GatehouseProcess, _ id: String, toReach count: Int) -> Bool {
        let file = server.dataDirectory.appendingPathComponent("uploads/\(id)").path
        for _ in 0..<1_500 {
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            if size >= count { return true }
            usleep(20_000)
        }
        return false
    }

    @Test("a PATCH still streaming when a PUT tries to complete its upload cannot rewrite the committed blob another account pulls")
    func streamingPatchCannotRewriteCommittedBlob() throws {
        let server = try Self.twoAccounts()
        let attacker = try Registry(server, key: "test")
        let victim = try Registry(server, key: "victim")
        let genuine = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let evil = [UInt8](repeating: 0x45, count: genuine.count)
        let digest = Self.digest(genuine)

        // The attacker's PATCH sends the first half of its body, then stalls.
        let id = try attacker.startUpload()
        let patch = try Self.stalledPatch(server, attacker, upload: id, of: evil)

        // Meanwhile the genuine layer is put to the same upload, with its true digest.
        let put = try attacker.curl("PUT", "/v2/app/blobs/uploads/\(id)?digest=\(digest)", body: genuine)
        #expect(put.status == 416, "the upload cannot complete under a streaming PATCH: \(put.body)")
        #expect(put.body.contains("BLOB_UPLOAD_INVALID"), "\(put.body)")

        // The stalled PATCH goes on; then the victim pushes the genuine layer.
        patch.send(Array(evil[1_024...]))
        #expect(patch.responseHead().hasPrefix("HTTP/1.1 202"))
        let pushed = try victim.curl("POST", "/v2/app/blobs/uploads/?digest=\(digest)", body: genuine)
        #expect(pushed.status == 201, "\(pushed.body)")

        // Whoever pulls the digest gets its bytes, or nothing.
        let pulled = try victim.pull(digest)
        #expect(pulled.status == 200)
        #expect(Self.digest(pulled.bytes) == digest, "the victim's layer was rewritten")
        let attackerPull = try attacker.pull(digest)
        #expect(attackerPull.status == 404 || Self.digest(attackerPull.bytes) == digest)
        let url = try server.aws(["ecr", "get-download-url-for-layer", "--repository-name", "app", "--layer-digest", digest], accessKey: "victim", secret: "victim")
        let download = try #require(url.json?["downloadUrl"]?.stringValue, "\(url.stderr)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("download-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try server.curl(["-o", file.path, download]).status == 200)
        #expect(Self.digest(Array(try Data(contentsOf: file))) == digest)
    }

    @Test("a completed upload is closed for good: every later request on it is BLOB_UPLOAD_UNKNOWN, and its blob stays its digest")
    func completedUploadIsClosed() throws {
        let server = try GatehouseProcess()
        let registry = try Registry(server, key: "test")
        let bytes = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let digest = Self.digest(bytes)
        let id = try registry.startUpload()
        #expect(try registry.curl("PATCH", "/v2/app/blobs/uploads/\(id)", body: Array(bytes[..<1_000])).status == 202)
        #expect(try registry.curl("PUT", "/v2/app/blobs/uploads/\(id)?digest=\(digest)", body: Array(bytes[1_000...])).status == 201)

        for (method, body) in [("PATCH", [UInt8](repeating: 0x45, count: 10)), ("PUT", []), ("GET", nil), ("DELETE", nil)] as [(String, [UInt8]?)] {
            let query = method == "PUT" ? "?digest=\(digest)" : ""
            let answer = try registry.curl(method, "/v2/app/blobs/uploads/\(id)\(query)", body: body)
            #expect(answer.status == 404, "\(method): \(answer.body)")
            #expect(answer.body.contains("BLOB_UPLOAD_UNKNOWN"), "\(method): \(answer.body)")
        }
        let pulled = try registry.pull(digest)
        #expect(pulled.status == 200)
        #expect(Self.digest(pulled.bytes) == digest)
    }

    @Test("a second writer on an upload a PATCH is streaming is refused with 416, and the first one's bytes are kept")
    func secondWriterIsRefused() throws {
        let server = try GatehouseProcess()
        let registry = try Registry(server, key: "test")
        let bytes = (0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 5) }
        let id = try registry.startUpload()
        let patch = try Self.stalledPatch(server, registry, upload: id, of: bytes)

        let second = try registry.curl("PATCH", "/v2/app/blobs/uploads/\(id)", body: [UInt8](repeating: 0x45, count: 100))
        #expect(second.status == 416, "\(second.body)")
        #expect(second.body.contains("BLOB_UPLOAD_INVALID"), "\(second.body)")

        patch.send(Array(bytes[1_024...]))
        #expect(patch.responseHead().hasPrefix("HTTP/1.1 202"))
        let put = try registry.curl("PUT", "/v2/app/blobs/uploads/\(id)?digest=\(Self.digest(bytes))")
        #expect(put.status == 201, "\(put.body)")
        let pulled = try registry.pull(Self.digest(bytes))
        #expect(Self.digest(pulled.bytes) == Self.digest(bytes))
    }
}
