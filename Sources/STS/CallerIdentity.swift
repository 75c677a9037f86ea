import AWSShapes
import AWSWire
import ServiceKit
import Storage

/// Who am I, and whose key is this.
enum CallerIdentity {
    static func register(_ r: inout QueryService.Registrar) {
        // AWS never denies GetCallerIdentity.
        r.register(STSOperation.GetCallerIdentity.self, access: .alwaysAllowed) { _, context in
            let principal = context.principal
            return STSShapes.GetCallerIdentityResponse(account: principal.accountId, arn: principal.arn, userId: principal.userId)
        }

        r.register(STSOperation.GetAccessKeyInfo.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: accessKeyInfo))
    }

    static func accessKeyInfo(
        _ input: STSShapes.GetAccessKeyInfoRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> STSShapes.GetAccessKeyInfoResponse {
        // A key Gatehouse never issued belongs to no account it knows.
        guard let account = try accountOfAccessKey(input.accessKeyId, in: tx) else {
            throw FrontDoorError.invalidClientToken(.query(namespace: STSShapes.xmlNamespace))
        }
        return STSShapes.GetAccessKeyInfoResponse(account: account)
    }
}
