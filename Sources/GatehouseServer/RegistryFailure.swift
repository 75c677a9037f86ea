import HTTPTypes
import Hummingbird
import NIOCore
import Registry

/// A registry error (`{"errors":[…]}`, or the Basic challenge) as an HTTP
/// answer, from wherever in `/v2` it is thrown: authentication or the handler.
struct RegistryFailure: HTTPResponseError {
    let error: RegistryError

    init(_ error: RegistryError) {
        self.error = error
    }

    var status: HTTPResponse.Status { HTTPResponse.Status(code: error.status) }

    func response(from request: Request, context: some RequestContext) -> Response {
        Response(error.response, to: request)
    }
}

extension Response {
    /// A registry answer as it goes out: with what every registry answer carries
    /// (`RegistryResponse.finished`), file bodies streamed.
    init(_ answer: RegistryResponse, to request: Request) {
        let answer = answer.finished(method: request.method.rawValue)
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        let status = HTTPResponse.Status(code: answer.status)
        switch answer.body {
        case .empty:
            self.init(status: status, headers: fields)
        case .bytes(let bytes):
            self.init(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .file(let path, let offset, let length):
            self.init(status: status, headers: fields, body: FileBody.stream(path: path, offset: offset, length: length))
        }
    }
}
