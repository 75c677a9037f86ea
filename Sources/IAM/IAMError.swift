import AWSShapes

/// AWS's IAM error messages, each written once (texts and their sources:
/// docs/research/iam.md).
enum IAMError {
    typealias E = IAMShapes.Errors

    // MARK: NoSuchEntity (404)

    static func noSuchRole(_ name: String) -> AWSError { E.noSuchEntity("The role with name \(name) cannot be found.") }
    static func noSuchUser(_ name: String) -> AWSError { E.noSuchEntity("The user with name \(name) cannot be found.") }
    static func noSuchGroup(_ name: String) -> AWSError { E.noSuchEntity("The group with name \(name) cannot be found.") }
    /// Attach*Policy with a policy that does not exist.
    static func policyNotAttachable(_ arn: String) -> AWSError {
        E.noSuchEntity("Policy \(arn) does not exist or is not attachable.")
    }
    /// Get/Delete/Tag/Detach of a policy that does not exist (or is not attached).
    static func policyNotFound(_ arn: String) -> AWSError { E.noSuchEntity("Policy \(arn) was not found.") }
    static func noSuchPolicyVersion(_ arn: String, _ version: String) -> AWSError {
        E.noSuchEntity("Policy \(arn) version \(version) does not exist or is not attachable.")
    }
    static func noSuchBoundary(_ arn: String) -> AWSError {
        E.noSuchEntity("Scope ARN: \(arn) does not exist or is not attachable.")
    }
    static func noSuchInlinePolicy(_ owner: InlineOwner, _ name: String) -> AWSError {
        E.noSuchEntity("The \(owner.rawValue) policy with name \(name) cannot be found.")
    }
    static func noSuchInstanceProfile(_ name: String) -> AWSError { E.noSuchEntity("Instance Profile \(name) cannot be found.") }
    static func roleNotInInstanceProfile(_ role: String, _ profile: String) -> AWSError {
        E.noSuchEntity("Role \(role) in Instance Profile \(profile) cannot be found.")
    }
    static func noSuchAccessKey(_ id: String) -> AWSError { E.noSuchEntity("The Access Key with id \(id) cannot be found.") }
    static func noSuchLoginProfile(_ user: String) -> AWSError { E.noSuchEntity("Login Profile for User \(user) cannot be found.") }
    /// Deactivate/Delete/Get/Resync/Tag of an MFA device (LS:test_iam_mfa).
    static func noSuchMFADevice(_ serial: String) -> AWSError {
        E.noSuchEntity("MFA Device with serial number \(serial) does not exist.")
    }
    static func noSuchSSHPublicKey(_ id: String) -> AWSError { E.noSuchEntity("The Public Key with id \(id) cannot be found.") }
    static func noSuchSigningCertificate(_ id: String) -> AWSError { E.noSuchEntity("The Certificate with id \(id) cannot be found.") }
    static func noSuchServerCertificate(_ name: String) -> AWSError {
        E.noSuchEntity("The Server Certificate with name \(name) cannot be found.")
    }
    /// Get/Add/Remove/Update/Tag on an OIDC provider (LS:test_iam_oidc, no full stop).
    static func noSuchOIDCProvider(_ arn: String) -> AWSError { E.noSuchEntity("OpenIDConnect Provider not found for arn \(arn)") }
    /// DeleteOpenIDConnectProvider words it differently (LS:test_iam_oidc `deletion-not-found-error`).
    static func noSuchOIDCProviderToDelete(_ arn: String) -> AWSError {
        E.noSuchEntity("OpenId connect Provider \(arn) cannot be found.")
    }
    static func noSuchSAMLProvider(_ arn: String) -> AWSError { E.noSuchEntity("Manifest not found for arn \(arn)") }
    /// GetAccountPasswordPolicy (LS:test_iam_account_password_policy).
    static func noSuchPasswordPolicy(_ account: String) -> AWSError {
        E.noSuchEntity("The Password Policy with domain name \(account) cannot be found.")
    }
    /// DeleteAccountPasswordPolicy words it differently (LS:test_iam_account_password_policy).
    static let noPasswordPolicyToDelete = E.noSuchEntity("The account policy with name PasswordPolicy cannot be found.")
    /// INFERRED: no real response found; follows the access key wording.
    static func noSuchServiceSpecificCredential(_ id: String) -> AWSError {
        E.noSuchEntity("No such credential \(id) exists")
    }
    /// INFERRED: no real response found.
    static func noSuchSAMLPrivateKey(_ id: String) -> AWSError { E.noSuchEntity("Private key \(id) cannot be found.") }
    /// INFERRED: no real response found.
    static func noSuchAccountAlias(_ alias: String) -> AWSError { E.noSuchEntity("The account alias \(alias) cannot be found.") }
    /// INFERRED: no real response found.
    static func noSuchDeletionTask(_ id: String) -> AWSError { E.noSuchEntity("Deletion task \(id) cannot be found.") }

