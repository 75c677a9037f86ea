import AWSShapes
import ServiceKit

/// AWS Identity and Access Management: the identity store.
public enum IAMService {
    public static func make() -> QueryService {
        QueryService(
            name: "IAM", signingName: IAMShapes.signingName, namespace: IAMShapes.xmlNamespace,
            apiVersion: IAMShapes.apiVersion, operations: IAMOperation.names, unsigned: IAMOperation.unsigned, echoesValues: false,
            validationMessage: pathMessage
        ) { registrar in
            Roles.register(&registrar)
            ManagedPolicies.register(&registrar)
            Attachments.register(&registrar)
            InlinePolicies.register(&registrar)
            Users.register(&registrar)
            Groups.register(&registrar)
            AccessKeys.register(&registrar)
            InstanceProfiles.register(&registrar)
            Simulation.register(&registrar)
            LoginProfiles.register(&registrar)
            PasswordPolicies.register(&registrar)
            MFADevices.register(&registrar)
            SSHPublicKeys.register(&registrar)
            SigningCertificates.register(&registrar)
            ServerCertificates.register(&registrar)
            OpenIDConnectProviders.register(&registrar)
            SAMLProviders.register(&registrar)
            ServiceLinkedRoles.register(&registrar)
            ServiceSpecificCredentials.register(&registrar)
            AccountAliases.register(&registrar)
            AccountSummary.register(&registrar)
            AccountAuthorizationDetails.register(&registrar)
            CredentialReport.register(&registrar)
            ServiceLastAccessed.register(&registrar)
            PoliciesGrantingServiceAccess.register(&registrar)
            SecurityTokenServicePreferences.register(&registrar)
            OutboundWebIdentityFederation.register(&registrar)
            OrganizationsAccess.register(&registrar)
            DelegationRequests.register(&registrar)
        }
    }

    /// IAM words a malformed path as a sentence rather than the model pattern
    /// (aws-cloudformation/cfn-lint#3020, ansible-collections/amazon.aws#2065).
    static func pathMessage(_ violations: [ConstraintViolation]) -> String? {
        for violation in violations where violation.constraint.hasPrefix("Member must satisfy regular expression pattern") {
            switch violation.path {
            case "path", "newPath":
                return "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."
            case "pathPrefix":
                return "The specified value for pathPrefix is invalid. It must begin with the / character and contain only alphanumeric characters and/or / characters."
            default:
                continue
            }
        }
        return nil
    }
}
