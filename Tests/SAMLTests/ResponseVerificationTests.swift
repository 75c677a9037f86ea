import Foundation
import SAML
import Testing

/// Vectors from make-vectors.py; each test names its vector, and Vectors/manifest.json says how the
/// vector was made (signer, algorithms, tampering).
@Suite("Verifying SAML responses as AssumeRoleWithSAML does")
struct ResponseVerificationTests {
    let developer = SAMLRole(roleArn: "arn:aws:iam::111122223333:role/Developer",
                             principalArn: "arn:aws:iam::111122223333:saml-provider/ExampleIdP")
    let readOnly = SAMLRole(roleArn: "arn:aws:iam::111122223333:role/ReadOnly",
                            principalArn: "arn:aws:iam::111122223333:saml-provider/ExampleIdP")

    // MARK: Valid responses

    @Test("An Okta-shaped response signed on its assertion by signxml verifies and yields the STS fields")
    func validAssertionSigned() throws {
        // Vector: valid-assertion-signed (signxml 5.2.0, exc-c14n, rsa-sha256, sha256).
        let assertion = try Vectors.verify("valid-assertion-signed")
        #expect(assertion.assertionID == "_assert-0001")
        #expect(assertion.issuer == "https://idp.example.test/saml")
        #expect(assertion.subject == "alice@example.test")
        #expect(assertion.nameIDFormat == "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")
        #expect(assertion.subjectType == "persistent")
        #expect(assertion.audience == "https://signin.aws.amazon.com/saml")
        #expect(assertion.audienceRestriction == ["https://signin.aws.amazon.com/saml"])
        #expect(assertion.issueInstant == Vectors.issueInstant)
        #expect(assertion.notOnOrAfter == Vectors.issueInstant.addingTimeInterval(300))
        #expect(assertion.sessionNotOnOrAfter == Vectors.issueInstant.addingTimeInterval(8 * 3600))
        #expect(assertion.roles == [developer, readOnly])
        #expect(assertion.roleSessionName == "alice@example.test")
        #expect(assertion.sessionDuration == 3600)
        #expect(assertion.sourceIdentity == "alice")
        #expect(assertion.principalTags == [SAMLSessionTag(key: "Project", value: "Marketing"),
                                            SAMLSessionTag(key: "CostCenter", value: "12345")])
        #expect(assertion.transitiveTagKeys == ["Project", "CostCenter"])
        #expect(assertion.values(of: "urn:oid:2.5.4.3") == ["Zoë Ångström", "R&D <core> \"team\""])
    }

    @Test("The role a caller asks for must be one of the response's role pairs")
    func rolePairs() throws {
        let assertion = try Vectors.verify("valid-assertion-signed")
        #expect(try assertion.role(roleArn: readOnly.roleArn, principalArn: readOnly.principalArn) == readOnly)
        let error = #expect(throws: SAMLError.self) {
            try assertion.role(roleArn: "arn:aws:iam::111122223333:role/Admin", principalArn: developer.principalArn)
        }
        #expect(error?.code == "AccessDenied")
        #expect(error?.httpStatus == 403)
        #expect(error?.message == "Not authorized to perform sts:AssumeRoleWithSAML")
    }

    @Test("NameQualifier is the base64 SHA-1 of issuer, account and provider name, as the STS reference computes it")
    func nameQualifier() throws {
        // The STS API reference's example, BASE64(SHA1("https://example.com/saml" + "123456789012" + "/MySAMLIdP"));
        // expected values computed with Python's hashlib and base64.
        #expect(SAMLAssertion.nameQualifier(issuer: "https://example.com/saml", accountID: "123456789012", providerName: "MySAMLIdP")
            == "1uAJanUnBc2XeUkHURMht+xam2c=")
        let assertion = try Vectors.verify("valid-assertion-signed")
        #expect(assertion.nameQualifier(accountID: "111122223333", providerName: "ExampleIdP") == "8b9foPFgfGHSzPdTlfmbYnE1Dt4=")
    }

    @Test("An AD FS-shaped response in the default namespace, signed on the Response only, verifies")
    func validResponseSigned() throws {
        // Vector: valid-response-signed (signxml; the Response signature covers the unsigned assertion).
        let assertion = try Vectors.verify("valid-response-signed")
        #expect(assertion.assertionID == "_assert-adfs")
        #expect(assertion.subject == "_8e7c4d1f")
        #expect(assertion.subjectType == "transient")
        #expect(assertion.audienceRestriction == ["urn:amazon:webservices"])
        #expect(assertion.roles == [developer])  // written provider-first in the vector
        #expect(assertion.roleSessionName == "bob")
        #expect(assertion.sourceIdentity == nil)
        #expect(assertion.sessionDuration == nil)
    }

    @Test("A response signed on both the assertion and the Response verifies")
    func validBothSigned() throws {
        // Vector: valid-both-signed (signxml, assertion first, then the Response around it).
        #expect(try Vectors.verify("valid-both-signed").roleSessionName == "alice@example.test")
    }

    @Test("Exclusive c14n with an InclusiveNamespaces PrefixList on the reference transform verifies")
    func prefixList() throws {
        // Vector: valid-exclusive-prefix-list (lxml c14n + cryptography signer in make-vectors.py).
        #expect(try Vectors.verify("valid-exclusive-prefix-list").subject == "alice@example.test")
    }

    @Test("Canonical XML 1.0 with rsa-sha1 and a sha1 digest verifies")
    func inclusiveSHA1() throws {
        // Vector: valid-inclusive-c14n-sha1: the assertion's digest takes in the xmlns:saml2p and xmlns:xs
        // of the Response, as inclusive c14n of a document subset must.
        #expect(try Vectors.verify("valid-inclusive-c14n-sha1").subject == "alice@example.test")
    }

    @Test("Exclusive c14n with comments signs a comment inside SignedInfo, and verifies")
    func withComments() throws {
        // Vector: valid-exclusive-with-comments.
        #expect(try Vectors.verify("valid-exclusive-with-comments").subject == "alice@example.test")
    }

    @Test("A comment inserted into a signed NameID neither breaks the signature nor truncates the subject")
    func commentInNameID() throws {
        // Vector: comment-in-name-id: signed NameID alice@example.test.evil.test, then
        // "alice@example.test<!---->.evil.test" after signing (the CVE-2017-11427 family of bugs).
        #expect(try Vectors.verify("comment-in-name-id").subject == "alice@example.test.evil.test")
    }

    // MARK: Tampering

    @Test("An attribute value changed after signing fails with Response signature invalid")
    func tamperedAttribute() {
        // Vector: tampered-attribute-value (role/Developer became role/Admin).
        let error = Vectors.refusal("tampered-attribute-value")
        #expect(error?.reason == .signatureInvalid)
        #expect(error?.code == "InvalidIdentityToken")
        #expect(error?.httpStatus == 400)
        #expect(error?.message == "Response signature invalid")
        #expect(error?.detail.contains("digest") == true)
    }

    @Test("A changed DigestValue fails with Response signature invalid")
    func tamperedDigest() {
        // Vector: tampered-digest-value.
        let error = Vectors.refusal("tampered-digest-value")
        #expect(error?.reason == .signatureInvalid)
        #expect(error?.message == "Response signature invalid")
    }

    @Test("A response signed by a key whose certificate is not in the metadata fails")
    func otherKey() {
        // Vector: signed-by-other-key (key B, KeyInfo certificate B; metadata.xml holds A).
        let error = Vectors.refusal("signed-by-other-key")
        #expect(error?.reason == .signatureInvalid)
        #expect(error?.detail.contains("not in the provider's metadata") == true)
    }

    @Test("A response signed by another key while naming the metadata's certificate fails")
    func otherKeyClaimingMetadataCertificate() {
        // Vector: signed-by-other-key-claiming-metadata-certificate (key B, KeyInfo certificate A).
        let error = Vectors.refusal("signed-by-other-key-claiming-metadata-certificate")
        #expect(error?.reason == .signatureInvalid)
        #expect(error?.detail.contains("does not verify") == true)
    }

    @Test("Metadata holding only the other certificate refuses a response signed by the first")
    func metadataWithOtherCertificate() {
        // Vectors: valid-assertion-signed against metadata-certificate-b.
        #expect(Vectors.refusal("valid-assertion-signed", metadata: "metadata-certificate-b")?.reason == .signatureInvalid)
    }

    @Test("A response with no signature at all fails with Response signature invalid")
    func unsigned() {
        // Vector: unsigned (valid-assertion-signed with its Signature removed).
        let error = Vectors.refusal("unsigned")
        #expect(error?.reason == .signatureInvalid)
        #expect(error?.message == "Response signature invalid")
    }

    // MARK: Signature wrapping

    @Test("A forged assertion beside the signed one moved into Extensions is refused")
    func wrappedInExtensions() {
        // Vector: wrapped-assertion-in-extensions: the signed original still verifies where it now is,
        // but it is not the assertion the response carries.
        #expect(Vectors.refusal("wrapped-assertion-in-extensions")?.reason == .signatureInvalid)
    }

    @Test("A forged assertion reusing the signed one's ID is refused")
    func wrappedSameID() {
        // Vector: wrapped-assertion-same-id: two elements with ID _assert-0001, the forged one carrying a
        // copy of the original signature.
        let error = Vectors.refusal("wrapped-assertion-same-id")
        #expect(error?.reason == .signatureInvalid)
        #expect(error?.detail.contains("more than once") == true)
    }

    @Test("A forged assertion carrying the original signature, with the original in its Advice, is refused")
    func wrappedInAdvice() {
        // Vector: wrapped-assertion-in-advice.
        let error = Vectors.refusal("wrapped-assertion-in-advice")
        #expect(error?.reason == .signatureInvalid)
        #expect(error?.detail.contains("does not point at the element") == true)
    }

    @Test("A second, unsigned assertion beside the signed one is refused")
    func twoAssertions() {
        // Vector: two-assertions.
        #expect(Vectors.refusal("two-assertions")?.reason == .malformedResponse)
    }

    // MARK: Conditions

    @Test("An assertion past its NotOnOrAfter (beyond the skew) fails with ExpiredTokenException")
    func expired() {
        // Vector: valid-assertion-signed, whose Conditions end five minutes after issuance: with five
        // minutes of skew it is refused from ten minutes after issuance on.
        let error = Vectors.refusal("valid-assertion-signed", now: Vectors.issueInstant.addingTimeInterval(600))
        #expect(error?.reason == .expired)
        #expect(error?.code == "ExpiredTokenException")
        #expect(error?.httpStatus == 400)
        #expect(error?.message == "Response has expired")
        var noRedemptionWindow = SAMLVerificationOptions()
        noRedemptionWindow.redemptionWindow = nil
        #expect(throws: Never.self) {
            try Vectors.verify("valid-assertion-signed", now: Vectors.issueInstant.addingTimeInterval(599), options: noRedemptionWindow)
        }
    }

    @Test("An assertion redeemed more than five minutes after issuance fails even while its conditions hold")
    func redemptionWindow() throws {
        // Vector: long-lived (Conditions last an hour).
        let error = Vectors.refusal("long-lived", now: Vectors.issueInstant.addingTimeInterval(301))
        #expect(error?.reason == .notRedeemedInTime)
        #expect(error?.code == "ExpiredTokenException")
        #expect(error?.message == "Token must be redeemed within 5 minutes of issuance")
        var lenient = SAMLVerificationOptions()
        lenient.redemptionWindow = nil
        _ = try Vectors.verify("long-lived", now: Vectors.issueInstant.addingTimeInterval(1800), options: lenient)
    }

    @Test("An assertion whose NotBefore is still ahead (beyond the skew) is refused")
    func notYetValid() {
        // Vector: valid-assertion-signed, NotBefore five minutes before issuance.
        #expect(Vectors.refusal("valid-assertion-signed", now: Vectors.issueInstant.addingTimeInterval(-1200))?.reason == .notYetValid)
        #expect(Vectors.refusal("valid-assertion-signed", now: Vectors.issueInstant.addingTimeInterval(-590)) == nil)
    }

    @Test("An assertion for another audience fails with the required-audience message")
    func wrongAudience() {
        // Vector: wrong-audience (Audience https://sp.example.test/saml).
        let error = Vectors.refusal("wrong-audience")
        #expect(error?.reason == .audienceMismatch)
        #expect(error?.code == "InvalidIdentityToken")
        #expect(error?.message == "Response does not contain the required audience.")
    }

    @Test("An issuer other than the provider's entityID fails with Issuer not present in specified provider")
    func wrongIssuer() {
        // Vectors: wrong-issuer against metadata.xml, and valid-assertion-signed against metadata with another entityID.
        for (vector, metadata) in [("wrong-issuer", "metadata"), ("valid-assertion-signed", "metadata-other-entity")] {
            let error = Vectors.refusal(vector, metadata: metadata)
            #expect(error?.reason == .issuerMismatch)
            #expect(error?.code == "InvalidIdentityToken")
            #expect(error?.message.hasPrefix("Issuer not present in specified provider (Service: AWSOpenIdDiscoveryService; "
                + "Status Code: 400; Error Code: AuthSamlInvalidSamlResponseException; Request ID: ") == true)
        }
    }

    @Test("A SubjectConfirmationData addressed to another recipient is refused unless recipients are not checked")
    func wrongRecipient() throws {
        // Vector: wrong-recipient (Recipient https://sp.example.test/acs).
        #expect(Vectors.refusal("wrong-recipient")?.reason == .recipientMismatch)
        var anyRecipient = SAMLVerificationOptions()
        anyRecipient.acceptsRecipient = nil
        #expect(try Vectors.verify("wrong-recipient", options: anyRecipient).audience == "https://sp.example.test/acs")
    }

    // MARK: Attributes

    @Test("A response without the Role attribute fails with AccessDenied")
    func missingRole() {
        // Vector: missing-role-attribute.
        let error = Vectors.refusal("missing-role-attribute")
        #expect(error?.reason == .notAuthorized)
        #expect(error?.code == "AccessDenied")
        #expect(error?.httpStatus == 403)
        #expect(error?.message == "Not authorized to perform sts:AssumeRoleWithSAML")
    }

    @Test("A response without RoleSessionName fails with RoleSessionName is required in AuthnResponse")
    func missingRoleSessionName() {
        // Vector: missing-role-session-name.
        let error = Vectors.refusal("missing-role-session-name")
        #expect(error?.reason == .roleSessionNameMissing)
        #expect(error?.code == "InvalidIdentityToken")
        #expect(error?.message == "RoleSessionName is required in AuthnResponse")
    }

    @Test("A SourceIdentity beginning with aws: fails with the Source Identity message")
    func invalidSourceIdentity() {
        // Vector: invalid-source-identity (SourceIdentity aws:alice).
        let error = Vectors.refusal("invalid-source-identity")
        #expect(error?.reason == .sourceIdentityInvalid)
        #expect(error?.message == "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"")
    }

    // MARK: Malformed input

    @Test("A SAMLAssertion that is not base64 fails with Invalid base64 SAMLResponse")
    func notBase64() {
        let metadata = Vectors.metadata()
        for input in ["%3Csamlp%3AResponse", "not base64!", "", "QQ=Q"] {
            let error = #expect(throws: SAMLError.self) {
                try SAMLResponse.verify(base64Response: input, metadata: metadata, now: Vectors.now)
            }
            #expect(error?.reason == .malformedBase64)
            #expect(error?.message.hasPrefix("Invalid base64 SAMLResponse (Service: AWSOpenIdDiscoveryService;") == true)
        }
    }

    @Test("Base64 that is not a SAML response, or XML with a DTD, is refused as malformed")
    func notAResponse() {
        let metadata = Vectors.metadata()
        let documents = [
            "plain text",
            "<a><b></a>",
            "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>",
            "<!DOCTYPE r [<!ENTITY x \"y\">]><samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&x;</samlp:Response>",
        ]
        for document in documents {
            let error = #expect(throws: SAMLError.self) {
                try SAMLResponse.verify(base64Response: Data(document.utf8).base64EncodedString(), metadata: metadata, now: Vectors.now)
            }
            #expect(error?.reason == .malformedResponse)
            #expect(error?.code == "InvalidIdentityToken")
        }
    }

    @Test("Truncated or corrupted responses are refused with an error, never a crash")
    func corruption() {
        // Vector: valid-assertion-signed, cut at many offsets and with single bytes replaced.
        let bytes = Array(Vectors.data("valid-assertion-signed.xml"))
        let metadata = Vectors.metadata()
        for offset in stride(from: 0, to: bytes.count, by: 23) {
            var corrupted = bytes
            corrupted[offset] = bytes[offset] == UInt8(ascii: "<") ? UInt8(ascii: "&") : UInt8(ascii: "<")
            for variant in [Array(bytes[..<offset]), corrupted] {
                #expect(throws: SAMLError.self, "offset \(offset)") {
                    try SAMLResponse.verify(xml: variant, metadata: metadata, now: Vectors.now)
                }
            }
        }
    }

    @Test("A response whose status is not Success is refused")
    func unsuccessfulStatus() {
        let xml = """
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r" Version="2.0" IssueInstant="2024-05-01T12:00:00Z">\
            <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/></samlp:Status></samlp:Response>
            """
        let error = #expect(throws: SAMLError.self) {
            try SAMLResponse.verify(base64Response: Data(xml.utf8).base64EncodedString(), metadata: Vectors.metadata(), now: Vectors.now)
        }
        #expect(error?.reason == .unsuccessfulStatus)
    }

    // MARK: Options

    @Test("AWS audiences and sign-in endpoints are recognized, regional ones included")
    func awsEndpoints() {
        #expect(SAMLVerificationOptions.isAWSAudience("https://signin.aws.amazon.com/saml"))
        #expect(SAMLVerificationOptions.isAWSAudience("urn:amazon:webservices"))
        #expect(SAMLVerificationOptions.isAWSAudience("https://eu-west-1.signin.aws.amazon.com/saml"))
        #expect(!SAMLVerificationOptions.isAWSAudience("https://signin.aws.amazon.com.evil.test/saml"))
        #expect(!SAMLVerificationOptions.isAWSAudience("https://evil.test/signin.aws.amazon.com/saml"))
        #expect(SAMLVerificationOptions.isAWSSignInEndpoint("https://signin.aws.amazon.com/static/saml"))
        #expect(SAMLVerificationOptions.isAWSSignInEndpoint("https://us-east-2.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46"))
        #expect(!SAMLVerificationOptions.isAWSSignInEndpoint("https://sp.example.test/saml"))
    }

    @Test("The SubjectType keeps any NameID format that is not a SAML 2.0 one")
    func subjectTypes() {
        #expect(SAMLAssertion.subjectType(forFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient") == "transient")
        #expect(SAMLAssertion.subjectType(forFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
            == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
    }

    @Test("Role values are read in either order and anything else is ignored")
    func roleValues() {
        let role = "arn:aws:iam::1:role/R"
        let provider = "arn:aws:iam::1:saml-provider/P"
        #expect(SAMLRole(attributeValue: "\(role),\(provider)") == SAMLRole(roleArn: role, principalArn: provider))
        #expect(SAMLRole(attributeValue: " \(provider) , \(role) ") == SAMLRole(roleArn: role, principalArn: provider))
        #expect(SAMLRole(attributeValue: role) == nil)
        #expect(SAMLRole(attributeValue: "\(role),\(role)") == nil)
    }
}
