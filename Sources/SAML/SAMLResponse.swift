#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// How strictly `SAMLResponse.verify` treats time and addressing.
public struct SAMLVerificationOptions: Sendable {
    /// Tolerated difference between the IdP's clock and ours for `NotBefore` and `NotOnOrAfter`.
    public var clockSkew: TimeInterval = 300
    /// How long after its `IssueInstant` an assertion may be redeemed ("Token must be redeemed within
    /// 5 minutes of issuance"); nil to not check.
    public var redemptionWindow: TimeInterval? = 300
    /// Whether an `AudienceRestriction/Audience` value names AWS.
    public var acceptsAudience: @Sendable (String) -> Bool = SAMLVerificationOptions.isAWSAudience
    /// Whether `SubjectConfirmationData/@Recipient` is an AWS sign-in endpoint; nil accepts any recipient.
    public var acceptsRecipient: (@Sendable (String) -> Bool)? = SAMLVerificationOptions.isAWSSignInEndpoint

    public init() {}

    /// `https://signin.aws.amazon.com/saml` or `urn:amazon:webservices` (IAM User Guide, "Configure SAML
    /// assertions for the authentication response"), or a regional sign-in endpoint
    /// `https://{region}.signin.aws.amazon.com/saml`.
    @Sendable public static func isAWSAudience(_ value: String) -> Bool {
        value == "urn:amazon:webservices" || isSignIn(value, allowingPaths: false)
    }

    /// `https://signin.aws.amazon.com/saml`, `…/static/saml`, a regional `https://{region}.signin.aws.amazon.com/saml`,
    /// each optionally followed by `/acs/{IdP-ID}` (the form used with assertion encryption).
    @Sendable public static func isAWSSignInEndpoint(_ value: String) -> Bool {
        isSignIn(value, allowingPaths: true)
    }

    private static func isSignIn(_ value: String, allowingPaths: Bool) -> Bool {
        guard value.hasPrefix("https://") else { return false }
        let rest = value.dropFirst("https://".count)
        guard let slash = rest.firstIndex(of: "/") else { return false }
        let host = rest[..<slash]
        var path = String(rest[slash...])
        if host != "signin.aws.amazon.com" {
            guard host.hasSuffix(".signin.aws.amazon.com") else { return false }
            let region = host.dropLast(".signin.aws.amazon.com".count)
            guard !region.isEmpty, region.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else { return false }
        }
        if allowingPaths {
            if path.hasPrefix("/static/saml") { path = String(path.dropFirst("/static".count)) }
            if let acs = path.firstRange(of: "/saml/acs/"), acs.lowerBound == path.startIndex {
                let id = path[acs.upperBound...]
                return !id.isEmpty && id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            }
        }
        return path == "/saml"
    }
}

/// Verifies a SAML 2.0 `Response` as STS AssumeRoleWithSAML does.
public enum SAMLResponse {
    /// Verifies the base64 `SAMLAssertion` parameter of AssumeRoleWithSAML against a provider's metadata.
    ///
    /// In order: base64 and XML; a `samlp:Response` with Success status and exactly one (unencrypted)
    /// `Assertion`; its `Issuer` (and the response's, if present) is the metadata `entityID`; every
    /// signature present on the `Response` or the `Assertion` is valid, made with a metadata certificate,
    /// and at least one is present (either covers the assertion); `Conditions` and
    /// `SubjectConfirmationData` times with `clockSkew`, and the redemption window after `IssueInstant`;
    /// an AWS audience in every `AudienceRestriction`; one bearer `SubjectConfirmation` addressed to AWS;
    /// a `NameID`; the `Role` attribute; a valid `RoleSessionName`; a valid `SourceIdentity` if present.
    ///
    /// Which role to take is the caller's: see `SAMLAssertion.role(roleArn:principalArn:)`.
    public static func verify(
        base64Response: String, metadata: SAMLMetadata, now: Date, options: SAMLVerificationOptions = .init()
    ) throws(SAMLError) -> SAMLAssertion {
        guard let bytes = Base64.decode(base64Response), !bytes.isEmpty else { throw .malformedBase64() }
        return try verify(xml: bytes, metadata: metadata, now: now, options: options)
    }

    /// Verifies a SAML response already decoded from base64.
    public static func verify(
        xml: [UInt8], metadata: SAMLMetadata, now: Date, options: SAMLVerificationOptions = .init()
    ) throws(SAMLError) -> SAMLAssertion {
        let tree: XMLTree
        do {
            tree = try XMLTreeParser.parse(xml)
        } catch {
            throw .malformedResponse("not well-formed XML: \(error)")
        }
        var reader = Reader(tree: tree)
        return try reader.read(metadata: metadata, now: now, options: options)
    }

    private struct Reader {
        let tree: XMLTree

        func text(_ element: Int) -> String {
            tree.textContent(of: element).trimmingWhitespace()
        }

        func time(_ name: String, of element: Int) throws(SAMLError) -> Date? {
            guard let value = tree.attribute(name, of: element) else { return nil }
            guard let date = CivilTime.parse(value.trimmingWhitespace()) else {
                throw .malformedResponse("\(tree[element].localName)/@\(name) \(value) is not an xs:dateTime")
            }
            return date
        }

