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

    // MARK: Input

    static func validation(_ message: String) -> AWSError { AWSError(code: "ValidationError", message: message, status: 400) }
    static func invalidInput(_ message: String) -> AWSError { E.invalidInput(message) }
    static func malformedPolicy(_ message: String) -> AWSError { E.malformedPolicyDocument(message) }
    static func invalidARN(_ value: String) -> AWSError { validation("ARN \(value) is not valid.") }
    static let invalidMarker = validation("Invalid Marker.")
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
