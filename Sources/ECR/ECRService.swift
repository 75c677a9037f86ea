import AWSShapes
import ServiceKit

/// Amazon Elastic Container Registry: the control plane.
public enum ECRService {
    public static func make() -> JSONService {
        JSONService(
            name: "ECR", signingName: ECRShapes.signingName, targetPrefix: ECRShapes.targetPrefix,
            operations: ECROperation.names, validationError: invalidParameter
        ) { registrar in
            Repositories.register(&registrar)
            LayerUploads.register(&registrar)
            Images.register(&registrar)
            RepositoryPolicies.register(&registrar)
            AuthorizationTokens.register(&registrar)
            LifecyclePolicies.register(&registrar)
            RegistryPolicies.register(&registrar)
            Replication.register(&registrar)
            AccountSettings.register(&registrar)
            RegistryScanning.register(&registrar)
            ImageScans.register(&registrar)
            PullThroughCacheRules.register(&registrar)
            CreationTemplates.register(&registrar)
            SigningConfigurations.register(&registrar)
            PullTimeUpdateExclusions.register(&registrar)
            ImageReferrers.register(&registrar)
            ImageStorageClasses.register(&registrar)
        }
    }

    /// ECR words model-constraint failures its own way, one at a time:
    /// `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '…''`.
    static func invalidParameter(_ violations: [ConstraintViolation]) -> AWSError {
        let first = violations[0]
        if let values = first.enumValues { return ECRError.enumValue(first.path, values) }
        var constraint = first.constraint
        if constraint.hasPrefix("Member must satisfy regular expression pattern: ") {
            constraint = "must satisfy regular expression '" + constraint.dropFirst("Member must satisfy regular expression pattern: ".count) + "'"
        } else if constraint.hasPrefix("Member must have length") {
            constraint = String(constraint.dropFirst("Member ".count))
        }
        return ECRShapes.Errors.invalidParameter("Invalid parameter at '\(first.path)' failed to satisfy constraint: '\(constraint)'")
    }
}
