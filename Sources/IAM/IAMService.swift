import AWSShapes
import ServiceKit

/// AWS Identity and Access Management: the identity store.
public enum IAMService {
    public static func make() -> QueryService {
        QueryService(
            name: "IAM", signingName: IAMShapes.signingName, namespace: IAMShapes.xmlNamespace,
            apiVersion: IAMShapes.apiVersion, operations: IAMOperation.names, unsigned: IAMOperation.unsigned, echoesValues: false
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
        }
    }
}