    // MARK: EntityAlreadyExists (409)

    static func roleExists(_ name: String) -> AWSError { E.entityAlreadyExists("Role with name \(name) already exists.") }
    static func userExists(_ name: String) -> AWSError { E.entityAlreadyExists("User with name \(name) already exists.") }
    static func groupExists(_ name: String) -> AWSError { E.entityAlreadyExists("Group with name \(name) already exists.") }
    static func policyExists(_ name: String) -> AWSError {
        E.entityAlreadyExists("A policy called \(name) already exists. Duplicate names are not allowed.")
    }
    static func instanceProfileExists(_ name: String) -> AWSError {
        E.entityAlreadyExists("Instance Profile \(name) already exists.")
    }
    static func loginProfileExists(_ user: String) -> AWSError {
        E.entityAlreadyExists("Login Profile for user \(user) already exists.")
    }
    static let mfaDeviceExists = E.entityAlreadyExists("MFA device already exists.")
    static let mfaDeviceInUse = E.entityAlreadyExists("MFA Device is already in use.")
    static func serverCertificateExists(_ name: String) -> AWSError {
        E.entityAlreadyExists("The Server Certificate with name \(name) already exists.")
    }
    /// The URL as the request gave it, `https://` included (LS:test_iam_oidc).
    static func oidcProviderExists(_ url: String) -> AWSError { E.entityAlreadyExists("Provider with url \(url) already exists.") }
    /// INFERRED: no real response found.
    static func samlProviderExists(_ name: String) -> AWSError { E.entityAlreadyExists("SAMLProvider \(name) already exists.") }
    /// INFERRED: no real response found.
    static func accountAliasTaken(_ alias: String) -> AWSError {
        E.entityAlreadyExists("The account alias \(alias) already exists.")
    }

    // MARK: DeleteConflict (409)

    static let policyAttached = E.deleteConflict("Cannot delete a policy attached to entities.")
    static let policyHasVersions = E.deleteConflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
    static let defaultVersion = E.deleteConflict("Cannot delete the default version of a policy.")
    static let mustDetachPolicies = E.deleteConflict("Cannot delete entity, must detach all policies first.")
    static let mustDeletePolicies = E.deleteConflict("Cannot delete entity, must delete policies first.")
    static let mustRemoveRolesFromProfile = E.deleteConflict("Cannot delete entity, must remove roles from instance profile first.")
    static let mustDeleteLoginProfile = E.deleteConflict("Cannot delete entity, must delete login profile first.")
    static let mustDeleteAccessKeys = E.deleteConflict("Cannot delete entity, must delete access keys first.")
    static let mustDeleteMFADevice = E.deleteConflict("Cannot delete entity, must delete MFA device first.")
    /// INFERRED (moto's wording; no real response found).
    static let mustDeactivateMFADevice = E.deleteConflict("MFA VirtualDevice in use. Must deactivate first.")
    static let mustDeleteCertificates = E.deleteConflict("Cannot delete entity, must delete certificates first.")
    static let mustRemoveReferencedObjects = E.deleteConflict("Cannot delete entity, must remove referenced objects first.")
    static let mustRemoveUsersFromGroup = E.deleteConflict("Cannot delete entity, must remove users from group first.")

    // MARK: LimitExceeded (409)

