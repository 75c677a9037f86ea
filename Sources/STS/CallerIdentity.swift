import AWSShapes
import ServiceKit

/// GetCallerIdentity: who signed the request. AWS never denies it.
enum CallerIdentity {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(STSOperation.GetCallerIdentity.self, access: .alwaysAllowed) { _, context in
            let principal = context.principal
            return STSShapes.GetCallerIdentityResponse(account: principal.accountId, arn: principal.arn, userId: principal.userId)
        }
    }
}
