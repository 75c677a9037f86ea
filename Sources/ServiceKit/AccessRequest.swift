import AWSShapes
import AWSWire
import Storage

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
    /// What the operation already loaded about the resource in its own
    /// transaction (owner, tags, resource policy), so the authorizer decides
    /// on the state the operation acts on instead of reading it again.
    public var facts: ResourceFacts

    public init(
        action: String, resource: String, keys: [String: [String]] = [:], resourceAccount: String? = nil,
        facts: ResourceFacts = .lookUp
    ) {
        self.action = action
        self.resource = resource
        self.keys = keys
        self.resourceAccount = resourceAccount
        self.facts = facts
    }
}

/// Whether the authorizer must find out about a request's resource itself.
public enum ResourceFacts: Sendable, Equatable {
    /// Ask the resource's service (its `ResourceProvider`).
    case lookUp
    /// Loaded by the operation; nil when the resource does not exist.
    case loaded(ResourceInformation?)
}

/// A refusal by policy, in no protocol's form yet: the pipeline renders it as
/// AWS does for the request's protocol.
public struct AccessDenied: Error, Sendable, Equatable {
    /// "User: ARN is not authorized to perform: ACTION on resource: … because …"
    public var message: String

    public init(message: String) { self.message = message }

    /// `AccessDenied` (query, 403) or `AccessDeniedException` (JSON 1.1, 400; REST-JSON, 403).
    public func error(for wire: WireProtocol) -> AWSError {
        switch wire {
        case .query: AWSError(code: "AccessDenied", message: message, status: 403)
        case .json: AWSError(code: "AccessDeniedException", message: message, status: 400)
        // 403 in REST-JSON (Access Analyzer's AccessDeniedException, docs/research/access-analyzer.md §1.4).
        case .restJSON: AWSError(code: "AccessDeniedException", message: message, status: 403)
        }
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

/// Decides requests against the stored policies; throws `AccessDenied` on a refusal.
public protocol Authorizer: Sendable {
    /// - Parameter transaction: the operation's own transaction, when it has
    ///   one: what the authorizer reads, it reads there.
    func authorize(_ requests: [AccessRequest], context: OperationContext, in transaction: Transaction?) throws
}
