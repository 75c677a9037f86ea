#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why a SAML response or metadata document was refused, worded as AWS words it.
///
/// `code` and `message` are what STS (or IAM, for metadata) puts on the wire;
/// `httpStatus` the status it answers with. `reason` is a stable, closed
/// classification for callers and tests; `detail` says what exactly failed,
/// for logs only (AWS never tells the caller that much).
///
/// Each factory says where its text comes from: CONFIRMED means quoted from a
/// real AWS answer or AWS documentation; INFERRED means the text is confirmed
/// but the code or the trigger is reasoned; GUESSED means no source was found.
public struct SAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable, Equatable {
        case malformedBase64
        case malformedResponse
        case unsuccessfulStatus
        case encryptedAssertion
        case signatureInvalid
        case issuerMismatch
        case expired
        case notYetValid
        case notRedeemedInTime
        case audienceMismatch
        case recipientMismatch
        case notAuthorized
        case roleSessionNameMissing
        case roleSessionNameInvalid
        case sourceIdentityInvalid
        case metadataInvalid
        case providerNotFound
    }

    /// The AWS error code: `InvalidIdentityToken`, `ExpiredTokenException`, `AccessDenied`, `InvalidInput`, …
    public let code: String
    /// The AWS error message.
    public let message: String
    public let httpStatus: Int
    public let reason: Reason
    /// What exactly failed; for logs, never for the caller.
    public let detail: String

    public init(code: String, message: String, httpStatus: Int, reason: Reason, detail: String = "") {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.reason = reason
        self.detail = detail
    }

    public var description: String {
        detail.isEmpty ? "\(code): \(message)" : "\(code): \(message) [\(detail)]"
    }

    static func invalidIdentityToken(_ message: String, _ reason: Reason, _ detail: String) -> SAMLError {
        SAMLError(code: "InvalidIdentityToken", message: message, httpStatus: 400, reason: reason, detail: detail)
    }

    static func expiredToken(_ message: String, _ reason: Reason, _ detail: String) -> SAMLError {
        SAMLError(code: "ExpiredTokenException", message: message, httpStatus: 400, reason: reason, detail: detail)
    }

    /// STS passes on the error of the service that reads the SAML response,
    /// with that service's own Java SDK suffix inside the message.
    static func discoveryServiceSuffix(_ requestID: String) -> String {
        "(Service: AWSOpenIdDiscoveryService; Status Code: 400; Error Code: AuthSamlInvalidSamlResponseException; "
            + "Request ID: \(requestID); Proxy: null)"
    }

    /// A request ID for the nested service error text.
    public static func newRequestID() -> String { UUID().uuidString.lowercased() }

    // MARK: Reading the response

    /// CONFIRMED text prefix: `Invalid base64 SAMLResponse (Service: AWSOpenIdDiscoveryService; Status Code: 400;
    /// Error Code: AuthSamlInvalidSamlResponseException` from `aws sts assume-role-with-saml` (InvalidIdentityToken),
    /// quoted in a 2022 Keycloak federation write-up; the jenkinsci/pipeline-aws-plugin test
    /// `WithAWSStepTest.testStepWithAssumeRoleSAMLAssertion` expects "Invalid base64 SAMLResponse" from real STS.
    /// The `; Request ID: …; Proxy: null)` tail is INFERRED from `issuerNotPresent`.
    public static func malformedBase64(requestID: String = newRequestID()) -> SAMLError {
        invalidIdentityToken("Invalid base64 SAMLResponse " + discoveryServiceSuffix(requestID), .malformedBase64,
                             "the SAMLAssertion is not base64")
    }

    /// GUESSED: no capture of STS answering XML that is not a SAML response was
    /// found; worded after `malformedBase64`, from the same service.
    public static func malformedResponse(_ detail: String, requestID: String = newRequestID()) -> SAMLError {
        invalidIdentityToken("Invalid SAMLResponse " + discoveryServiceSuffix(requestID), .malformedResponse, detail)
    }

    /// GUESSED: a `Status` other than Success.
    public static func unsuccessfulStatus(_ status: String) -> SAMLError {
        invalidIdentityToken("SAML response status is not Success", .unsuccessfulStatus, "status \(status)")
    }

    /// GUESSED: `EncryptedAssertion` (IAM providers with assertion encryption) is not supported here.
    public static func encryptedAssertion() -> SAMLError {
        invalidIdentityToken("Encrypted assertions are not supported", .encryptedAssertion,
                             "the response carries an EncryptedAssertion")
    }

    // MARK: Signature and issuer

    /// CONFIRMED: InvalidIdentityToken "Response signature invalid" (cevoaustralia/aws-google-auth#270, 2022;
    /// IAM User Guide, "Troubleshoot SAML federation": "Error: Response signature invalid (service:
    /// AWSSecurityTokenService; status code: 400; error code: InvalidIdentityToken)").
    public static func signatureInvalid(_ detail: String) -> SAMLError {
        invalidIdentityToken("Response signature invalid", .signatureInvalid, detail)
    }

    /// CONFIRMED: InvalidIdentityToken "Issuer not present in specified provider (Service:
    /// AWSOpenIdDiscoveryService; Status Code: 400; Error Code: AuthSamlInvalidSamlResponseException; Request ID:
    /// 0e8d1248-…; Proxy: null)" (dbeaver/cloudbeaver#3112, 2024, Java SDK v2); the IAM User Guide
    /// troubleshooting page lists "Failed to assume role: Issuer not present in specified provider".
    public static func issuerNotPresent(issuer: String, requestID: String = newRequestID()) -> SAMLError {
        invalidIdentityToken("Issuer not present in specified provider " + discoveryServiceSuffix(requestID),
                             .issuerMismatch, "issuer \(issuer) is not the provider's entityID")
    }

    // MARK: Time

    /// CONFIRMED: ExpiredTokenException "Response has expired" (Versent/saml2aws#759, 2022: Keycloak assertion
    /// whose `Conditions/@NotOnOrAfter` was one minute after issuance, redeemed later). Also used, INFERRED,
    /// for a passed `SubjectConfirmationData/@NotOnOrAfter`.
    public static func expired(_ detail: String) -> SAMLError {
        expiredToken("Response has expired", .expired, detail)
    }

    /// CONFIRMED text: ExpiredTokenException "Token must be redeemed within 5 minutes of issuance"
    /// (Nike-Inc/gimme-aws-creds#251, 2020; physera/onelogin-aws-cli#64; the STS error fixture in Versent/saml2aws'
    /// tests). The trigger, the assertion's `IssueInstant` more than five minutes ago, is INFERRED.
    public static func notRedeemedInTime(_ detail: String) -> SAMLError {
        expiredToken("Token must be redeemed within 5 minutes of issuance", .notRedeemedInTime, detail)
    }

    /// GUESSED: a `NotBefore` still in the future (beyond the allowed skew).
    public static func notYetValid(_ detail: String) -> SAMLError {
        invalidIdentityToken("Response is not yet valid", .notYetValid, detail)
    }

    // MARK: Audience and recipient

    /// INFERRED: the text is a heading of the IAM User Guide page "Troubleshoot SAML federation with IAM"
    /// ("Error: Response does not contain the required audience."); the code InvalidIdentityToken is reasoned
    /// (STS answers the web-identity counterpart "Incorrect token audience" with it).
    public static func audienceMismatch(_ detail: String) -> SAMLError {
        invalidIdentityToken("Response does not contain the required audience.", .audienceMismatch, detail)
    }

    /// GUESSED: `SubjectConfirmationData/@Recipient` missing or not an AWS sign-in endpoint.
    public static func recipientMismatch(_ detail: String) -> SAMLError {
        invalidIdentityToken("Response is not addressed to an AWS sign-in endpoint", .recipientMismatch, detail)
    }

    // MARK: Claims

    /// CONFIRMED: AccessDenied (403) "Not authorized to perform sts:AssumeRoleWithSAML" (aws/aws-sdk-net#744;
    /// IAM User Guide troubleshooting: the role in the SAML response is misspelled or missing, the trust policy
    /// refuses, or the response has no `Subject` with a `NameID`). Used for a missing `Role` attribute, a role
    /// pair the response does not list, and a missing `NameID`.
    public static func notAuthorized(_ detail: String) -> SAMLError {
        SAMLError(code: "AccessDenied", message: "Not authorized to perform sts:AssumeRoleWithSAML",
                  httpStatus: 403, reason: .notAuthorized, detail: detail)
    }

    /// CONFIRMED: InvalidIdentityToken "RoleSessionName is required in AuthnResponse" (IAM User Guide,
    /// "Troubleshoot SAML federation": status code 400, error code InvalidIdentityToken).
    public static func roleSessionNameMissing() -> SAMLError {
        invalidIdentityToken("RoleSessionName is required in AuthnResponse", .roleSessionNameMissing,
                             "no https://aws.amazon.com/SAML/Attributes/RoleSessionName attribute")
    }

    /// CONFIRMED: InvalidIdentityToken "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"
    /// (IAM User Guide troubleshooting; MicrosoftDocs/azure-docs#45025 quotes it from a real sign-in, 2019).
    public static func roleSessionNameInvalid(_ value: String) -> SAMLError {
        invalidIdentityToken("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}",
                             .roleSessionNameInvalid, "RoleSessionName \(value)")
    }

    /// CONFIRMED: InvalidIdentityToken `Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with
    /// "aws:"` (IAM User Guide, "Troubleshoot SAML federation").
    public static func sourceIdentityInvalid(_ value: String) -> SAMLError {
        invalidIdentityToken("Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"",
                             .sourceIdentityInvalid, "SourceIdentity \(value)")
    }

    // MARK: Providers

    /// INFERRED: the text is the IAM User Guide troubleshooting heading "Error: Could not parse metadata."
    /// (CreateSAMLProvider / UpdateSAMLProvider); the code InvalidInput (400) is IAM's code for refused input.
    public static func metadataInvalid(_ detail: String) -> SAMLError {
        SAMLError(code: "InvalidInput", message: "Could not parse metadata.", httpStatus: 400,
                  reason: .metadataInvalid, detail: detail)
    }

    /// INFERRED: the text is the IAM User Guide troubleshooting heading "Error: Specified provider doesn't
    /// exist."; the code InvalidIdentityToken is reasoned. For the caller when `PrincipalArn` names no provider.
    public static func providerNotFound(_ principalArn: String) -> SAMLError {
        invalidIdentityToken("Specified provider doesn't exist.", .providerNotFound, "no provider \(principalArn)")
    }
}
