import AWSShapes
import PolicyEngine
import ServiceKit
import Storage

/// Issues temporary credentials: an `ASIA…` key, a secret and a token, stored
/// so every later request can be verified against them (and refused once
/// they expire, or once the role behind them is deleted).
enum SessionIssuer {
    struct Issued: Sendable {
        var credentials: STSShapes.Credentials
    }

    static func issue(
        kind: SessionKind, accountId: String, roleId: String? = nil, userId: String? = nil, sessionName: String?,
        duration: Int, sessionContext: SessionContext, context: OperationContext, _ tx: Transaction
    ) throws -> STSShapes.Credentials {
        let ids = context.ids
        let accessKeyId = ids.accessKeyId(.temporaryAccessKey)
        let secret = ids.secretAccessKey()
        let token = ids.sessionToken()
        let issuedAt = context.now.secondsSince1970.rounded(.down)
        let expiresAt = issuedAt + Double(duration)
        try tx.insert(SessionCredentialRecord(
            accessKeyId: accessKeyId, secret: secret, sessionToken: token, accountId: accountId, kind: kind.rawValue,
            roleId: roleId, userId: userId, sessionName: sessionName, issuedAt: issuedAt, expiresAt: expiresAt,
            context: sessionContext.json))
        return STSShapes.Credentials(
            accessKeyId: accessKeyId, expiration: Timestamp(secondsSince1970: expiresAt), secretAccessKey: secret, sessionToken: token)
    }
}

/// Session policies (`Policy`, `PolicyArns`) and session tags, validated and
/// measured as STS packs them.
struct SessionPolicies: Sendable {
    var policy: String?
    var policyArns: [String]
    var tags: [String: String]

    /// The packed form's budget; STS reports its use as a percentage.
    static let packedCapacity = 2048

    init(policy: String?, policyArns: [STSShapes.PolicyDescriptorType]?, tags: [STSShapes.Tag]?) throws {
        self.policy = policy
        self.policyArns = (policyArns ?? []).compactMap(\.arn)
        var tagMap: [String: String] = [:]
        var seen: Set<String> = []
        for tag in tags ?? [] {
            // Session tag keys are case-insensitive.
            guard seen.insert(tag.key.lowercased()).inserted else {
                throw AWSError(
                    code: "InvalidParameterValue",
                    message: "Duplicate tag keys found. Please note that Tag keys are case insensitive.", status: 400)
            }
            tagMap[tag.key] = tag.value
        }
        self.tags = tagMap
        if let policy {
            do {
                _ = try PolicyDocument.parse(policy, kind: .identity)
            } catch {
                throw STSError.malformedPolicy(error.message)
            }
        }
    }

    var isEmpty: Bool { policy == nil && policyArns.isEmpty && tags.isEmpty }

    /// How much of the packed budget the session policies and tags use, in
    /// percent: whitespace is not counted, as IAM counts policy sizes.
    var packedPercent: Int {
        var bytes = 0
        if let policy { bytes += PolicyDocument.size(of: policy) }
        bytes += policyArns.reduce(0) { $0 + $1.count }
        bytes += tags.reduce(0) { $0 + $1.key.count + $1.value.count + 2 }
        return (bytes * 100 + Self.packedCapacity - 1) / Self.packedCapacity
    }

    /// `PackedPolicySize` for the response (nil when nothing was passed), or
    /// `PackedPolicyTooLarge` when the budget is exceeded.
    func packedSize() throws -> Int? {
        guard !isEmpty else { return nil }
        let percent = packedPercent
        if percent > 100 { throw STSError.packedPolicyTooLarge(percent) }
        return percent
    }
}
