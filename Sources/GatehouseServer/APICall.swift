import AWSShapes
import AWSWire
import ServiceKit

/// An AWS API request as the front door read it, before authentication:
/// SigV4 checks the signature over these bytes, for this operation's service.
struct APICall: Sendable {
    enum Operation: Sendable {
        /// JSON 1.1, named by `X-Amz-Target` (ECR).
        case json(JSONService, operation: String)
        /// Query protocol, named by `Action` (IAM, STS); `parameters` are the
        /// query string's and the form body's.
        case query(QueryService, action: String, version: String?, parameters: [String: String])
        /// REST-JSON, named by method and path (Access Analyzer); the service routes it.
        case rest(RestJSONService)
    }

    /// The request with its body.
    var wire: WireRequest
    var now: Timestamp
    var requestId: String
    /// The signature the request claims (nil when it carries none), or why it cannot be read.
    var claim: Result<SigV4.Claim?, SigV4.Failure>
    var operation: Operation

    /// The protocol errors about this call are written in.
    var wireProtocol: WireProtocol {
        switch operation {
        case .json(let service, _): service.wire
        case .query(let service, _, _, _): service.wire
        case .rest(let service): service.wire
        }
    }

    /// The SigV4 service name the signature must be scoped to.
    var signingName: String {
        switch operation {
        case .json(let service, _): service.signingName
        case .query(let service, _, _, _): service.signingName
        case .rest(let service): service.signingName
        }
    }

    /// An error about this call, as its protocol writes it.
    func failure(_ error: AWSError) -> APIFailure {
        APIFailure(error, wire: wireProtocol, requestId: requestId)
    }
}
