import AWSShapes
import AWSWire

/// What a service answers, ready for HTTP.
public struct ServiceResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    /// The AWS error code when this is an error (for logs and the decision log).
    public var errorCode: String?
    /// Headers beyond the content type and request id (REST-JSON's `x-amzn-ErrorType`).
    public var headers: [(name: String, value: String)]

    public init(
        status: Int, contentType: String, body: [UInt8], errorCode: String? = nil, headers: [(name: String, value: String)] = []
    ) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.errorCode = errorCode
        self.headers = headers
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
        case .restJSON:
            // The code goes in the header, where REST-JSON clients read it (docs/research/access-analyzer.md §1.5).
            ServiceResponse(
                status: error.status, contentType: Envelope.restJSONContentType, body: Envelope.restJSONError(error),
                errorCode: error.code, headers: [("x-amzn-ErrorType", error.code)])
        }
    }
}
