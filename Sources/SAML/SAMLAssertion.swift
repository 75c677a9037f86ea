#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// A role the IdP lets the user take: one value of the
/// `https://aws.amazon.com/SAML/Attributes/Role` attribute.
public struct SAMLRole: Sendable, Hashable {
    public var roleArn: String
    /// The SAML provider ARN (`PrincipalArn`).
    public var principalArn: String

    public init(roleArn: String, principalArn: String) {
        self.roleArn = roleArn
        self.principalArn = principalArn
    }

    /// Reads `roleArn,providerArn` in either order (IdPs write both); nil if the
    /// value is not one role ARN and one SAML provider ARN.
    public init?(attributeValue: String) {
        let parts = attributeValue.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingWhitespace() }
        guard parts.count == 2 else { return nil }
        func isRole(_ arn: String) -> Bool { arn.hasPrefix("arn:") && arn.contains(":role/") }
        func isProvider(_ arn: String) -> Bool { arn.hasPrefix("arn:") && arn.contains(":saml-provider/") }
        if isRole(parts[0]) && isProvider(parts[1]) {
            self.init(roleArn: parts[0], principalArn: parts[1])
        } else if isProvider(parts[0]) && isRole(parts[1]) {
            self.init(roleArn: parts[1], principalArn: parts[0])
        } else {
            return nil
        }
    }
}

/// One `Attribute` of the assertion's attribute statements, values in order.
public struct SAMLAttribute: Sendable, Hashable {
    public var name: String
    public var friendlyName: String?
    public var values: [String]

    public init(name: String, friendlyName: String? = nil, values: [String]) {
        self.name = name
        self.friendlyName = friendlyName
        self.values = values
    }
}

/// A session tag from a `https://aws.amazon.com/SAML/Attributes/PrincipalTag:{Key}` attribute.
public struct SAMLSessionTag: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// The verified assertion, with what AssumeRoleWithSAML needs from it.
public struct SAMLAssertion: Sendable, Equatable {
    public static let roleAttribute = "https://aws.amazon.com/SAML/Attributes/Role"
    public static let roleSessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
    public static let sessionDurationAttribute = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
    public static let sourceIdentityAttribute = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
    public static let principalTagAttributePrefix = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
    public static let transitiveTagKeysAttribute = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys"

    /// The assertion's `ID`.
    public var assertionID: String
    public var issueInstant: Date
    /// `Issuer`: STS returns it as `Issuer`.
    public var issuer: String
    /// `Subject/NameID`: STS returns it as `Subject`.
    public var subject: String
    /// `NameID/@Format` as written (SAML's default, `…:1.1:nameid-format:unspecified`, when absent).
    public var nameIDFormat: String
    /// STS `SubjectType`: the format without the `urn:oasis:names:tc:SAML:2.0:nameid-format:` prefix
    /// (`persistent`, `transient`), any other format unchanged (STS API reference, AssumeRoleWithSAML).
    public var subjectType: String
    /// `SubjectConfirmationData/@Recipient`: STS returns it as `Audience`, and it is the `saml:aud`
    /// context key (IAM User Guide: the `AudienceRestriction` value does not map to `saml:aud`).
    public var audience: String
    /// The `Audience` values of the `AudienceRestriction` conditions.
    public var audienceRestriction: [String]
    /// The earliest `NotOnOrAfter` of `Conditions` and `SubjectConfirmationData`.
    public var notOnOrAfter: Date
    /// The earliest `AuthnStatement/@SessionNotOnOrAfter`, if any.
    public var sessionNotOnOrAfter: Date?
    /// The role/provider pairs of the Role attribute, in order.
    public var roles: [SAMLRole]
    public var roleSessionName: String
    /// `SessionDuration`, when present and an integer.
    public var sessionDuration: Int?
    public var sourceIdentity: String?
    public var principalTags: [SAMLSessionTag]
    public var transitiveTagKeys: [String]
    /// Every attribute, for trust-policy context keys (`saml:…`).
    public var attributes: [SAMLAttribute]

    /// The values of the attribute called `name`, or nil if there is none.
    public func values(of name: String) -> [String]? {
        let matching = attributes.filter { $0.name == name }
        return matching.isEmpty ? nil : matching.flatMap(\.values)
    }

    /// The pair of `roleArn` and `principalArn` (STS parameters) if the IdP lists it.
    /// - Throws: `AccessDenied` "Not authorized to perform sts:AssumeRoleWithSAML" if it does not.
    public func role(roleArn: String, principalArn: String) throws(SAMLError) -> SAMLRole {
        let wanted = SAMLRole(roleArn: roleArn, principalArn: principalArn)
        guard roles.contains(wanted) else {
            throw .notAuthorized("the Role attribute does not list \(roleArn) with \(principalArn)")
        }
        return wanted
    }

    /// STS `NameQualifier` for this assertion.
    public func nameQualifier(accountID: String, providerName: String) -> String {
        Self.nameQualifier(issuer: issuer, accountID: accountID, providerName: providerName)
    }

    /// STS `NameQualifier`: `BASE64(SHA1(issuer + accountID + "/" + providerName))`, where `providerName`
    /// is the last part of the SAML provider ARN (STS API reference, AssumeRoleWithSAML, NameQualifier:
    /// `BASE64 ( SHA1 ( "https://example.com/saml" + "123456789012" + "/MySAMLIdP" ) )`).
    public static func nameQualifier(issuer: String, accountID: String, providerName: String) -> String {
        Base64.encode(DigestAlgorithm.sha1.hash(Array((issuer + accountID + "/" + providerName).utf8)))
    }

    /// `SubjectType` for a `NameID` format.
    public static func subjectType(forFormat format: String) -> String {
        let prefix = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
        return format.hasPrefix(prefix) ? String(format.dropFirst(prefix.count)) : format
    }
}
