import AWSShapes
import ServiceKit

/// AWS Security Token Service: every way to get credentials, and who am I.
public enum STSService {
    public static func make() -> QueryService {
        QueryService(
            name: "STS", signingName: STSShapes.signingName, namespace: STSShapes.xmlNamespace,
            apiVersion: STSShapes.apiVersion, operations: STSOperation.names, unsigned: STSOperation.unsigned, echoesValues: true
        ) { registrar in
            CallerIdentity.register(&registrar)
            AssumeRole.register(&registrar)
            SessionTokens.register(&registrar)
            AssumeRoleWithWebIdentity.register(&registrar)
            AssumeRoleWithSAML.register(&registrar)
            OrganizationFeatures.register(&registrar)
        }
    }
}
