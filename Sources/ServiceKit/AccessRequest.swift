import AWSWire

/// One authorization an operation asks for: an IAM action on a resource, with
/// the condition keys the operation supplies (as AWS's Service Authorization
/// Reference lists them). Global keys (`aws:*` of the caller and request) are
/// added by the authorizer.
public struct AccessRequest: Sendable, Equatable {
    /// `service:Action`, e.g. `iam:CreateRole`.
    public var action: String
    /// The resource ARN, or `*` for actions without a resource type.
    public var resource: String
    /// Condition keys from the request: `iam:PassedToService`, `aws:RequestTag/k`, …
    public var keys: [String: [String]]
    /// The account that owns the resource when its ARN does not say (or says
    /// `aws`, for AWS managed policies that every account may read).
    public var resourceAccount: String?

    public init(action: String, resource: String, keys: [String: [String]] = [:], resourceAccount: String? = nil) {
        self.action = action
        self.resource = resource
        self.keys = keys
        self.resourceAccount = resourceAccount
    }
}

/// How an operation is authorized.
public enum Access<Input>: Sendable {
    /// AWS never denies it (sts:GetCallerIdentity).
    case alwaysAllowed
    /// Served unsigned; the handler establishes trust itself (AssumeRoleWithWebIdentity).
    case unsigned
    /// Every request must be allowed by policy.
    case check(@Sendable (Input, OperationContext) throws -> [AccessRequest])
}

/// Decides requests against the stored policies; throws AWS's AccessDenied
/// (in the wire protocol's form) on a refusal.
public protocol Authorizer: Sendable {
    func authorize(_ requests: [AccessRequest], context: OperationContext, wire: WireProtocol) throws
}
