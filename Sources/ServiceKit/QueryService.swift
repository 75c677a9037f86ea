import AWSShapes
import AWSWire
import Logging

/// A query-protocol service (IAM, STS): its operation table and the one path
/// every request takes through it — decode, validate, authorize, handle, encode.
///
/// Operations of the model that no handler is registered for answer an honest
/// 501 naming the operation; names outside the model answer `InvalidAction`.
public final class QueryService: Sendable {
    public typealias Entry = @Sendable ([String: String], OperationContext) async -> ServiceResponse

    /// `IAM`, `STS`: used in messages.
    public let name: String
    /// The SigV4 service name (`iam`, `sts`).
    public let signingName: String
    public let namespace: String
    public let apiVersion: String
    private let modelOperations: Set<String>
    private let unsignedOperations: Set<String>
    private let entries: [String: Entry]

    public var wire: WireProtocol { .query(namespace: namespace) }

    /// - Parameters:
    ///   - echoesValues: whether validation errors quote the offending value
    ///     (STS does; IAM, as recorded in 2026, does not).
    ///   - validationMessage: a service's own wording for some violations
    ///     (IAM words malformed paths as a sentence); nil keeps the summary.
    public init(
        name: String, signingName: String, namespace: String, apiVersion: String, operations: [String],
        unsigned: Set<String>, echoesValues: Bool,
        validationMessage: @escaping @Sendable ([ConstraintViolation]) -> String? = { _ in nil },
        register: (inout Registrar) -> Void
    ) {
        self.name = name
        self.signingName = signingName
        self.namespace = namespace
        self.apiVersion = apiVersion
        self.modelOperations = Set(operations)
        self.unsignedOperations = unsigned
        var registrar = Registrar(
            wire: .query(namespace: namespace), actionPrefix: signingName, echoesValues: echoesValues, validationMessage: validationMessage)
        register(&registrar)
        self.entries = registrar.entries
    }

    /// Whether AWS serves this action without a signature.
    public func isUnsigned(_ action: String) -> Bool { unsignedOperations.contains(action) }

    public var implementedOperations: [String] { entries.keys.sorted() }

    public func dispatch(action: String, version: String?, parameters: [String: String], context: OperationContext) async -> ServiceResponse {
        guard version == apiVersion, modelOperations.contains(action) else {
            return .error(FrontDoorError.unknownOperation(wire, action: action, version: version), wire: wire, requestId: context.requestId)
        }
        guard let entry = entries[action] else {
            return .error(FrontDoorError.notImplemented(wire, service: name, operation: action), wire: wire, requestId: context.requestId)
        }
        return await entry(parameters, context)
    }

    public struct Registrar {
        let wire: WireProtocol
        let actionPrefix: String
        let echoesValues: Bool
        let validationMessage: @Sendable ([ConstraintViolation]) -> String?
        var entries: [String: Entry] = [:]

        public mutating func register<Op: QueryOperation>(_ operation: Op.Type, _ behaviour: OperationBehaviour<Op.Input, Op.Output>) {
            let wire = self.wire
            let action = actionPrefix + ":" + Op.name
            let echoesValues = self.echoesValues
            let validationMessage = self.validationMessage
            guard case .query(let namespace) = wire else { return }
            entries[Op.name] = { parameters, context in
                let (input, violations) = QueryDecoder.decode(Op.Input.self, from: parameters)
                guard violations.isEmpty else {
                    let message = validationMessage(violations) ?? ConstraintViolation.summary(violations, echoingValues: echoesValues)
                    let error = AWSError(code: "ValidationError", message: message, status: 400)
                    return .error(error, wire: wire, requestId: context.requestId)
                }
                return await behaviour.respond(to: input, named: Op.name, action: action, context: context, wire: wire) { output in
                    ServiceResponse(
                        status: 200, contentType: Envelope.xmlContentType,
                        body: Envelope.queryResponse(Op.self, output: output, namespace: namespace, requestId: context.requestId))
                }
            }
        }

        /// An operation that authorizes and opens transactions itself.
        public mutating func register<Op: QueryOperation>(
            _ operation: Op.Type, access: Access<Op.Input>,
            handler: @escaping @Sendable (Op.Input, OperationContext) async throws -> Op.Output
        ) {
            register(operation, .standalone(access: access, handler: handler))
        }
    }
}
