import HTTPTypes
import Hummingbird

extension RouterMethods {
    typealias Handler = @Sendable (Request, Context) async throws -> Response

    /// The methods a route answers when it answers them all. Hummingbird
    /// routes by method, but AWS's front door, the registry and the admin
    /// endpoints answer any method a path does not serve in their own
    /// protocol, so a path claims each of these. (CONNECT and extension
    /// methods are left to Hummingbird's 404.)
    static var everyMethod: [HTTPRequest.Method] { [.get, .head, .post, .put, .delete, .patch, .options, .trace] }

    /// `handler` for every method at `path`.
    @discardableResult
    func onEveryMethod(_ path: RouterPath, use handler: @escaping Handler) -> Self {
        for method in Self.everyMethod { on(path, method: method, use: handler) }
        return self
    }

    /// `handlers` for the methods they name, `otherwise` for every other method at `path`.
    @discardableResult
    func on(_ path: RouterPath, _ handlers: [HTTPRequest.Method: Handler], otherwise: @escaping Handler) -> Self {
        for method in Self.everyMethod { on(path, method: method, use: handlers[method] ?? otherwise) }
        return self
    }
}
