import HTTPTypes
import Hummingbird

/// How every admin endpoint says no: `{"error": MESSAGE}` with a status.
struct AdminFailure: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    func response(from request: Request, context: some RequestContext) -> Response {
        AdminEndpoints.json(status) { w in
            w.key("error")
            w.value(message)
        }
    }
}
