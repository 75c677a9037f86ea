import AWSShapes
import Storage

/// One request as an operation handler sees it: who asked, where, when.
public struct OperationContext: Sendable {
    public let requestId: String
    public let principal: Principal
    /// The region the request was signed for (the CLI's `--region`).
    public let region: String
    public let now: Timestamp
    public let sourceIp: String
    public let secureTransport: Bool
    public let userAgent: String?
    public let environment: ServiceEnvironment

    public init(
        requestId: String, principal: Principal, region: String, now: Timestamp, sourceIp: String,
        secureTransport: Bool, userAgent: String?, environment: ServiceEnvironment
    ) {
        self.requestId = requestId
        self.principal = principal
        self.region = region
        self.now = now
        self.sourceIp = sourceIp
        self.secureTransport = secureTransport
        self.userAgent = userAgent
        self.environment = environment
    }

    public var store: Store { environment.store }
    public var ids: any IdentifierGenerator { environment.ids }
    /// The caller's account: where IAM entities are created and looked up.
    public var accountId: String { principal.accountId }
}
