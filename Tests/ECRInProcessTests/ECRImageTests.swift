import Foundation
import GatehouseTesting
import JSON
import Testing

/// Images: pushed through the layer API and PutImage, listed, described,
/// pulled and deleted, in process.
@Suite("ECR images, in process")
struct ECRImageTests {
    typealias W = ECRWorld

    /// A repository `app` with three images: `untagged`, `double` (tags v1 and v2) and `single` (tag v3).
    static func world() async throws -> (TestWorld, untagged: String, double: String, single: String) {
        let world = try TestWorld()
        try await W.createRepository("app", in: world)
        let pusher = try await W.Pusher(world, repository: "app")
        let untagged = try await pusher.push("untagged")
        let double = try await pusher.push("double", tag: "v1")
        #expect(try await pusher.push("double", tag: "v2") == double)
        let single = try await pusher.push("single", tag: "v3")
        return (world, untagged, double, single)
    }

    /// Every page of `operation` at `maxResults`, following nextToken.
    static func pages(_ world: TestWorld, _ operation: String, _ members: [String: Any], maxResults: Int) async throws -> [TestWorld.Answer] {
        var pages: [TestWorld.Answer] = []
        var token: String?
        repeat {
            var request = members
            request["maxResults"] = maxResults
            if let token { request["nextToken"] = token }
            let page = try await world.ecr(operation, W.body(request))
            #expect(page.status == 200, "\(page)")
            pages.append(page)
            token = page.json?["nextToken"]?.stringValue
        } while token != nil && pages.count < 20
        return pages
    }

    @Test("ListImages lists (digest, tag) pairs by digest then tag, an untagged image once; pages of any size add up to the whole")
    func listImages() async throws {
        let (world, untagged, double, single) = try await Self.world()
        let expected = [(untagged, nil), (double, "v1"), (double, "v2"), (single, "v3")].sorted { ($0.0, $0.1 ?? "") < ($1.0, $1.1 ?? "") }
        let all = try await world.ecr("ListImages", W.body(["repositoryName": "app"]))
        let listed = (all.json?["imageIds"]?.arrayValue ?? []).map { ($0["imageDigest"]?.stringValue ?? "", $0["imageTag"]?.stringValue) }
        #expect(listed.map(\.0) == expected.map(\.0))
        #expect(listed.map(\.1) == expected.map(\.1))
        #expect(all.json?["nextToken"] == nil)

        for size in 1...3 {
            let pages = try await Self.pages(world, "ListImages", ["repositoryName": "app"], maxResults: size)
            let paged = pages.flatMap { $0.json?["imageIds"]?.arrayValue ?? [] }
            #expect(paged == all.json?["imageIds"]?.arrayValue ?? [], "pages of \(size)")
            #expect(pages.count == (expected.count + size - 1) / size)
        }

        let tagged = try await world.ecr("ListImages", W.body(["repositoryName": "app", "filter": ["tagStatus": "TAGGED"]]))
        #expect(tagged.strings("imageIds", "imageTag") == expected.compactMap(\.1))
        let untaggedOnly = try await world.ecr("ListImages", W.body(["repositoryName": "app", "filter": ["tagStatus": "UNTAGGED"]]))
        #expect(untaggedOnly.strings("imageIds", "imageDigest") == [untagged])
        #expect(untaggedOnly.strings("imageIds", "imageTag").isEmpty)
        let taggedPages = try await Self.pages(world, "ListImages", ["repositoryName": "app", "filter": ["tagStatus": "TAGGED"]], maxResults: 1)
        #expect(taggedPages.flatMap { $0.strings("imageIds", "imageTag") } == expected.compactMap(\.1))
    }

