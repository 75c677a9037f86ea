@testable import Console
import Foundation
import GatehouseTesting
import Hashing
import JSON
import Testing

/// The Elastic Container Registry pages in process: each click is the ECR
/// operation as the signed-in principal, refusals show ECR's message and
/// change nothing, and a principal allowed only some reads sees what it may.
@Suite("Web console, Elastic Container Registry")
struct ECRPagesTests {
    let world: TestWorld
    let app: ConsoleApp

    init() throws {
        world = try TestWorld()
        app = ConsoleApp(
            environment: world.environment, iam: world.iam, sts: world.sts, ecr: world.ecr, accessAnalyzer: world.accessAnalyzer,
            decisions: world.decisions)
    }

    static let admin = "arn:aws:iam::aws:policy/AdministratorAccess"

    /// A console user with managed policies and, if given, one inline policy.
    func user(_ name: String, policies: [String] = [], inline: String? = nil) async throws -> ConsoleApp.Request {
        #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200)
        #expect(try await world.iam("CreateLoginProfile", ["UserName": name, "Password": "Lab-Passw0rd!"]).status == 200)
        for arn in policies {
            #expect(try await world.iam("AttachUserPolicy", ["UserName": name, "PolicyArn": arn]).status == 200)
        }
        if let inline {
            let put = try await world.iam("PutUserPolicy", ["UserName": name, "PolicyName": "inline", "PolicyDocument": inline])
            #expect(put.status == 200, "\(put)")
        }
        guard case .signedIn(let token) = try await app.signIn.user(account: TestWorld.accountId, userName: name, password: "Lab-Passw0rd!"),
            let session = try app.sessions.session(token: token)
        else {
            Issue.record("\(name) could not sign in")
            throw CancellationError()
        }
        return ConsoleApp.Request(session: session, sourceIp: "127.0.0.1", query: [:], form: [])
    }

    func posting(_ request: ConsoleApp.Request, _ form: [(String, String)]) -> ConsoleApp.Request {
        var request = request
        request.form = [("csrf", request.session.csrfToken)] + form
        return request
    }

    func tab(_ request: ConsoleApp.Request, _ tab: String) -> ConsoleApp.Request {
        var request = request
        request.query = ["tab": tab]
        return request
    }

    static func text(_ reply: ConsoleReply) -> String { String(decoding: reply.body, as: UTF8.self) }

    func json(_ answer: TestWorld.Answer) -> JSONValue? { try? JSONParser.parse(Array(answer.body.utf8)) }

