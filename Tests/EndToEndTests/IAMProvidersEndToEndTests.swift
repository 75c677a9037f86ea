import Foundation
import JSON
import Testing

/// OpenID Connect and SAML identity providers.
@Suite("IAM identity providers, end to end")
struct IAMProvidersEndToEndTests {
    static let arn = "arn:aws:iam::000000000000:oidc-provider/token.example.com/oidc"

    @Test("an OIDC provider is created from an https URL, read without the scheme, changed and deleted")
    func openIDConnect() throws {
        let server = try GatehouseProcess()
        let created = try server.aws([
            "iam", "create-open-id-connect-provider", "--url", "https://token.example.com/oidc", "--client-id-list", "sts.amazonaws.com",
            "--thumbprint-list", String(repeating: "a", count: 40), "--tags", "Key=k1,Value=v1",
        ])
        #expect(created.json?["OpenIDConnectProviderArn"]?.stringValue == Self.arn, "\(created.stderr)")
        let duplicate = try server.aws(["iam", "create-open-id-connect-provider", "--url", "https://token.example.com/oidc"])
        #expect(duplicate.errorCode == "EntityAlreadyExists")
        #expect(duplicate.stderr.contains("Provider with url https://token.example.com/oidc already exists."))
        let invalid = try server.aws(["iam", "create-open-id-connect-provider", "--url", "example.org"])
        #expect(invalid.errorCode == "ValidationError")
        #expect(invalid.stderr.contains("Invalid Open ID Connect Provider URL"))
        let tooMany = try server.aws(
            ["iam", "create-open-id-connect-provider", "--url", "https://other.example.com", "--thumbprint-list"]
                + (0..<6).map { String(repeating: String($0), count: 40) })
        #expect(tooMany.errorCode == "InvalidInput")
        #expect(tooMany.stderr.contains("Thumbprint list must contain fewer than 5 entries."))

        #expect(try server.aws(["iam", "add-client-id-to-open-id-connect-provider", "--open-id-connect-provider-arn", Self.arn, "--client-id", "app"]).succeeded)
        #expect(try server.aws(["iam", "remove-client-id-from-open-id-connect-provider", "--open-id-connect-provider-arn", Self.arn, "--client-id", "sts.amazonaws.com"]).succeeded)
        #expect(try server.aws([
            "iam", "update-open-id-connect-provider-thumbprint", "--open-id-connect-provider-arn", Self.arn, "--thumbprint-list",
            String(repeating: "c", count: 40),
        ]).succeeded)
        let provider = try server.aws(["iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", Self.arn]).json
        #expect(provider?["Url"]?.stringValue == "token.example.com/oidc")
        #expect(provider?["ClientIDList"] == .array([.string("app")]))
        #expect(provider?["ThumbprintList"] == .array([.string(String(repeating: "c", count: 40))]))
        #expect(provider?["Tags"]?.arrayValue?.count == 1)
        let listed = try server.aws(["iam", "list-open-id-connect-providers"]).json?["OpenIDConnectProviderList"]?.arrayValue
        #expect(listed?.map { $0["Arn"]?.stringValue } == [Self.arn])

        #expect(try server.aws(["iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", Self.arn]).succeeded)
        let gone = try server.aws(["iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", Self.arn])
        #expect(gone.errorCode == "NoSuchEntity")
        #expect(gone.stderr.contains("OpenIDConnect Provider not found for arn \(Self.arn)"))
        let deleteAgain = try server.aws(["iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", Self.arn])
        #expect(deleteAgain.stderr.contains("OpenId connect Provider \(Self.arn) cannot be found."))
    }

    @Test("a SAML provider keeps its metadata and validUntil, and is updated and deleted")
    func saml() throws {
        let server = try GatehouseProcess()
        let directory = try IAMTestMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let metadata = directory.appendingPathComponent("metadata.xml")
        let document = #"<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" "#
            + #"entityID="https://idp.example.com" validUntil="2031-05-04T03:02:01.500Z"><md:IDPSSODescriptor "#
            + #"protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">"# + String(repeating: "<!-- padding -->", count: 70)
            + #"<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" "#
            + #"Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#
        try document.write(to: metadata, atomically: true, encoding: .utf8)
        let arn = "arn:aws:iam::000000000000:saml-provider/corp"
        let created = try server.aws(["iam", "create-saml-provider", "--name", "corp", "--saml-metadata-document", "file://" + metadata.path])
        #expect(created.json?["SAMLProviderArn"]?.stringValue == arn, "\(created.stderr)")
        let provider = try server.aws(["iam", "get-saml-provider", "--saml-provider-arn", arn]).json
        #expect(provider?["ValidUntil"]?.stringValue == "2031-05-04T03:02:01Z")
        #expect(provider?["SAMLMetadataDocument"]?.stringValue == document)
        #expect(provider?["AssertionEncryptionMode"]?.stringValue == "Allowed")
        #expect(provider?["SAMLProviderUUID"]?.stringValue?.count == 36)
        #expect(provider?["Tags"] == .array([]))

        let updated = try server.aws([
            "iam", "update-saml-provider", "--saml-provider-arn", arn, "--saml-metadata-document",
            "file://" + metadata.path, "--assertion-encryption-mode", "Required",
        ])
        #expect(updated.json?["SAMLProviderArn"]?.stringValue == arn, "\(updated.stderr)")
        let listed = try server.aws(["iam", "list-saml-providers"]).json?["SAMLProviderList"]?.arrayValue
        #expect(listed?.first?["Arn"]?.stringValue == arn)
        #expect(try server.aws(["iam", "delete-saml-provider", "--saml-provider-arn", arn]).succeeded)
        let missing = try server.aws(["iam", "get-saml-provider", "--saml-provider-arn", arn])
        #expect(missing.errorCode == "NoSuchEntity")
        #expect(missing.stderr.contains("Manifest not found for arn \(arn)"))
    }
}