    @Test("ListImages continues after its token when the image it names is deleted meanwhile")
    func listImagesAcrossDeletion() async throws {
        let (world, _, _, _) = try await Self.world()
        let all = try await world.ecr("ListImages", W.body(["repositoryName": "app"])).json?["imageIds"]?.arrayValue ?? []
        let first = try await world.ecr("ListImages", W.body(["repositoryName": "app", "maxResults": 2]))
        let token = try #require(first.json?["nextToken"]?.stringValue)
        let last = try #require(first.json?["imageIds"]?.arrayValue?.last)
        let deleted = try await world.ecr("BatchDeleteImage", W.body([
            "repositoryName": "app", "imageIds": [["imageDigest": try #require(last["imageDigest"]?.stringValue)]],
        ]))
        #expect(deleted.json?["failures"] == .array([]), "\(deleted)")
        let rest = try await world.ecr("ListImages", W.body(["repositoryName": "app", "maxResults": 10, "nextToken": token]))
        let expected = all.dropFirst(2).filter { $0["imageDigest"] != last["imageDigest"] }
        #expect(rest.json?["imageIds"]?.arrayValue ?? [] == Array(expected))
    }

    @Test("DescribeImages describes by digest, filters by tag status and image status, and pages")
    func describeImages() async throws {
        let (world, untagged, double, single) = try await Self.world()
        let digests = [untagged, double, single].sorted()
        let all = try await world.ecr("DescribeImages", W.body(["repositoryName": "app"]))
        #expect(all.strings("imageDetails", "imageDigest") == digests)
        let details = all.json?["imageDetails"]?.arrayValue ?? []
        #expect(details.first { $0["imageDigest"]?.stringValue == double }?["imageTags"] == .array([.string("v1"), .string("v2")]))
        #expect(details.first { $0["imageDigest"]?.stringValue == untagged }?["imageTags"] == nil)

        let paged = try await ECRImageTests.pages(world, "DescribeImages", ["repositoryName": "app"], maxResults: 2)
        #expect(paged.flatMap { $0.strings("imageDetails", "imageDigest") } == digests)
        #expect(paged.count == 2)

        let tagged = try await world.ecr("DescribeImages", W.body(["repositoryName": "app", "filter": ["tagStatus": "TAGGED"]]))
        #expect(tagged.strings("imageDetails", "imageDigest") == [double, single].sorted())
        let untaggedOnly = try await world.ecr("DescribeImages", W.body(["repositoryName": "app", "filter": ["tagStatus": "UNTAGGED"]]))
        #expect(untaggedOnly.strings("imageDetails", "imageDigest") == [untagged])

        let archived = try await world.ecr("UpdateImageStorageClass", W.body([
            "repositoryName": "app", "imageId": ["imageTag": "v3"], "targetStorageClass": "ARCHIVE",
        ]))
        #expect(archived.json?["imageStatus"]?.stringValue == "ARCHIVED", "\(archived)")
        let onlyArchived = try await world.ecr("DescribeImages", W.body(["repositoryName": "app", "filter": ["imageStatus": "ARCHIVED"]]))
        #expect(onlyArchived.strings("imageDetails", "imageDigest") == [single])
        let active = try await world.ecr("DescribeImages", W.body(["repositoryName": "app", "filter": ["imageStatus": "ACTIVE"]]))
        #expect(active.strings("imageDetails", "imageDigest") == [untagged, double].sorted())

        let named = try await world.ecr("DescribeImages", W.body(["repositoryName": "app", "imageIds": [["imageTag": "v3"], ["imageTag": "v1"]]]))
        #expect(named.strings("imageDetails", "imageDigest") == [single, double], "named images come in the order named")
        let missing = try await world.ecr("DescribeImages", W.body(["repositoryName": "app", "imageIds": [["imageTag": "v9"]]]))
        #expect(missing.errorCode == "ImageNotFoundException")
        #expect(missing.errorMessage
            == "The image with imageId {imageDigest:'null', imageTag:'v9'} does not exist within the repository with name 'app' in the registry with id '000000000000'")
    }

    @Test("BatchGetImage returns manifests and records the pull time, except for an excluded principal; archived images are inaccessible")
    func batchGetImage() async throws {
        let (world, untagged, _, single) = try await Self.world()
        world.clock.advance(seconds: 60)
        let pull = try await world.ecr("BatchGetImage", W.body(["repositoryName": "app", "imageIds": [["imageDigest": untagged], ["imageTag": "v9"]]]))
        #expect(pull.strings("images", "imageManifest").count == 1, "\(pull)")
        #expect(pull.strings("failures", "failureCode") == ["ImageNotFound"])
        let pulled = try await world.ecr("DescribeImages", W.body(["repositoryName": "app", "imageIds": [["imageDigest": untagged]]]))
        #expect(pulled.json?["imageDetails"]?.arrayValue?.first?["lastRecordedPullTime"] != nil, "\(pulled)")

        let scanner = try await W.user("scanner", in: world)
        try await W.allow("scanner", ["ecr:BatchGetImage"], in: world)
        let excluded = try await world.ecr("RegisterPullTimeUpdateExclusion", W.body(["principalArn": "arn:aws:iam::000000000000:user/scanner"]))
        #expect(excluded.status == 200, "\(excluded)")
        let got = try await world.ecr("BatchGetImage", W.body(["repositoryName": "app", "imageIds": [["imageTag": "v1"]]]), as: scanner)
        #expect(got.strings("images", "imageManifest").count == 1, "\(got)")
        let notRecorded = try await world.ecr("DescribeImages", W.body(["repositoryName": "app", "imageIds": [["imageTag": "v1"]]]))
        #expect(notRecorded.json?["imageDetails"]?.arrayValue?.first?["lastRecordedPullTime"] == nil, "\(notRecorded)")

        #expect(try await world.ecr("UpdateImageStorageClass", W.body([
            "repositoryName": "app", "imageId": ["imageDigest": single], "targetStorageClass": "ARCHIVE",
        ])).status == 200)
        let archived = try await world.ecr("BatchGetImage", W.body(["repositoryName": "app", "imageIds": [["imageTag": "v3"]]]))
        #expect(archived.strings("failures", "failureCode") == ["ImageInaccessible"])
    }

    @Test("PutImage checks the repository, then the digest, then the manifest, then its layers")
    func putImageChecks() async throws {
        let world = try TestWorld()
        try await W.createRepository("app", in: world)
        let pusher = try await W.Pusher(world, repository: "app")
        let manifest = pusher.manifest("x")
        let noRepository = try await world.ecr("PutImage", W.body(["repositoryName": "nope", "imageManifest": "not json", "imageDigest": "sha256:00"]))
        #expect(noRepository.errorCode == "RepositoryNotFoundException")
        let wrongDigest = try await world.ecr("PutImage", W.body(["repositoryName": "app", "imageManifest": "not json", "imageDigest": "sha256:00"]))
        #expect(wrongDigest.errorCode == "ImageDigestDoesNotMatchException", "\(wrongDigest)")
        let invalid = try await world.ecr("PutImage", W.body(["repositoryName": "app", "imageManifest": "not json"]))
        #expect(invalid.errorCode == "InvalidParameterException", "\(invalid)")
        try await W.createRepository("web", in: world)
        let noLayers = try await world.ecr("PutImage", W.body(["repositoryName": "web", "imageManifest": pusher.manifest("y")]))
        #expect(noLayers.errorCode == "LayersNotFoundException", "\(noLayers)")

        #expect(try await world.ecr("PutImage", W.body(["repositoryName": "app", "imageManifest": manifest, "imageTag": "v1"])).status == 200)
        let again = try await world.ecr("PutImage", W.body(["repositoryName": "app", "imageManifest": manifest, "imageTag": "v1"]))
        #expect(again.errorCode == "ImageAlreadyExistsException")
    }

    @Test("PutImage of a manifest with neither mediaType nor imageManifestMediaType is refused as ECR refuses it; with the parameter it is stored")
    func manifestWithoutMediaType() async throws {
        let world = try TestWorld()
        try await W.createRepository("app", in: world)
        let pusher = try await W.Pusher(world, repository: "app")
        let bare = pusher.manifest("bare").replacingOccurrences(of: #""mediaType":"application/vnd.oci.image.manifest.v1+json","#, with: "")
        #expect(!bare.hasPrefix(#"{"schemaVersion":2,"mediaType""#))
        let refused = try await world.ecr("PutImage", W.body(["repositoryName": "app", "imageManifest": bare, "imageTag": "v1"]))
        #expect(refused.status == 400)
        #expect(refused.errorCode == "InvalidParameterException")
        #expect(refused.errorMessage == "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'")
        #expect(try await world.ecr("ListImages", W.body(["repositoryName": "app"])).strings("imageIds", "imageDigest") == [])
        let given = try await world.ecr("PutImage", W.body([
            "repositoryName": "app", "imageManifest": bare, "imageTag": "v1",
            "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
        ]))
        #expect(given.json?["image"]?["imageManifestMediaType"]?.stringValue == "application/vnd.oci.image.manifest.v1+json", "\(given)")
        // Its layers stay referenced: the collector reads it with the type it was given.
        let described = try await world.ecr("DescribeImages", W.body(["repositoryName": "app"]))
        #expect(described.json?["imageDetails"]?.arrayValue?.first?["imageManifestMediaType"]?.stringValue == "application/vnd.oci.image.manifest.v1+json")
    }

    /// A Docker schema 1 manifest of one layer; signed, with libtrust's pretty JWS over it.
    static func schema1(layer: String, signed: Bool) -> (manifest: String, payloadDigest: String) {
        let payload = #"{"schemaVersion":1,"name":"app","tag":"\#(signed ? "signed" : "unsigned")","architecture":"amd64","fsLayers":[{"blobSum":"\#(layer)"}],"history":[{"v1Compatibility":"{\"id\":\"a\"}"}]}"#
        let digest = W.Pusher.digest(Array(payload.utf8))
        guard signed else { return (payload, digest) }
        let protected = Data(#"{"formatLength":\#(payload.utf8.count - 1),"formatTail":"fQ","time":"2026-01-01T00:00:00Z"}"#.utf8)
            .base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
        let signature = #","signatures":[{"header":{"alg":"ES256"},"signature":"c2ln","protected":"\#(protected)"}]}"#
        return (String(payload.dropLast()) + signature, digest)
    }

    @Test("Docker schema 1 manifests are stored as pushed, unsigned and signed; a signed one is named by its payload's digest")
    func schema1Manifests() async throws {
        let world = try TestWorld()
        try await W.createRepository("app", in: world)
        let pusher = try await W.Pusher(world, repository: "app")
        for (signed, tag, type) in [
            (false, "unsigned", "application/vnd.docker.distribution.manifest.v1+json"),
            (true, "signed", "application/vnd.docker.distribution.manifest.v1+prettyjws"),
        ] {
            let (manifest, digest) = Self.schema1(layer: pusher.layer.digest, signed: signed)
            let put = try await world.ecr("PutImage", W.body(["repositoryName": "app", "imageManifest": manifest, "imageTag": tag]))
            #expect(put.json?["image"]?["imageId"]?["imageDigest"]?.stringValue == digest, "\(put)")
            #expect(put.json?["image"]?["imageManifestMediaType"]?.stringValue == type, "\(put)")
            let got = try await world.ecr("BatchGetImage", W.body(["repositoryName": "app", "imageIds": [["imageTag": tag]]]))
            #expect(got.json?["images"]?.arrayValue?.first?["imageManifest"]?.stringValue == manifest)
            let described = try await world.ecr("DescribeImages", W.body(["repositoryName": "app", "imageIds": [["imageTag": tag]]]))
            guard case .number(let size)? = described.json?["imageDetails"]?.arrayValue?.first?["imageSizeInBytes"] else {
                Issue.record("\(described)")
                continue
            }
            #expect(size.int64 == Int64(pusher.layer.size))
        }
        let (unsigned, _) = Self.schema1(layer: pusher.layer.digest, signed: false)
        let missing = unsigned.replacingOccurrences(of: pusher.layer.digest, with: "sha256:" + String(repeating: "0", count: 64))
        let refused = try await world.ecr("PutImage", W.body(["repositoryName": "app", "imageManifest": missing]))
        #expect(refused.errorCode == "LayersNotFoundException", "\(refused)")
        let uneven = unsigned.replacingOccurrences(of: #""history":[{"v1Compatibility":"{\"id\":\"a\"}"}]"#, with: #""history":[]"#)
        let invalid = try await world.ecr("PutImage", W.body(["repositoryName": "app", "imageManifest": uneven]))
        #expect(invalid.errorMessage == "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'mismatched history and fslayer cardinality'")
    }

    @Test("ListImageReferrers lists the images whose subject is the given digest, filtered by artifact type, by page")
    func referrers() async throws {
        let world = try TestWorld()
        try await W.createRepository("app", in: world)
        let pusher = try await W.Pusher(world, repository: "app")
        let subject = try await pusher.push("subject", tag: "v1")
        var referrers: [String] = []
        for (index, type) in ["application/vnd.example.sbom", "application/vnd.example.signature", "application/vnd.example.sbom"].enumerated() {
            let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"\#(type)","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(pusher.config.digest)","size":\#(pusher.config.size)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(pusher.layer.digest)","size":\#(pusher.layer.size)}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(subject)","size":1},"annotations":{"n":"\#(index)"}}"#
            let put = try await world.ecr("PutImage", W.body(["repositoryName": "app", "imageManifest": manifest]))
            referrers.append(try #require(put.json?["image"]?["imageId"]?["imageDigest"]?.stringValue, "\(put)"))
        }
        let all = try await ECRImageTests.pages(world, "ListImageReferrers", ["repositoryName": "app", "subjectId": ["imageDigest": subject]], maxResults: 1)
        #expect(all.flatMap { $0.strings("referrers", "digest") } == referrers.sorted())
        let sboms = try await world.ecr("ListImageReferrers", W.body([
            "repositoryName": "app", "subjectId": ["imageDigest": subject], "filter": ["artifactTypes": ["application/vnd.example.sbom"]],
        ]))
        #expect(sboms.strings("referrers", "digest") == [referrers[0], referrers[2]].sorted(), "\(sboms)")
    }
}
