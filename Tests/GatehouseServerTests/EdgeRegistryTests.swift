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

    @Test("/v2 as ECR answers issue 18's cases: no mediaType is UNSUPPORTED, archived images are 404, pushes replicate, the registry policy grants")
    func issue18Registry() async throws {
        let edge = try EdgeHarness()
        let world = edge.world
        try world.addAccount("111111111111", rootKey: "other")
        _ = try await world.ecr("CreateRepository", #"{"repositoryName":"app"}"#)
        let replication = #"{"replicationConfiguration":{"rules":[{"destinations":[{"region":"us-west-2","registryId":"000000000000"}]}]}}"#
        #expect(try await world.ecr("PutReplicationConfiguration", replication).status == 200)
        let layer = Array("issue 18 layer".utf8), config = Array(#"{"architecture":"amd64","os":"linux"}"#.utf8)
        let (layerDigest, configDigest) = (EdgeHarness.sha256(layer), EdgeHarness.sha256(config))
        let bare = #"{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","size":\#(config.count)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(layerDigest)","size":\#(layer.count)}]}"#
        let typed = bare.replacingOccurrences(of: #"{"schemaVersion":2,"#, with: #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","#)
        let manifestType: HTTPFields = [.contentType: "application/vnd.oci.image.manifest.v1+json"]
        try await edge.test { client in
            var login = try await edge.registryLogin()
            for blob in [layer, config] {
                let pushed = try await client.execute(
                    uri: "/v2/app/blobs/uploads/?digest=\(EdgeHarness.sha256(blob))", method: .post, headers: login, body: ByteBuffer(bytes: blob))
                #expect(pushed.status == .created, "\(pushed.text)")
            }
            login.append(contentsOf: manifestType)
            let refused = try await client.execute(uri: "/v2/app/manifests/v1", method: .put, headers: login, body: ByteBuffer(string: bare))
            #expect(refused.status == .methodNotAllowed)
            #expect(refused.text == #"{"errors":[{"code":"UNSUPPORTED","message":"Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'"}]}"# + "\n")
            let put = try await client.execute(uri: "/v2/app/manifests/v1", method: .put, headers: login, body: ByteBuffer(string: typed))
            #expect(put.status == .created, "\(put.text)")

            // Replicated by the push: us-west-2 has the image.
            let west = try await world.ecr("ListImages", #"{"repositoryName":"app"}"#, region: "us-west-2")
            #expect(west.body.contains(#""imageTag":"v1""#), "\(west)")

            // Another account's root pulls only once the registry policy grants it.
            let token = try await world.ecr("GetAuthorizationToken", #"{"registryIds":["000000000000"]}"#, as: "other")
            let password = try #require(token.body.split(separator: "\"").first { $0.hasPrefix("QVdTO") }.map(String.init), "\(token)")
            let other: HTTPFields = [.authorization: "Basic \(password)"]
            #expect(try await client.execute(uri: "/v2/app/manifests/v1", method: .get, headers: other).status == .forbidden)
            let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"ecr:BatchGetImage","Resource":"*"}]}"#
            let escaped = policy.replacingOccurrences(of: "\"", with: "\\\"")
            #expect(try await world.ecr("PutRegistryPolicy", #"{"policyText":"\#(escaped)"}"#).status == 200)
            #expect(try await client.execute(uri: "/v2/app/manifests/v1", method: .get, headers: other).status == .ok)

            // Archived: neither the manifest nor the layer only it holds is served.
            let archive = #"{"repositoryName":"app","imageId":{"imageTag":"v1"},"targetStorageClass":"ARCHIVE"}"#
            #expect(try await world.ecr("UpdateImageStorageClass", archive).status == 200)
            let manifest = try await client.execute(uri: "/v2/app/manifests/v1", method: .get, headers: login)
            #expect(manifest.status == .notFound)
            #expect(manifest.text == #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"Requested image not found"}]}"# + "\n")
            #expect(try await client.execute(uri: "/v2/app/blobs/\(layerDigest)", method: .get, headers: login).status == .notFound)
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
