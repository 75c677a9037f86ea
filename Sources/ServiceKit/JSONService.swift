import AWSShapes
import AWSWire
import JSON
import Logging

/// A JSON 1.1 service (ECR): the operation table and the path every request
/// takes — parse, decode, validate, authorize, handle, encode.
public final class JSONService: Sendable {
    /// An operation run on its JSON body, up to its output: what the console
    /// calls as the signed-in principal, and what `dispatch` encodes.
    public typealias Call = @Sendable (JSONValue, OperationContext) async -> Result<any JSONOutputShape, AWSError>

    struct Entry: Sendable {
        let call: Call
        let encode: @Sendable (any JSONOutputShape) -> [UInt8]
    }

    public let name: String
    public let signingName: String
    /// `AmazonEC2ContainerRegistry_V20150921`
    public let targetPrefix: String
    private let modelOperations: Set<String>
    private let entries: [String: Entry]

    public let wire = WireProtocol.json

    /// - Parameter validationError: how this service words model-constraint
    ///   failures (services differ: ECR answers InvalidParameterException).
    public init(
        name: String, signingName: String, targetPrefix: String, operations: [String],
        validationError: @escaping @Sendable ([ConstraintViolation]) -> AWSError, register: (inout Registrar) -> Void
    ) {
        self.name = name
        self.signingName = signingName
        self.targetPrefix = targetPrefix
        self.modelOperations = Set(operations)
        var registrar = Registrar(actionPrefix: signingName, validationError: validationError)
        register(&registrar)
        self.entries = registrar.entries
    }

    public var implementedOperations: [String] { entries.keys.sorted() }

    /// The operation named by an `X-Amz-Target` header, when it addresses this service.
    public func operation(fromTarget target: String) -> String? {
        guard target.hasPrefix(targetPrefix + ".") else { return nil }
        return String(target.dropFirst(targetPrefix.count + 1))
    }

    public func isKnown(_ operation: String) -> Bool { modelOperations.contains(operation) }

    public func dispatch(operation: String, body: [UInt8], context: OperationContext) async -> ServiceResponse {
        guard modelOperations.contains(operation) else {
            return .error(FrontDoorError.unknownOperation(wire, action: operation, version: nil), wire: wire, requestId: context.requestId)
        }
        let value: JSONValue
        if body.isEmpty {
            value = .object(JSONObject())
        } else {
            do {
                value = try JSONParser.parse(body)
            } catch {
                return .error(FrontDoorError.serialization(nil), wire: wire, requestId: context.requestId)
            }
        }
        guard case .object = value else {
            return .error(FrontDoorError.serialization("Start of list found where not expected"), wire: wire, requestId: context.requestId)
        }
        guard let entry = entries[operation] else {
            return .error(FrontDoorError.notImplemented(wire, service: name, operation: operation), wire: wire, requestId: context.requestId)
        }
        switch await entry.call(value, context) {
        case .success(let output):
            return ServiceResponse(status: 200, contentType: Envelope.jsonContentType, body: entry.encode(output))
        case .failure(let error):
            return .error(error, wire: wire, requestId: context.requestId)
        }
    }

    /// The operation named `operation` on its JSON body (an instructor's lab seed names operations by name).
    public func call(action operation: String, body: JSONValue, context: OperationContext) async -> Result<any JSONOutputShape, AWSError> {
        guard let entry = entries[operation] else {
            return .failure(
                modelOperations.contains(operation)
                    ? FrontDoorError.notImplemented(wire, service: name, operation: operation)
                    : FrontDoorError.unknownOperation(wire, action: operation, version: nil))
        }
        return await entry.call(body, context)
    }

    /// The operation on its JSON body, as `context.principal`, through the
    /// same decoding, validation, authorization and transaction as a signed
    /// request: the seam the web console calls.
    public func call<Op: JSONOperation>(_ operation: Op.Type, _ body: JSONValue, context: OperationContext) async
        -> Result<Op.Output, AWSError>
    {
        guard let entry = entries[Op.name] else {
            return .failure(FrontDoorError.notImplemented(wire, service: name, operation: Op.name))
        }
        return await entry.call(body, context).map { $0 as! Op.Output }
    }

    public struct Registrar {
        let actionPrefix: String
        let validationError: @Sendable ([ConstraintViolation]) -> AWSError
        var entries: [String: Entry] = [:]

        public mutating func register<Op: JSONOperation>(_ operation: Op.Type, _ behaviour: OperationBehaviour<Op.Input, Op.Output>) {
            let validationError = self.validationError
            let action = actionPrefix + ":" + Op.name
            let call: Call = { body, context in
                let wire = WireProtocol.json
                let decoded: Result<(Op.Input, [ConstraintViolation]), ShapeDecodingError> = Result {
                    () throws(ShapeDecodingError) in try JSONShapeDecoder.decode(Op.Input.self, from: body)
                }
                switch decoded {
                case .failure(let error):
                    return .failure(FrontDoorError.serialization(error.message))
                case .success(let (input, violations)):
                    guard violations.isEmpty else { return .failure(validationError(violations)) }
                    return await behaviour.run(to: input, named: Op.name, action: action, context: context, wire: wire).map { $0 }
                }
            }
            entries[Op.name] = Entry(call: call) { output in Envelope.jsonResponse(output as! Op.Output) }
        }

        /// An operation that authorizes and opens transactions itself.
        public mutating func register<Op: JSONOperation>(
            _ operation: Op.Type, access: Access<Op.Input>,
            handler: @escaping @Sendable (Op.Input, OperationContext) async throws -> Op.Output
        ) {
            register(operation, .standalone(access: access, handler: handler))
        }
    }
}