        mutating func read(metadata: SAMLMetadata, now: Date, options: SAMLVerificationOptions) throws(SAMLError) -> SAMLAssertion {
            let response = tree.root
            guard tree[response].namespaceURI == Namespace.protocol_ && tree[response].localName == "Response" else {
                throw .malformedResponse("the root element is {\(tree[response].namespaceURI)}\(tree[response].localName), not samlp:Response")
            }
            guard let status = tree.firstChild(of: response, namespace: Namespace.protocol_, name: "Status"),
                  let statusCode = tree.firstChild(of: status, namespace: Namespace.protocol_, name: "StatusCode")
            else { throw .malformedResponse("the response has no Status/StatusCode") }
            let statusValue = tree.attribute("Value", of: statusCode) ?? ""
            guard statusValue == "urn:oasis:names:tc:SAML:2.0:status:Success" else { throw .unsuccessfulStatus(statusValue) }

            if !tree.childElements(of: response, namespace: Namespace.assertion, name: "EncryptedAssertion").isEmpty {
                throw .encryptedAssertion()
            }
            let assertions = tree.childElements(of: response, namespace: Namespace.assertion, name: "Assertion")
            guard assertions.count == 1 else {
                throw .malformedResponse("the response holds \(assertions.count) assertions; exactly one is required")
            }
            let assertion = assertions[0]

            // The issuer decides which provider's keys apply, so it is checked first.
            guard let issuerElement = tree.firstChild(of: assertion, namespace: Namespace.assertion, name: "Issuer") else {
                throw .malformedResponse("the assertion has no Issuer")
            }
            let issuer = text(issuerElement)
            if let responseIssuer = tree.firstChild(of: response, namespace: Namespace.assertion, name: "Issuer"),
               text(responseIssuer) != metadata.entityID
            {
                throw .issuerNotPresent(issuer: text(responseIssuer))
            }
            guard issuer == metadata.entityID else { throw .issuerNotPresent(issuer: issuer) }

            // Signatures: each one present must verify; at least one must be present. The response's
            // signature covers the assertion (its child); the assertion's covers itself. Either way the
            // assertion read below is the element the verified reference resolved to.
            let verifier = EnvelopedSignatureVerifier(tree: tree)
            let responseCheck = verifier.check(response, certificates: metadata.signingCertificates)
            let assertionCheck = verifier.check(assertion, certificates: metadata.signingCertificates)
            if case .invalid(let why) = responseCheck { throw .signatureInvalid("Response: " + why) }
            if case .invalid(let why) = assertionCheck { throw .signatureInvalid("Assertion: " + why) }
            if responseCheck == .absent && assertionCheck == .absent {
                throw .signatureInvalid("neither the Response nor the Assertion is signed")
            }

            guard tree.attribute("Version", of: assertion) == "2.0", let assertionID = tree.attribute("ID", of: assertion),
                  let issueInstant = try time("IssueInstant", of: assertion)
            else { throw .malformedResponse("the assertion lacks Version 2.0, ID or IssueInstant") }

            // Time.
            let conditions = tree.firstChild(of: assertion, namespace: Namespace.assertion, name: "Conditions")
            var notOnOrAfter: Date?
            if let conditions {
                if let notBefore = try time("NotBefore", of: conditions), now.addingTimeInterval(options.clockSkew) < notBefore {
                    throw .notYetValid("Conditions/@NotBefore is \(notBefore)")
                }
                if let end = try time("NotOnOrAfter", of: conditions) {
                    if now.addingTimeInterval(-options.clockSkew) >= end { throw .expired("Conditions/@NotOnOrAfter was \(end)") }
                    notOnOrAfter = end
                }
            }
            guard let subject = tree.firstChild(of: assertion, namespace: Namespace.assertion, name: "Subject") else {
                throw .notAuthorized("the assertion has no Subject")
            }
            let confirmations = tree.childElements(of: subject, namespace: Namespace.assertion, name: "SubjectConfirmation")
            guard confirmations.count == 1,
                  tree.attribute("Method", of: confirmations[0]) == "urn:oasis:names:tc:SAML:2.0:cm:bearer",
                  let confirmationData = tree.firstChild(of: confirmations[0], namespace: Namespace.assertion, name: "SubjectConfirmationData")
            else { throw .malformedResponse("the Subject needs exactly one bearer SubjectConfirmation with SubjectConfirmationData") }
            guard let confirmationEnd = try time("NotOnOrAfter", of: confirmationData),
                  let recipient = tree.attribute("Recipient", of: confirmationData)?.trimmingWhitespace()
            else { throw .malformedResponse("SubjectConfirmationData needs NotOnOrAfter and Recipient") }
            if let notBefore = try time("NotBefore", of: confirmationData), now.addingTimeInterval(options.clockSkew) < notBefore {
                throw .notYetValid("SubjectConfirmationData/@NotBefore is \(notBefore)")
            }
            if now.addingTimeInterval(-options.clockSkew) >= confirmationEnd {
                throw .expired("SubjectConfirmationData/@NotOnOrAfter was \(confirmationEnd)")
            }
            notOnOrAfter = min(notOnOrAfter ?? confirmationEnd, confirmationEnd)
            if let window = options.redemptionWindow, now.timeIntervalSince(issueInstant) > window {
                throw .notRedeemedInTime("IssueInstant was \(issueInstant)")
            }

            // Audience and recipient.
            let restrictions = conditions.map {
                tree.childElements(of: $0, namespace: Namespace.assertion, name: "AudienceRestriction")
            } ?? []
            guard !restrictions.isEmpty else { throw .audienceMismatch("the assertion has no AudienceRestriction") }
            var audiences: [String] = []
            for restriction in restrictions {
                let values = tree.childElements(of: restriction, namespace: Namespace.assertion, name: "Audience").map(text)
                audiences += values
                guard values.contains(where: options.acceptsAudience) else {
                    throw .audienceMismatch("AudienceRestriction \(values) names no AWS audience")
                }
            }
            if let accepts = options.acceptsRecipient, !accepts(recipient) {
                throw .recipientMismatch("Recipient \(recipient)")
            }

            // The subject.
            guard let nameID = tree.firstChild(of: subject, namespace: Namespace.assertion, name: "NameID"),
                  case let subjectValue = text(nameID), !subjectValue.isEmpty
            else { throw .notAuthorized("the Subject has no NameID") }
            let format = tree.attribute("Format", of: nameID) ?? "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"

            // Attributes.
            var attributes: [SAMLAttribute] = []
            for statement in tree.childElements(of: assertion, namespace: Namespace.assertion, name: "AttributeStatement") {
                for attribute in tree.childElements(of: statement, namespace: Namespace.assertion, name: "Attribute") {
                    guard let name = tree.attribute("Name", of: attribute) else { continue }
                    let values = tree.childElements(of: attribute, namespace: Namespace.assertion, name: "AttributeValue").map(text)
                    attributes.append(SAMLAttribute(name: name, friendlyName: tree.attribute("FriendlyName", of: attribute), values: values))
                }
            }
            func values(_ name: String) -> [String]? {
                let matching = attributes.filter { $0.name == name }
                return matching.isEmpty ? nil : matching.flatMap(\.values)
            }
            guard let roleValues = values(SAMLAssertion.roleAttribute) else {
                throw .notAuthorized("no \(SAMLAssertion.roleAttribute) attribute")
            }
            let roles = roleValues.compactMap(SAMLRole.init(attributeValue:))
            guard !roles.isEmpty else { throw .notAuthorized("no role,provider pair in the Role attribute") }
            guard let roleSessionName = values(SAMLAssertion.roleSessionNameAttribute)?.first, !roleSessionName.isEmpty else {
                throw .roleSessionNameMissing()
            }
            guard Self.isSessionName(roleSessionName) else { throw .roleSessionNameInvalid(roleSessionName) }
            let sourceIdentity = values(SAMLAssertion.sourceIdentityAttribute)?.first
            if let sourceIdentity, !Self.isSessionName(sourceIdentity) || sourceIdentity.lowercased().hasPrefix("aws:") {
                throw .sourceIdentityInvalid(sourceIdentity)
            }
            let sessionDuration = values(SAMLAssertion.sessionDurationAttribute)?.first.flatMap { Int($0) }
            var tags: [SAMLSessionTag] = []
            for attribute in attributes where attribute.name.hasPrefix(SAMLAssertion.principalTagAttributePrefix) {
                let key = String(attribute.name.dropFirst(SAMLAssertion.principalTagAttributePrefix.count))
                tags.append(SAMLSessionTag(key: key, value: attribute.values.first ?? ""))
            }
            var sessionNotOnOrAfter: Date?
            for statement in tree.childElements(of: assertion, namespace: Namespace.assertion, name: "AuthnStatement") {
                if let end = try time("SessionNotOnOrAfter", of: statement) {
                    sessionNotOnOrAfter = min(sessionNotOnOrAfter ?? end, end)
                }
            }

            return SAMLAssertion(
                assertionID: assertionID, issueInstant: issueInstant, issuer: issuer, subject: subjectValue,
                nameIDFormat: format, subjectType: SAMLAssertion.subjectType(forFormat: format), audience: recipient,
                audienceRestriction: audiences, notOnOrAfter: notOnOrAfter ?? confirmationEnd,
                sessionNotOnOrAfter: sessionNotOnOrAfter, roles: roles, roleSessionName: roleSessionName,
                sessionDuration: sessionDuration, sourceIdentity: sourceIdentity, principalTags: tags,
                transitiveTagKeys: values(SAMLAssertion.transitiveTagKeysAttribute) ?? [], attributes: attributes)
        }

        /// `[a-zA-Z_0-9+=,.@-]{2,64}`, the pattern STS quotes for RoleSessionName and SourceIdentity.
        static func isSessionName(_ value: String) -> Bool {
            let bytes = Array(value.utf8)
            guard (2...64).contains(bytes.count) else { return false }
            return bytes.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "."),
                    UInt8(ascii: "@"), UInt8(ascii: "-"):
                    true
                default:
                    false
                }
            }
        }
    }
}
