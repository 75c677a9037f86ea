import AWSShapes
import AWSWire
import GRDB
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

        r.register(STSOperation.GetAccessKeyInfo.self, access: .check { _, _ in
            [AccessRequest(action: "sts:GetAccessKeyInfo", resource: "*")]
        }) { input, context in
            try await context.store.read { db in
                let account =
                    try String.fetchOne(db, cached: "SELECT accountId FROM accessKey WHERE id = ?", arguments: [input.accessKeyId])
                    ?? String.fetchOne(db, cached: "SELECT accountId FROM sessionCredential WHERE accessKeyId = ?", arguments: [input.accessKeyId])
                // A key Gatehouse never issued belongs to no account it knows.
                guard let account else { throw FrontDoorError.invalidClientToken(.query(namespace: STSShapes.xmlNamespace)) }
                return STSShapes.GetAccessKeyInfoResponse(account: account)
            }
        }
    }
}
