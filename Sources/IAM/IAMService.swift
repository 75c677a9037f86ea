import AWSShapes
import ServiceKit

/// AWS Identity and Access Management: the identity store.
public enum IAMService {
    public static func make() -> QueryService {
        QueryService(
            name: "IAM", signingName: IAMShapes.signingName, namespace: IAMShapes.xmlNamespace,
            apiVersion: IAMShapes.apiVersion, operations: IAMOperation.names, unsigned: IAMOperation.unsigned, echoesValues: false,
            validationMessage: validationMessage
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

    /// IAM's validation errors as AWS's IAM writes them: a malformed path as a sentence; otherwise
    /// the violations in the order a Java HashMap keyed by member path iterates them (recorded:
    /// `minimumPasswordLength; passwordReusePrevention; maxPasswordAge` for UpdateAccountPasswordPolicy,
    /// `clientIDList; thumbprintList; url` for CreateOpenIDConnectProvider — docs/research/fidelity-issue18.md §9),
    /// without the offending values, and an enum violation without its list of values ("Member must
    /// satisfy enum value set", recorded for UpdateServiceSpecificCredential's status, 06-03-2025, §8).
    static func validationMessage(_ violations: [ConstraintViolation]) -> String? {
        if let sentence = pathMessage(violations) { return sentence }
        let worded = JavaHashMapOrder.iterationOrder(violations, key: \.path).map { violation in
            var violation = violation
            if violation.enumValues != nil { violation.constraint = "Member must satisfy enum value set" }
            return violation
        }
        return ConstraintViolation.summary(worded, echoingValues: false)
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
