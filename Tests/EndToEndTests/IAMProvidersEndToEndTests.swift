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

    /// IdP metadata with a fresh signing certificate, in a scratch directory.
    static func samlMetadata() throws -> (directory: URL, text: String) {
        let directory = try IAMTestMaterial.temporaryDirectory()
        return (directory, try IAMTestMaterial.samlMetadata(in: directory))
    }

    /// Writes `text` for `file://`; the CLI reads it as it is.
    static func file(_ text: String, in directory: URL, _ name: String = UUID().uuidString) throws -> String {
        let url = directory.appendingPathComponent(name + ".xml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return "file://" + url.path
    }

    @Test("a SAML provider keeps its metadata and validUntil, and is updated and deleted")
    func saml() throws {
        let server = try GatehouseProcess()
        let (directory, text) = try Self.samlMetadata()
        defer { try? FileManager.default.removeItem(at: directory) }
        let document = text.replacingOccurrences(of: #"validUntil="2034-01-01T00:00:00Z""#, with: #"validUntil="2031-05-04T03:02:01.500Z""#)
        let metadata = try Self.file(document, in: directory)
        let arn = "arn:aws:iam::000000000000:saml-provider/corp"
        let created = try server.aws(["iam", "create-saml-provider", "--name", "corp", "--saml-metadata-document", metadata])
        #expect(created.json?["SAMLProviderArn"]?.stringValue == arn, "\(created.stderr)")
        let provider = try server.aws(["iam", "get-saml-provider", "--saml-provider-arn", arn]).json
        #expect(provider?["ValidUntil"]?.stringValue == "2031-05-04T03:02:01Z")
        #expect(provider?["SAMLMetadataDocument"]?.stringValue == document)
        #expect(provider?["AssertionEncryptionMode"]?.stringValue == "Allowed")
        #expect(provider?["SAMLProviderUUID"]?.stringValue?.count == 36)
        #expect(provider?["Tags"] == .array([]))

        let updated = try server.aws([
            "iam", "update-saml-provider", "--saml-provider-arn", arn, "--saml-metadata-document", metadata,
            "--assertion-encryption-mode", "Required",
        ])
        #expect(updated.json?["SAMLProviderArn"]?.stringValue == arn, "\(updated.stderr)")
        let listed = try server.aws(["iam", "list-saml-providers"]).json?["SAMLProviderList"]?.arrayValue
        #expect(listed?.first?["Arn"]?.stringValue == arn)
        #expect(try server.aws(["iam", "delete-saml-provider", "--saml-provider-arn", arn]).succeeded)
        let missing = try server.aws(["iam", "get-saml-provider", "--saml-provider-arn", arn])
        #expect(missing.errorCode == "NoSuchEntity")
        #expect(missing.stderr.contains("Manifest not found for arn \(arn)"))

        // Without a validUntil attribute, AWS still answers ValidUntil: the signing certificate's end.
        let undated = try Self.file(text.replacingOccurrences(of: #" validUntil="2034-01-01T00:00:00Z""#, with: ""), in: directory)
        let other = try #require(try server.aws(["iam", "create-saml-provider", "--name", "undated", "--saml-metadata-document", undated])
            .json?["SAMLProviderArn"]?.stringValue)
        let certificate = try #require(try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .first { $0.lastPathComponent.hasPrefix("idp-") && !$0.lastPathComponent.hasSuffix("-key.pem") })
        let expiry = try IAMTestMaterial.expiry(of: certificate) + "Z"
        #expect(try server.aws(["iam", "get-saml-provider", "--saml-provider-arn", other]).json?["ValidUntil"]?.stringValue == expiry)
        #expect(try server.aws(["iam", "list-saml-providers"]).json?["SAMLProviderList"]?.arrayValue?.first?["ValidUntil"]?.stringValue
            == expiry)
    }

    @Test("metadata IAM cannot read (not XML, a DOCTYPE or entities, no IdP, no signing certificate, a BOM) is refused with InvalidInput, Could not parse metadata., and nothing is stored or changed")
    func samlUnparseableMetadata() throws {
        let server = try GatehouseProcess()
        let (directory, valid) = try Self.samlMetadata()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The model asks for at least 1,000 characters, so short documents are padded with a comment.
        let padding = "<!--" + String(repeating: " padding", count: 130) + " -->"
        let body = valid.replacingOccurrences(of: #"<?xml version="1.0" encoding="UTF-8"?>"#, with: "")
        let signingKey = try #require(body.range(of: #"<md:KeyDescriptor use="signing">[\s\S]*?</md:KeyDescriptor>"#, options: .regularExpression))
        let laughs = (1...9).map { "<!ENTITY lol\($0) \"" + String(repeating: "&lol\($0 - 1);", count: 10) + "\">" }.joined()
        let refused: [(String, String)] = [
            ("not XML", "not xml at all " + padding),
            ("a billion laughs DOCTYPE", "<?xml version=\"1.0\"?><!DOCTYPE md:EntityDescriptor [<!ENTITY lol0 \"lol\">\(laughs)]>"
                + body.replacingOccurrences(of: "<md:NameIDFormat>", with: "<md:NameIDFormat>&lol9;")),
            ("an external entity", "<?xml version=\"1.0\"?><!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + body.replacingOccurrences(of: "<md:NameIDFormat>", with: "<md:NameIDFormat>&xxe;")),
            ("service provider metadata, no IDPSSODescriptor", body.replacingOccurrences(of: "IDPSSODescriptor", with: "SPSSODescriptor") + padding),
            ("no signing certificate", body.replacingCharacters(in: signingKey, with: padding)),
            ("a byte order mark", "\u{FEFF}" + valid),
        ]
        let arn = "arn:aws:iam::000000000000:saml-provider/corp"
        for (what, document) in refused {
            #expect(document.count >= 1000, "\(what)")
            let result = try server.aws(["iam", "create-saml-provider", "--name", "corp", "--saml-metadata-document", try Self.file(document, in: directory)])
            #expect(result.errorCode == "InvalidInput", "\(what): \(result.stderr)")
            #expect(result.errorMessage == "Could not parse metadata.", "\(what): \(result.stderr)")
            #expect(try server.aws(["iam", "list-saml-providers"]).json?["SAMLProviderList"] == .array([]), "\(what)")
        }
        // The wire answer is a 400.
        let raw = try server.iam("CreateSAMLProvider", ["Name": "corp", "SAMLMetadataDocument": refused[0].1])
        #expect(raw.status == 400, "\(raw)")

        // An update with any of them leaves the provider's metadata as it was.
        #expect(try server.aws(["iam", "create-saml-provider", "--name", "corp", "--saml-metadata-document", try Self.file(valid, in: directory)]).succeeded)
        let before = try server.aws(["iam", "get-saml-provider", "--saml-provider-arn", arn]).json
        for (what, document) in refused {
            let result = try server.aws([
                "iam", "update-saml-provider", "--saml-provider-arn", arn, "--saml-metadata-document", try Self.file(document, in: directory),
            ])
            #expect(result.errorCode == "InvalidInput", "\(what): \(result.stderr)")
            #expect(result.errorMessage == "Could not parse metadata.", "\(what): \(result.stderr)")
            #expect(try server.aws(["iam", "get-saml-provider", "--saml-provider-arn", arn]).json == before, "\(what)")
        }
    }

    @Test("metadata with a signing certificate is enough: no SingleSignOnService needed, and an EntitiesDescriptor holding one IdP is read through")
    func samlMinimalMetadata() throws {
        let server = try GatehouseProcess()
        let (directory, valid) = try Self.samlMetadata()
        defer { try? FileManager.default.removeItem(at: directory) }
        let body = valid.replacingOccurrences(of: #"<?xml version="1.0" encoding="UTF-8"?>"#, with: "")
        let withoutSSO = body.replacingOccurrences(of: #"<md:SingleSignOnService [^>]*/>"#, with: "", options: .regularExpression)
        #expect(!withoutSSO.contains("SingleSignOnService"))
        let wrapped = #"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">"# + body + "</md:EntitiesDescriptor>"
        for (name, document) in [("no-sso", withoutSSO), ("entities", wrapped)] {
            let created = try server.aws(["iam", "create-saml-provider", "--name", name, "--saml-metadata-document", try Self.file(document, in: directory)])
            #expect(created.succeeded, "\(name): \(created.stderr)")
        }
    }
}
