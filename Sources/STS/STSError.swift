import AWSShapes

/// AWS's STS error messages, each written once (docs/research/wire-sts-ecr.md §4–5).
enum STSError {
    static func accessDenied(_ message: String) -> AWSError { AWSError(code: "AccessDenied", message: message, status: 403) }
    static func validation(_ message: String) -> AWSError { AWSError(code: "ValidationError", message: message, status: 400) }

    static func invalidParameterValue(_ message: String) -> AWSError {
        AWSError(code: "InvalidParameterValue", message: message, status: 400)
    }
    // Recorded against AWS (LocalStack's test_sts TestSTSAssumeRoleTagging, 10-04-2025; docs/research/fidelity-issue18.md §7).
    static let transitiveKeyNotInTags = invalidParameterValue("The specified transitive tag key must be included in the requested tags.")
    static let transitiveKeyConflict = invalidParameterValue(
        "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
    static let rootCannotAssumeRoles = accessDenied("Roles may not be assumed by root accounts.")
    static let sessionTokenFromSession = accessDenied("Cannot call GetSessionToken with session credentials")
    static let federationTokenFromSession = accessDenied("Cannot call GetFederationToken with session credentials")
    static let durationOverRoleMaximum = validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
    static let durationOverChainingLimit = validation(
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
    static let invalidMFA = accessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code. ")
    /// A serial number that is not the caller's device (CLI outputs quoting it, two spaces included;
    /// docs/research/fidelity-issue18.md §19).
    static let unknownMFADevice = accessDenied(
        "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")

    /// The same text whether the trust policy, the caller's policies or a missing role refused it.
    static func cannotAssume(_ caller: String, _ roleArn: String) -> AWSError {
        accessDenied("User: \(caller) is not authorized to perform: sts:AssumeRole on resource: \(roleArn)")
    }

    static func invalidArn(_ value: String) -> AWSError { validation("\(value) is invalid") }

    static func packedPolicyTooLarge(_ percent: Int) -> AWSError {
        STSShapes.Errors.packedPolicyTooLarge("Packed policy consumes \(percent)% of allotted space")
    }

    static func malformedPolicy(_ message: String) -> AWSError { STSShapes.Errors.malformedPolicyDocument(message) }
}
