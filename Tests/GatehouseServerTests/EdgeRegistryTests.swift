import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `/v2`: the registry behind its token, and the signed layer downloads beside it.
@Suite("Edge: registry and layer downloads")
struct EdgeRegistryTests {
    @Test("/v2/ without a token is the Basic challenge docker login answers; with one, the API's version check")
    func ping() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            for path in ["/v2/", "/v2"] {
                let challenge = try await client.execute(uri: path, method: .get)
                #expect(challenge.status == .unauthorized, "\(path)")
                #expect(challenge.header("WWW-Authenticate") == #"Basic realm="http://127.0.0.1:4566/",service="ecr.amazonaws.com""#)
                #expect(challenge.header("Content-Type") == "text/plain; charset=utf-8")
                #expect(challenge.header("Docker-Distribution-Api-Version") == "registry/2.0")
                #expect(challenge.text == "Not Authorized\n")
            }
            let head = try await client.execute(uri: "/v2/", method: .head)
            #expect(head.status == .unauthorized)
            #expect(head.text.isEmpty, "a HEAD answer has no body")

            let login = try await edge.registryLogin()
            let pong = try await client.execute(uri: "/v2/", method: .get, headers: login)
            #expect(pong.status == .ok)
            #expect(pong.text == "{}")
            #expect(pong.header("Docker-Distribution-Api-Version") == "registry/2.0")
        }
    }

    @Test("registry errors are the registry's JSON; a path outside its grammar is answered before credentials are asked for")
    func registryErrors() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let invalid = try await client.execute(uri: "/v2/just-a-name", method: .get)
            #expect(invalid.status == .notFound)
            #expect(invalid.header("Content-Type") == "application/json; charset=utf-8")
            #expect(invalid.header("Docker-Distribution-Api-Version") == "registry/2.0")
            #expect(invalid.text == #"{"errors":[{"code":"NAME_INVALID","message":"Invalid repository name or path"}]}"# + "\n")

            let login = try await edge.registryLogin()
            let unknown = try await client.execute(uri: "/v2/missing/manifests/latest", method: .get, headers: login)
            #expect(unknown.status == .notFound)
            #expect(unknown.text == #"{"errors":[{"code":"NAME_UNKNOWN","message":"The repository with name 'missing' does not exist in the registry with id '000000000000'"}]}"# + "\n")

            let forged = try await client.execute(
                uri: "/v2/missing/manifests/latest", method: .get, headers: [.authorization: "Basic QVdTOm5vdC1hLXRva2Vu"])
            #expect(forged.status == .unauthorized)
        }
    }

    @Test("a layer pushed through /v2 downloads from the URL GetDownloadUrlForLayer hands out, until it expires")
    func layerDownload() async throws {
        let edge = try EdgeHarness()
        _ = try await edge.world.ecr("CreateRepository", #"{"repositoryName":"app"}"#)
        let layer = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let digest = EdgeHarness.sha256(layer)
        try await edge.test { client in
            let login = try await edge.registryLogin()
            let push = try await client.execute(
                uri: "/v2/app/blobs/uploads/?digest=\(digest)", method: .post, headers: login, body: ByteBuffer(bytes: layer))
            #expect(push.status == .created, "\(push.text)")
            #expect(push.header("Location") == "/v2/app/blobs/\(digest)")

            let answer = try await edge.world.ecr(
                "GetDownloadUrlForLayer", #"{"repositoryName":"app","layerDigest":"\#(digest)"}"#)
            let url = try #require(answer.body.split(separator: "\"").first { $0.hasPrefix("http://") }.map(String.init), "\(answer)")
            let prefix = "http://127.0.0.1:4566/v2/_layers/\(digest)?expires="
            #expect(url.hasPrefix(prefix), "\(url)")
            let uri = String(url.dropFirst("http://127.0.0.1:4566".count))

            // No credentials: the signature is the permission.
            let download = try await client.execute(uri: uri, method: .get)
            #expect(download.status == .ok)
            #expect(download.header("Content-Type") == "application/octet-stream")
            #expect(Array(download.body.readableBytesView) == layer)

            let denied = #"<Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match</Message></Error>"#
            let tampered = try await client.execute(uri: String(uri.dropLast()) + (uri.hasSuffix("0") ? "1" : "0"), method: .get)
            #expect(tampered.status == .forbidden)
            #expect(tampered.header("Content-Type") == "application/xml")
            #expect(tampered.text == denied)
            let put = try await client.execute(uri: uri, method: .put, body: ByteBuffer(string: "x"))
            #expect(put.status == .forbidden, "the URL is for GET only")

            edge.world.clock.advance(seconds: 3601)
            let expired = try await client.execute(uri: uri, method: .get)
            #expect(expired.status == .forbidden)
            #expect(expired.text == denied)

            // Where downloads used to be served is now an admin path like any other.
            let old = try await client.execute(uri: "/_gatehouse/blobs/\(digest)" + uri.drop { $0 != "?" }, method: .get)
            #expect(old.status == .forbidden)
            #expect(old.text.hasPrefix(#"{"error":"#))
        }
    }
}
