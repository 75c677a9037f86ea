import AWSShapes
import ServiceKit

/// AWS Identity and Access Management: the identity store.
public enum IAMService {
    public static func make() -> QueryService {
        QueryService(
            name: "IAM", signingName: IAMShapes.signingName, namespace: IAMShapes.xmlNamespace,
            apiVersion: IAMShapes.apiVersion, operations: IAMOperation.names, unsigned: IAMOperation.unsigned
        ) { registrar in
            _ = registrar
        }
    }
}
