import Foundation
import SAML
import Testing

@Suite("Reading IdP metadata as CreateSAMLProvider does")
struct MetadataTests {
    @Test("Metadata yields the entity ID, the signing certificate only, and validUntil")
    func parse() throws {
        // Vector: metadata.xml (make-vectors.py): a signing KeyDescriptor with certificate A and an
        // encryption KeyDescriptor with certificate B, which must not count.
        let metadata = Vectors.metadata()
        #expect(metadata.entityID == "https://idp.example.test/saml")
        #expect(metadata.signingCertificates.count == 1)
        let certificate = try #require(metadata.signingCertificates.first)
        #expect(certificate.isRSA)
        #expect(certificate.keyBits == 2048)
        #expect(certificate.notAfter == Date(timeIntervalSince1970: 2_019_686_400))  // 2034-01-01T00:00:00Z
        #expect(certificate.notBefore == Date(timeIntervalSince1970: 1_704_067_200))  // 2024-01-01T00:00:00Z
        #expect(metadata.validUntil == Date(timeIntervalSince1970: 2_019_686_400))
        #expect(metadata.signingCertificates != Vectors.metadata("metadata-certificate-b").signingCertificates)
    }

    @Test("A KeyDescriptor without a use attribute counts as a signing key")
    func keyDescriptorWithoutUse() throws {
        let text = Vectors.text("metadata-other-entity.xml").replacingOccurrences(of: " use=\"signing\"", with: "")
        let metadata = try SAMLMetadata.parse(text)
        #expect(metadata.entityID == "https://other-idp.example.test/saml")
        #expect(metadata.signingCertificates == Vectors.metadata().signingCertificates)
    }

    @Test("An EntitiesDescriptor holding one IdP is read through")
    func entitiesDescriptor() throws {
        let inner = Vectors.text("metadata.xml").replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: "")
        let wrapped = "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">\(inner)</md:EntitiesDescriptor>"
        #expect(try SAMLMetadata.parse(wrapped).entityID == "https://idp.example.test/saml")
    }

    @Test("Documents that are not IdP metadata are refused with InvalidInput, Could not parse metadata.")
    func refusals() {
        let certificate = Vectors.metadata().signingCertificates[0].base64
        let md = "xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\""
        let keyDescriptor = "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\(certificate)</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        let documents: [(String, String)] = [
            ("not XML", "hello"),
            ("a SAML response", Vectors.text("valid-assertion-signed.xml")),
            ("no entityID", "<md:EntityDescriptor \(md)><md:IDPSSODescriptor>\(keyDescriptor)</md:IDPSSODescriptor></md:EntityDescriptor>"),
            ("SP metadata", "<md:EntityDescriptor \(md) entityID=\"x\"><md:SPSSODescriptor>\(keyDescriptor)</md:SPSSODescriptor></md:EntityDescriptor>"),
            ("no certificate", "<md:EntityDescriptor \(md) entityID=\"x\"><md:IDPSSODescriptor/></md:EntityDescriptor>"),
            ("an encryption certificate only", "<md:EntityDescriptor \(md) entityID=\"x\"><md:IDPSSODescriptor>"
                + keyDescriptor.replacingOccurrences(of: "signing", with: "encryption") + "</md:IDPSSODescriptor></md:EntityDescriptor>"),
            ("a certificate that is not DER", "<md:EntityDescriptor \(md) entityID=\"x\"><md:IDPSSODescriptor>"
                + keyDescriptor.replacingOccurrences(of: certificate, with: "aGVsbG8=") + "</md:IDPSSODescriptor></md:EntityDescriptor>"),
            ("a bad validUntil", "<md:EntityDescriptor \(md) entityID=\"x\" validUntil=\"tomorrow\"><md:IDPSSODescriptor>\(keyDescriptor)</md:IDPSSODescriptor></md:EntityDescriptor>"),
            ("the wrong namespace", "<EntityDescriptor entityID=\"x\"><IDPSSODescriptor/></EntityDescriptor>"),
            // Entities are never expanded: a DOCTYPE, internal (billion laughs) or external (XXE), is refused.
            ("a billion laughs DOCTYPE", "<!DOCTYPE md:EntityDescriptor [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                + "<md:EntityDescriptor \(md) entityID=\"&b;\"><md:IDPSSODescriptor>\(keyDescriptor)</md:IDPSSODescriptor></md:EntityDescriptor>"),
            ("an external entity", "<!DOCTYPE md:EntityDescriptor [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<md:EntityDescriptor \(md) entityID=\"&x;\"><md:IDPSSODescriptor>\(keyDescriptor)</md:IDPSSODescriptor></md:EntityDescriptor>"),
            ("an undeclared entity", "<md:EntityDescriptor \(md) entityID=\"&x;\"><md:IDPSSODescriptor>\(keyDescriptor)</md:IDPSSODescriptor></md:EntityDescriptor>"),
            // IAM User Guide: "The metadata file must be encoded in UTF-8 format without a byte order mark (BOM)".
            ("a byte order mark", "\u{FEFF}" + Vectors.text("metadata.xml")),
        ]
        for (what, document) in documents {
            let error = #expect(throws: SAMLError.self, "\(what)") { try SAMLMetadata.parse(document) }
            #expect(error?.code == "InvalidInput", "\(what)")
            #expect(error?.message == "Could not parse metadata.", "\(what)")
            #expect(error?.reason == .metadataInvalid, "\(what)")
        }
    }
}