    static func quota(_ name: String, _ limit: Int) -> AWSError { E.limitExceeded("Cannot exceed quota for \(name): \(limit)") }
    static func inlinePolicySize(_ owner: InlineOwner, _ name: String, limit: Int) -> AWSError {
        E.limitExceeded("Maximum policy size of \(limit) bytes exceeded for \(owner.rawValue) \(name)")
    }
    static let tooManyVersions = E.limitExceeded(
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
    static let tooManyTags = E.limitExceeded("The number of tags has reached the maximum limit.")
    /// INFERRED: the AWS quotas page names the quota "SSH public keys per user"; the identifier is a guess.
    static let tooManySSHPublicKeys = quota("PublicKeysPerUser", 5)
    static let tooManySigningCertificates = quota("CertificatesPerUser", 2)
    static let tooManyClientIds = quota("ClientIdsPerOpenIdConnectProvider", 100)
    /// INFERRED: the quota identifier is a guess.
    static let tooManyServiceSpecificCredentials = quota("ServiceSpecificCredentialsPerUserPerService", 2)
    /// INFERRED: the quota identifier is a guess (quotas page: 20 server certificates per account).
    static let tooManyServerCertificates = quota("ServerCertificatesPerAccount", 20)
    /// INFERRED: the quota identifier is a guess (quotas page: 100 providers of each kind).
    static let tooManyOIDCProviders = quota("OpenIdConnectProvidersPerAccount", 100)
    static let tooManySAMLProviders = quota("SAMLProvidersPerAccount", 100)

    // MARK: Credentials and certificates

    /// CloudFormation and boto quotes of real AWS output carry this sentence alone.
    static let passwordPolicyViolation = E.passwordPolicyViolation("Password does not conform to the account password policy.")
    /// Under AWS's default policy (no account policy): CreateLoginProfile with a password of
    /// lowercase letters and numbers answered "Password should meet 1 more of the following
    /// requirements: Password should have at least one uppercase letter, Password should have at
    /// least one symbol" (boto3 output; docs/research/fidelity-issue18.md §10). No full stop.
    static func defaultPasswordPolicyViolation(needed: Int, missing: [String]) -> AWSError {
        E.passwordPolicyViolation("Password should meet \(needed) more of the following requirements: " + missing.joined(separator: ", "))
    }
    /// Confirmed in recorded output of an IAM-compatible service and in user reports.
    static let invalidAuthenticationCode = E.invalidAuthenticationCode("Authentication code for device is not valid.")
    /// LS:test_iam_signing_certificates: the body is echoed.
    static func malformedCertificate(_ body: String) -> AWSError { E.malformedCertificate("Certificate \(body) is malformed.") }
    /// INFERRED.
    static let malformedPrivateKey = E.malformedCertificate("Private key is malformed.")
    /// INFERRED.
    static let malformedChain = E.malformedCertificate("Certificate chain is malformed.")
    /// INFERRED (the model's description of the error).
    static let keyPairMismatch = E.keyPairMismatch("The public key certificate does not match the private key.")
    /// INFERRED (the model's description of the error).
    static let duplicateSigningCertificate = E.duplicateCertificate(
        "The request was rejected because the same certificate is associated with an IAM user in the account.")
    /// INFERRED (the model's description of the error).
    static let duplicateSSHPublicKey = E.duplicateSSHPublicKey(
        "The request was rejected because the SSH public key is already associated with the specified IAM user.")
    /// INFERRED (the model's description of the error).
    static let invalidPublicKey = E.invalidPublicKey(
        "The request was rejected because the public key is malformed or otherwise invalid.")
    /// INFERRED (the model's description of the error).
    static let unrecognizedPublicKeyEncoding = E.unrecognizedPublicKeyEncoding(
        "The request was rejected because the public key encoding format is unsupported or unrecognized.")
    /// INFERRED.
    static let wrongOldPassword = E.invalidInput("The old password is not correct.")
    /// INFERRED.
    static let onlyUsersChangePasswords = E.invalidUserType("Only IAM users can change their own password.")
    /// INFERRED.
    static let passwordRequired = validation("Password is required.")
    /// INFERRED.
    /// Recorded against AWS (LocalStack's test_iam ServiceSpecificCredentials tests, 2025-03 and 2026-03): not the
    /// modelled NotSupportedService, but NoSuchEntity 404, for create and list alike.
    static func serviceNotSupported(_ name: String) -> AWSError {
        AWSError(code: "NoSuchEntity", message: "No such service \(name) is supported for Service Specific Credentials", status: 404)
    }

    // Recorded against AWS (LocalStack's test_aws_managed_policy_errors, 20-02-2026): AWS managed policies are account `aws`'s.
    static let cannotDeleteOutsideAccount = AWSError(code: "AccessDenied", message: "Cannot delete policies outside your own account.", status: 403)
    static let cannotDeleteVersionsOutsideAccount = AWSError(
        code: "AccessDenied", message: "Cannot delete policy versions for policies outside your own account.", status: 403)
    static let cannotUpdateOutsideAccount = AWSError(code: "AccessDenied", message: "Cannot update policies outside your own account.", status: 403)

    // MARK: Providers, reports, service-linked roles

    static let tooManyThumbprints = E.invalidInput("Thumbprint list must contain fewer than 5 entries.")
    static let invalidOIDCURL = validation("Invalid Open ID Connect Provider URL")
    /// CreateSAMLProvider / UpdateSAMLProvider with metadata IAM cannot read. The text is the IAM User
    /// Guide's ("Troubleshooting SAML 2.0 federation": "Error: Could not parse metadata."), the code
    /// InvalidInput (400) as reported for CreateSAMLProvider; the same words as `SAMLError.metadataInvalid`.
    static let invalidSAMLMetadata = E.invalidInput("Could not parse metadata.")
    /// ReportNotPresent carries no message (LS:test_iam_credential_report).
    static let reportNotPresent = E.credentialReportNotPresent(nil)
    /// INFERRED (the model's description of the error).
    static let reportExpired = E.credentialReportExpired(
        "The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.")
    /// INFERRED (the model's description of the error).
    static let reportInProgress = E.credentialReportNotReady(
        "The request was rejected because the credential report is still being generated.")
    /// Confirmed by many CLI transcripts.
    static func serviceLinkedRoleTaken(_ name: String) -> AWSError {
        E.invalidInput("Service role name \(name) has been taken in this account, please try a different suffix.")
    }
    /// INFERRED.
    static func unknownLinkedService(_ service: String) -> AWSError {
        E.invalidInput("Service \(service) does not support service-linked roles.")
    }
    /// INFERRED.
    static func customSuffixNotAllowed(_ service: String) -> AWSError {
        E.invalidInput("Custom suffix is not allowed for \(service)")
    }
    /// INFERRED.
    static func notServiceLinkedRole(_ name: String) -> AWSError {
        E.invalidInput("Role \(name) is not a service-linked role.")
    }

    // MARK: Input

    static func validation(_ message: String) -> AWSError { AWSError(code: "ValidationError", message: message, status: 400) }
    static func invalidInput(_ message: String) -> AWSError { E.invalidInput(message) }
    static func malformedPolicy(_ message: String) -> AWSError { E.malformedPolicyDocument(message) }
    static func invalidARN(_ value: String) -> AWSError { validation("ARN \(value) is not valid.") }
    static let invalidMarker = validation("Invalid Marker.")
    /// A tag key beginning with `aws:` (ReservedTagKey). INFERRED: the code is IAM's for bad tags
    /// (the duplicate-key refusals are InvalidInput, LS:test_iam_roles); no real response to an `aws:`
    /// key was found, so the words follow the IAM User Guide's rule ("You cannot create a tag key or
    /// value that begins with the text aws:. This tag prefix is reserved for AWS internal use.").
    static let reservedTagKey = E.invalidInput("Tag keys cannot begin with aws:. This tag prefix is reserved for AWS internal use.")
    static let userNameRequired = validation("Must specify userName when calling with non-User credentials")

    /// AWS managed policies belong to AWS: no account may change them.
    static func awsManagedPolicy(_ arn: String, action: String, principal: String) -> AWSError {
        AWSError(
            code: "AccessDenied",
            message: "User: \(principal) is not authorized to perform: \(action) on resource: policy \(arn)", status: 403)
    }

    static func protectedRole(_ name: String) -> AWSError {
        E.unmodifiableEntity("Cannot perform the operation on the protected role '\(name)' - this role is only modifiable by AWS")
    }
}

/// Which kind of identity an inline policy belongs to, as IAM names it in messages.
enum InlineOwner: String, Sendable {
    case role, user, group
}
