import GatehouseTesting
import Testing

/// OpenID Connect providers, in process (SAML providers and server
/// certificates need material made by openssl: see the end-to-end suites).
@Suite("Identity providers, in process")
struct ProvidersInProcessTests {
    static let thumbprint = String(repeating: "a", count: 40)

    static func create(_ url: String, in world: TestWorld, _ extra: [String: String] = [:]) async throws -> String {
        let created = try await world.iamOK(
            "CreateOpenIDConnectProvider", extra.merging(["Url": url, "ThumbprintList.member.1": thumbprint]) { $1 })
        return try #require(created.value("OpenIDConnectProviderArn"))
    }

    @Test("providers are listed whole by ARN; a deleted one is gone from the list, and deleting it again names it")
    func listAndDelete() async throws {
        let world = try TestWorld()
        let b = try await Self.create("https://b.example.com", in: world)
        let a = try await Self.create("https://a.example.com/path/", in: world)
        #expect(a == "arn:aws:iam::000000000000:oidc-provider/a.example.com/path")
        #expect(try await world.iamOK("ListOpenIDConnectProviders").values("Arn") == [a, b])
        try await world.iamOK("DeleteOpenIDConnectProvider", ["OpenIDConnectProviderArn": a])
        #expect(try await world.iamOK("ListOpenIDConnectProviders").values("Arn") == [b])
        let again = try await world.iam("DeleteOpenIDConnectProvider", ["OpenIDConnectProviderArn": a])
        #expect(again.status == 404)
        #expect(again.errorCode == "NoSuchEntity")
        let taken = try await world.iam("CreateOpenIDConnectProvider", ["Url": "https://b.example.com", "ThumbprintList.member.1": Self.thumbprint])
        #expect(taken.status == 409)
        #expect(taken.errorMessage == "Provider with url https://b.example.com already exists.")
    }

    @Test("client ids are added once and removed; thumbprints are replaced; tags are paged by key")
    func changes() async throws {
        let world = try TestWorld()
        let arn = try await Self.create("https://id.example.com", in: world, ["ClientIDList.member.1": "app", "Tags.member.1.Key": "b", "Tags.member.1.Value": "2"])
        for id in ["web", "web", "cli"] {
            try await world.iamOK("AddClientIDToOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn, "ClientID": id])
        }
        try await world.iamOK("RemoveClientIDFromOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn, "ClientID": "app"])
        try await world.iamOK("RemoveClientIDFromOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn, "ClientID": "never-there"])
        let other = String(repeating: "b", count: 40)
        try await world.iamOK("UpdateOpenIDConnectProviderThumbprint", ["OpenIDConnectProviderArn": arn, "ThumbprintList.member.1": other])
        let got = try await world.iamOK("GetOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn])
        #expect(got.value("ClientIDList").map { TestWorld.Answer.members($0) } == ["web", "cli"])
        #expect(got.value("ThumbprintList").map { TestWorld.Answer.members($0) } == [other])
        #expect(got.value("Url") == "id.example.com")

        try await world.iamOK("TagOpenIDConnectProvider", [
            "OpenIDConnectProviderArn": arn, "Tags.member.1.Key": "a", "Tags.member.1.Value": "1", "Tags.member.2.Key": "C", "Tags.member.2.Value": "3",
        ])
        #expect(try await world.pages("ListOpenIDConnectProviderTags", ["OpenIDConnectProviderArn": arn], element: "Key", maxItems: 2) == ["C", "a", "b"])
        try await world.iamOK("UntagOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn, "TagKeys.member.1": "A"])
        #expect(try await world.iamOK("ListOpenIDConnectProviderTags", ["OpenIDConnectProviderArn": arn]).values("Key") == ["C", "b"])
        let missing = try await world.iam("GetOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn + "x"])
        #expect(missing.status == 404)
        #expect(missing.errorMessage == "OpenIDConnect Provider not found for arn \(arn)x")
    }

    @Test("a refused provider change changes nothing; another account's provider is a cross-account request, refused")
    func refused() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        let arn = try await Self.create("https://id.example.com", in: world)
        let before = try await world.iamOK("GetOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn]).state
        let refused = try await world.iam("AddClientIDToOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn, "ClientID": "x"], as: key)
        #expect(refused.status == 403)
        #expect(refused.errorMessage == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: iam:AddClientIDToOpenIDConnectProvider on resource: \(arn) because no identity-based policy allows the iam:AddClientIDToOpenIDConnectProvider action")
        #expect(try await world.iamOK("GetOpenIDConnectProvider", ["OpenIDConnectProviderArn": arn]).state == before)
        let foreign = "arn:aws:iam::111111111111:oidc-provider/id.example.com"
        #expect(try await world.iam("GetOpenIDConnectProvider", ["OpenIDConnectProviderArn": foreign]).errorCode == "AccessDenied")
    }
}

extension TestWorld.Answer {
    /// The `member` values inside one element's text.
    static func members(_ text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<member>"), let close = rest[open.upperBound...].range(of: "</member>") {
            found.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }
}