    func createRepository(_ name: String) async throws {
        let created = try await world.ecr("CreateRepository", #"{"repositoryName":"\#(name)"}"#)
        #expect(created.status == 200, "\(created)")
    }

    /// Uploads a blob through the layer API as root; returns its digest and size.
    func upload(_ bytes: [UInt8], to repository: String) async throws -> (String, Int) {
        let initiated = try await world.ecr("InitiateLayerUpload", #"{"repositoryName":"\#(repository)"}"#)
        let upload = try #require(json(initiated)?["uploadId"]?.stringValue, "\(initiated)")
        let digest = "sha256:" + Hex.encode(SHA256.hash(bytes))
        let part = try await world.ecr("UploadLayerPart", #"""
            {"repositoryName":"\#(repository)","uploadId":"\#(upload)","partFirstByte":0,"partLastByte":\#(bytes.count - 1),"layerPartBlob":"\#(Data(bytes).base64EncodedString())"}
            """#)
        #expect(part.status == 200, "\(part)")
        let completed = try await world.ecr("CompleteLayerUpload", #"{"repositoryName":"\#(repository)","uploadId":"\#(upload)","layerDigests":["\#(digest)"]}"#)
        // A blob pushed before (the same config) is already there, as ECR says.
        #expect(completed.status == 200 || completed.errorCode == "LayerAlreadyExistsException", "\(completed)")
        return (digest, bytes.count)
    }

    /// Pushes one small image with `tag`; returns its digest.
    @discardableResult
    func push(_ repository: String, tag: String) async throws -> String {
        let config = try await upload(Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8), to: repository)
        let layer = try await upload(Array("layer of \(tag)".utf8), to: repository)
        let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(config.0)","size":\#(config.1)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(layer.0)","size":\#(layer.1)}]}"#
        var w = JSONWriter()
        w.objectStart()
        w.key("repositoryName"); w.value(repository)
        w.key("imageTag"); w.value(tag)
        w.key("imageManifest"); w.value(manifest)
        w.objectEnd()
        let put = try await world.ecr("PutImage", w.string)
        return try #require(json(put)?["image"]?["imageId"]?["imageDigest"]?.stringValue, "\(put)")
    }

    // MARK: -

    @Test("Create repository with Immutable and Scan on push: CreateRepository made it so, and the list shows it")
    func create() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        let reply = await app.createRepository(posting(admin, [
            ("repositoryName", "team-a/alpine"), ("imageTagMutability", "IMMUTABLE"), ("encryptionType", "AES256"), ("scanOnPush", "true"),
        ]))
        #expect(reply.status == 303, "\(Self.text(reply))")
        let described = try await world.ecr("DescribeRepositories", #"{"repositoryNames":["team-a/alpine"]}"#)
        let repository = try #require(json(described)?["repositories"]?.arrayValue?.first, "\(described)")
        #expect(repository["imageTagMutability"]?.stringValue == "IMMUTABLE")
        #expect(repository["imageScanningConfiguration"]?["scanOnPush"] == .bool(true))
        #expect(repository["encryptionConfiguration"]?["encryptionType"]?.stringValue == "AES256")

        let list = Self.text(await app.repositories(admin))
        #expect(list.contains("Successfully created private repository, team-a/alpine."))
        #expect(list.contains("/console/ecr/private-registry/repositories/team-a%2Falpine"))
        #expect(list.contains("127.0.0.1:4566/team-a/alpine"))
        for column in ["Repository name", "URI", "Created at", "Tag immutability", "Encryption type", "Find repositories", "View push commands", "Create repository"] {
            #expect(list.contains(column), "\(column)")
        }
        #expect(list.contains("<td>Immutable</td>"))
    }

    @Test("the list shows 50 repositories a page with Next page, and Find repositories filters by name")
    func paging() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        for i in 0..<51 { try await createRepository(String(format: "repo-%02d", i)) }
        let first = Self.text(await app.repositories(admin))
        #expect(first.contains("Private repositories (51)"))
        #expect(first.contains("Next page"))
        #expect(first.contains(">repo-49<") && !first.contains(">repo-50<"))
        var second = admin
        second.query = ["page": "2"]
        #expect(Self.text(await app.repositories(second)).contains(">repo-50<"))
        var found = admin
        found.query = ["search": "repo-07"]
        let filtered = Self.text(await app.repositories(found))
        #expect(filtered.contains("Private repositories (1)") && filtered.contains(">repo-07<"))
    }

    @Test("an invalid name is refused with ECR's validation message, verbatim")
    func invalidName() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        let expected = try await world.ecr("CreateRepository", #"{"repositoryName":"Team A"}"#)
        let message = try #require(json(expected)?["message"]?.stringValue, "\(expected)")
        let reply = await app.createRepository(posting(admin, [("repositoryName", "Team A"), ("imageTagMutability", "MUTABLE")]))
        #expect(reply.status == 400)
        #expect(Self.text(reply).contains(HTML.escape(message)), "\(message)")
    }

    @Test("a repository whose name holds a slash opens on its page; its URI is the one ECR answers")
    func slashName() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        try await createRepository("team-a/alpine")
        let digest = try await push("team-a/alpine", tag: "v1")
        #expect(app.repositoryPath("team-a/alpine", "", admin) == "/console/ecr/private-registry/repositories/team-a%2Falpine")
        let reply = await app.repository(admin, name: "team-a/alpine")
        #expect(reply.status == 200)
        let page = Self.text(reply)
        #expect(page.contains("<h1>team-a/alpine</h1>"))
        #expect(page.contains("127.0.0.1:4566/team-a/alpine:v1"))
        #expect(page.contains(digest))
        for column in ["Image tag", "Artifact type", "Pushed at", "Size (MB)", "Image URI", "Digest"] {
            #expect(page.contains("<th scope=\"col\">\(column)</th>"), "\(column)")
        }
    }

    @Test("Create repository without ecr:CreateRepository shows ECR's AccessDeniedException message and creates nothing")
    func deniedCreate() async throws {
        let nobody = try await user("nobody")
        let reply = await app.createRepository(posting(nobody, [("repositoryName", "team-a/alpine"), ("imageTagMutability", "MUTABLE")]))
        #expect(Self.text(reply).contains(
            "User: arn:aws:iam::000000000000:user/nobody is not authorized to perform: ecr:CreateRepository on resource: arn:aws:ecr:us-east-1:000000000000:repository/team-a/alpine because no identity-based policy allows the ecr:CreateRepository action"))
        #expect(reply.status != 303)
        let described = try await world.ecr("DescribeRepositories")
        #expect(json(described)?["repositories"]?.arrayValue?.isEmpty == true, "\(described)")

        let list = Self.text(await app.repositories(nobody))
        #expect(list.contains("is not authorized to perform: ecr:DescribeRepositories"))
        #expect(list.contains("View repository"), "the list offers to open a repository by name")
    }

    @Test("changes without the session's CSRF token are refused and change nothing")
    func csrf() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        try await createRepository("kept")
        var forged = admin
        forged.form = [("csrf", "forged"), ("repositoryName", "forged"), ("confirm", "delete")]
        #expect(await app.createRepository(forged).status == 403)
        #expect(await app.deleteRepository(forged, name: "kept").status == 403)
        forged.form.removeFirst()
        #expect(await app.createRepository(forged).status == 403)
        #expect(await app.setRepositoryPolicy(forged, name: "kept").status == 403)
        let names = (json(try await world.ecr("DescribeRepositories"))?["repositories"]?.arrayValue ?? []).compactMap { $0["repositoryName"]?.stringValue }
        #expect(names == ["kept"])
    }

    @Test("Delete needs the word delete typed, then deletes the repository")
    func deleteRepository() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        try await createRepository("gone")
        #expect(await app.deleteRepository(posting(admin, [("confirm", "yes")]), name: "gone").status == 400)
        #expect(await app.deleteRepository(posting(admin, [("confirm", "delete")]), name: "gone").status == 303)
        #expect(try await world.ecr("DescribeRepositories", #"{"repositoryNames":["gone"]}"#).errorCode == "RepositoryNotFoundException")
    }

    @Test("markup in repository tags renders as text")
    func markupInTags() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        try await createRepository("team-a/alpine")
        let saved = await app.saveRepositoryTags(posting(admin, [
            ("Tags.member.1.Key", "owner"), ("Tags.member.1.Value", "<script>alert(1)</script>"),
        ]), name: "team-a/alpine")
        #expect(saved.status == 303)
        let page = Self.text(await app.repository(tab(admin, "tags"), name: "team-a/alpine"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<script>alert(1)"))
    }

    @Test("push commands name this server's advertised host and the repository URI ECR answers")
    func pushCommands() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        try await createRepository("team-a/alpine")
        let page = Self.text(await app.pushCommands(admin, name: "team-a/alpine"))
        #expect(page.contains("aws ecr get-login-password --region us-east-1 --endpoint-url http://127.0.0.1:4566 | docker login --username AWS --password-stdin 127.0.0.1:4566"))
        #expect(page.contains("docker build -t alpine ."))
        #expect(page.contains("docker tag alpine:latest 127.0.0.1:4566/team-a/alpine:latest"))
        #expect(page.contains("docker push 127.0.0.1:4566/team-a/alpine:latest"))
    }

    @Test("a lifecycle rule is saved with PutLifecyclePolicy; Test rules previews which images would expire")
    func lifecycle() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        try await createRepository("app")
        let old = try await push("app", tag: "v1")
        world.clock.advance(seconds: 60)
        let new = try await push("app", tag: "v2")
        let saved = await app.addLifecycleRule(posting(admin, [
            ("rulePriority", "1"), ("description", "keep one"), ("imageStatus", "tagged-prefix"), ("tagFilters", "v"),
            ("countType", "imageCountMoreThan"), ("countNumber", "1"),
        ]), name: "app")
        #expect(saved.status == 303, "\(Self.text(saved))")
        let policy = try await world.ecr("GetLifecyclePolicy", #"{"repositoryName":"app"}"#)
        let text = try #require(json(policy)?["lifecyclePolicyText"]?.stringValue, "\(policy)")
        #expect(text.contains("imageCountMoreThan"))
        let tabPage = Self.text(await app.repository(tab(admin, "lifecycle"), name: "app"))
        #expect(tabPage.contains("Tagged (prefix matching): v"))
        #expect(tabPage.contains("Image count more than 1"))

        let preview = Self.text(await app.saveOrTestLifecyclePolicy(posting(admin, [("lifecyclePolicyText", text), ("do", "test")]), name: "app"))
        #expect(preview.contains("Test results (1)"))
        #expect(preview.contains(old))
        #expect(!preview.contains(new))

        let bad = await app.saveOrTestLifecyclePolicy(posting(admin, [("lifecyclePolicyText", "{\"rules\": 1}"), ("do", "save")]), name: "app")
        #expect(bad.status == 400)
    }

    @Test("Edit policy JSON shows ECR's validation message for a bad document, and saves a good one")
    func repositoryPolicy() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        try await createRepository("app")
        let expected = try await world.ecr("SetRepositoryPolicy", #"{"repositoryName":"app","policyText":"{not json"}"#)
        let message = try #require(json(expected)?["message"]?.stringValue, "\(expected)")
        let bad = await app.setRepositoryPolicy(posting(admin, [("policyText", "{not json")]), name: "app")
        #expect(bad.status == 400)
        #expect(Self.text(bad).contains(HTML.escape(message)), "\(message)")
        #expect(Self.text(bad).contains("{not json"))
        #expect(try await world.ecr("GetRepositoryPolicy", #"{"repositoryName":"app"}"#).errorCode == "RepositoryPolicyNotFoundException")

        let good = #"{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"ecr:BatchGetImage"}]}"#
        #expect(await app.setRepositoryPolicy(posting(admin, [("policyText", good)]), name: "app").status == 303)
        let page = Self.text(await app.repository(tab(admin, "permissions"), name: "app"))
        #expect(page.contains("ecr:BatchGetImage"))
    }

    @Test("with only ecr:ListImages on team-a/*: team-a's images are listed without details; team-b answers ECR's denial word for word")
    func listImagesOnly() async throws {
        try await createRepository("team-a/alpine")
        try await createRepository("team-b/alpine")
        let digest = try await push("team-a/alpine", tag: "v1")
        try await push("team-b/alpine", tag: "v1")
        let learner = try await user("learner", inline: #"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:ListImages"],"Resource":["arn:aws:ecr:us-east-1:000000000000:repository/team-a/*"]}]}
            """#)
        let a = await app.repository(learner, name: "team-a/alpine")
        let page = Self.text(a)
        #expect(a.status == 200)
        #expect(page.contains("<td>v1</td>"))
        #expect(page.contains(digest))
        #expect(page.contains("is not authorized to perform: ecr:DescribeImages"))
        #expect(page.contains("is not authorized to perform: ecr:DescribeRepositories"))
        #expect(!page.contains("(UTC)"), "no Pushed at without DescribeImages")

        let b = Self.text(await app.repository(learner, name: "team-b/alpine"))
        #expect(b.contains(
            "User: arn:aws:iam::000000000000:user/learner is not authorized to perform: ecr:ListImages on resource: arn:aws:ecr:us-east-1:000000000000:repository/team-b/alpine because no identity-based policy allows the ecr:ListImages action"))

        // The Repositories list is refused, and offers the way in by name.
        var open = learner
        open.query = ["repository": "team-a/alpine", "action": "view"]
        #expect(app.openRepository(open).location == "/console/ecr/private-registry/repositories/team-a%2Falpine")
    }

    @Test("Delete on the Images tab asks for delete, then BatchDeleteImage removes the image")
    func deleteImage() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        try await createRepository("app")
        let digest = try await push("app", tag: "v1")
        let asked = await app.deleteImages(posting(admin, [("imageDigest", digest)]), name: "app")
        #expect(asked.status == 200)
        #expect(Self.text(asked).contains("To confirm deletion, type delete in the field."))
        #expect(try await world.ecr("ListImages", #"{"repositoryName":"app"}"#).body.contains(digest))
        #expect(await app.deleteImages(posting(admin, [("imageDigest", digest), ("confirm", "delete")]), name: "app").status == 303)
        #expect(!(try await world.ecr("ListImages", #"{"repositoryName":"app"}"#).body.contains(digest)))
    }

    @Test("a repository with 60 images lists every tag on its page (its speed is measured by scripts/bench, not here)")
    func manyImages() async throws {
        let admin = try await user("admin", policies: [Self.admin])
        try await createRepository("app")
        for i in 0..<60 { try await push("app", tag: "v\(i)") }
        let page = Self.text(await app.repository(admin, name: "app"))
        for i in 0..<60 { #expect(page.contains(">v\(i)<"), "v\(i)") }
    }
}
