import AWSShapes
import AWSWire

/// What a service answers, ready for HTTP.
public struct ServiceResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    /// The AWS error code when this is an error (for logs and the decision log).
    public var errorCode: String?

    public init(status: Int, contentType: String, body: [UInt8], errorCode: String? = nil) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.errorCode = errorCode
    }

    public static func error(_ error: AWSError, wire: WireProtocol, requestId: String) -> ServiceResponse {
        switch wire {
        case .query(let namespace):
            ServiceResponse(
                status: error.status, contentType: Envelope.xmlContentType,
                body: Envelope.queryError(error, namespace: namespace, requestId: requestId), errorCode: error.code)
        case .json:
            ServiceResponse(
                status: error.status, contentType: Envelope.jsonContentType, body: Envelope.jsonError(error),
                errorCode: error.code)
        }
    }
}
