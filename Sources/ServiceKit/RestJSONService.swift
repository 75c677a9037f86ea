import AWSShapes
import AWSWire
import JSON

/// One operation of a REST-JSON service: how its input is read from the
/// request's path, query string and JSON body, and how its output is written.
///
/// Hand-written per operation, not generated: ShapeGen speaks query and
/// JSON 1.1, and the one REST-JSON service Gatehouse serves (Access Analyzer)
/// implements a handful of its operations (docs/architecture.md).
public protocol RestJSONOperation: SendableMetatype {
    associatedtype Input: Sendable
    associatedtype Output: Sendable
    static var name: String { get }
    /// The typed input, or the service's own validation error.
    static func decode(_ request: RestJSONRequest) throws(AWSError) -> Input
    static func encode(_ output: Output) -> [UInt8]
}

/// A REST-JSON request once its route is known: the path's labelled
/// segments, the query string and the JSON body (an empty object when there is none).
public struct RestJSONRequest: Sendable {
    public var pathParameters: [String: String]
    public var query: [String: String]
    public var body: JSONObject

    public init(pathParameters: [String: String] = [:], query: [String: String] = [:], body: JSONObject = JSONObject()) {
        self.pathParameters = pathParameters
        self.query = query
        self.body = body
    }
}

/// A REST-JSON service (Access Analyzer): the model's routes (method and
/// request URI per operation) and the path every request takes — route,
/// parse, decode, validate, authorize, handle, encode. Errors carry their
/// code in `x-amzn-ErrorType` (`ServiceResponse.error`).
public final class RestJSONService: Sendable {
    /// One operation's `http` binding in the service model: `GET /analyzer/{analyzerName}`.
    public struct Route: Sendable {
        public let method: String
        public let operation: String
        let segments: [Segment]

        enum Segment: Sendable, Equatable {
            case literal(String)
            case label(String)
        }

        /// - Parameter uri: the model's `requestUri`; a query part in it is not part of the route.
        ///   A label matches one segment: Access Analyzer's model has no greedy (`{name+}`) labels.
        public init(_ method: String, _ uri: String, _ operation: String) {
            self.method = method
            self.operation = operation
            let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            segments = path.split(separator: "/").map { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}")
                    ? .label(String(segment.dropFirst().dropLast()))
                    : .literal(String(segment))
            }
        }

        var literalCount: Int { segments.count { if case .literal = $0 { true } else { false } } }

        /// The labels' values when `path`'s segments (still percent-encoded) fit this route.
        func match(_ path: [Substring]) -> [String: String]? {
            guard path.count == segments.count else { return nil }
            var labels: [String: String] = [:]
            for (segment, text) in zip(segments, path) {
                switch segment {
                case .literal(let literal): guard literal == text else { return nil }
                case .label(let name):
                    guard !text.isEmpty else { return nil }
                    labels[name] = FormEncoding.percentDecode(String(text))
                }
            }
            return labels
        }
    }

    struct Entry: Sendable {
        let call: @Sendable (RestJSONRequest, OperationContext) async -> Result<[UInt8], AWSError>
    }

    public let name: String
    public let signingName: String
    public let wire = WireProtocol.restJSON
    private let routes: [Route]
    private let entries: [String: Entry]
    private let malformedBody: @Sendable () -> AWSError

    /// - Parameters:
    ///   - routes: every operation of the model, implemented or not, so that an
    ///     operation Gatehouse lacks is named as such rather than unknown.
    ///   - malformedBody: how the service refuses a body that is not a JSON object.
    public init(
        name: String, signingName: String, routes: [Route], malformedBody: @escaping @Sendable () -> AWSError,
        register: (inout Registrar) -> Void
    ) {
        self.name = name
        self.signingName = signingName
        // A literal segment wins over a label (`/analyzer/findings/statistics`
        // is not `/analyzer/{analyzerName}`), whatever the model's order.
        self.routes = routes.sorted { $0.literalCount > $1.literalCount }
        self.malformedBody = malformedBody
        var registrar = Registrar(actionPrefix: signingName)
        register(&registrar)
        self.entries = registrar.entries
    }

    public var implementedOperations: [String] { entries.keys.sorted() }
    public var modelOperations: [String] { routes.map(\.operation).sorted() }

    /// The operation `method` and `path` (percent-encoded) address, with its path labels.
    public func route(method: String, path: String) -> (operation: String, pathParameters: [String: String])? {
        let segments = path.split(separator: "/")
        for route in routes where route.method == method {
            if let labels = route.match(segments) { return (route.operation, labels) }
        }
        return nil
    }

    public func dispatch(
        method: String, path: String, query: [String: String], body: [UInt8], context: OperationContext
    ) async -> ServiceResponse {
        switch await call(method: method, path: path, query: query, body: body, context: context) {
        case .success(let bytes):
            return ServiceResponse(status: 200, contentType: Envelope.restJSONContentType, body: bytes)
        case .failure(let error):
            return .error(error, wire: wire, requestId: context.requestId)
        }
    }

    /// The operation the request addresses, up to its encoded output or AWS's error.
    public func call(
        method: String, path: String, query: [String: String], body: [UInt8], context: OperationContext
    ) async -> Result<[UInt8], AWSError> {
        guard let (operation, labels) = route(method: method, path: path) else {
            return .failure(FrontDoorError.unknownOperation(wire, action: "\(method) \(path)", version: nil))
        }
        guard let entry = entries[operation] else {
            return .failure(FrontDoorError.notImplemented(wire, service: name, operation: operation))
        }
        var object = JSONObject()
        if !body.isEmpty {
            guard case .object(let parsed)? = try? JSONParser.parse(body) else { return .failure(malformedBody()) }
            object = parsed
        }
        return await entry.call(RestJSONRequest(pathParameters: labels, query: query, body: object), context)
    }

    public struct Registrar {
        let actionPrefix: String
        var entries: [String: Entry] = [:]

        public mutating func register<Op: RestJSONOperation>(_ operation: Op.Type, _ behaviour: OperationBehaviour<Op.Input, Op.Output>) {
            let action = actionPrefix + ":" + Op.name
            entries[Op.name] = Entry { request, context in
                let input: Op.Input
                do throws(AWSError) {
                    input = try Op.decode(request)
                } catch {
                    return .failure(error)
                }
                return await behaviour.run(to: input, named: Op.name, action: action, context: context, wire: .restJSON)
                    .map(Op.encode)
            }
        }
    }
}
