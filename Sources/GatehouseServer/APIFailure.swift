import AWSShapes
import AWSWire
import HTTPTypes
import Hummingbird
import ServiceKit

/// An AWS error as the API that was called writes it — query XML for IAM
/// and STS, JSON 1.1 for ECR — with the request id. Front-door refusals
/// (bodies, dispatch, authentication) are thrown as one; the services'
/// own errors come back rendered the same way, by `ServiceResponse.error`.
struct APIFailure: HTTPResponseError {
    let error: AWSError
    let wire: WireProtocol
    let requestId: String
    /// Set when the rest of the body was left unread: the connection cannot carry another request.
    var closesConnection = false

    init(_ error: AWSError, wire: WireProtocol, requestId: String, closesConnection: Bool = false) {
        self.error = error
        self.wire = wire
        self.requestId = requestId
        self.closesConnection = closesConnection
    }

    var status: HTTPResponse.Status { HTTPResponse.Status(code: error.status) }

    func response(from request: Request, context: some RequestContext) -> Response {
        var response = Response(.error(error, wire: wire, requestId: requestId), requestId: requestId)
        if closesConnection { response.headers[.connection] = "close" }
        return response
    }
}

extension Response {
    /// A service's answer, with the request id AWS puts on every API response.
    init(_ answer: ServiceResponse, requestId: String) {
        var headers = HTTPFields()
        headers[.contentType] = answer.contentType
        headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
        for (name, value) in answer.headers {
            headers[HTTPField.Name(name)!] = value
        }
        self.init(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
