import AWSShapes
import AWSWire
import Logging

/// A query-protocol service (IAM, STS): its operation table and the one path
/// every request takes through it — decode, validate, authorize, handle, encode.
///
/// Operations of the model that no handler is registered for answer an honest
/// 501 naming the operation; names outside the model answer `InvalidAction`.
public final class QueryService: Sendable {
    /// An operation run on its query parameters, up to its output: what the
    /// console calls as the signed-in principal, and what `dispatch` encodes.
    public typealias Call = @Sendable ([String: String], OperationContext) async -> Result<any XMLOutputShape, AWSError>

    struct Entry: Sendable {
        let call: Call
        let encode: @Sendable (any XMLOutputShape, _ requestId: String) -> [UInt8]
    }

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
        switch await call(action: action, parameters: parameters, context: context) {
        case .success(let output):
            return ServiceResponse(
                status: 200, contentType: Envelope.xmlContentType, body: entries[action]!.encode(output, context.requestId))
        case .failure(let error):
            return .error(error, wire: wire, requestId: context.requestId)
        }
    }

    /// The operation `action` on its query parameters, as `context.principal`,
    /// through the same decoding, validation, authorization and transaction
    /// as a signed request: the seam the web console calls.
    public func call(action: String, parameters: [String: String], context: OperationContext) async
        -> Result<any XMLOutputShape, AWSError>
    {
        guard let entry = entries[action] else {
            return .failure(
                modelOperations.contains(action)
                    ? FrontDoorError.notImplemented(wire, service: name, operation: action)
                    : FrontDoorError.unknownOperation(wire, action: action, version: apiVersion))
        }
        return await entry.call(parameters, context)
    }

    /// `call` for an operation whose output type the caller knows.
    public func call<Op: QueryOperation>(_ operation: Op.Type, _ parameters: [String: String], context: OperationContext) async
        -> Result<Op.Output, AWSError>
    {
        await call(action: Op.name, parameters: parameters, context: context).map { $0 as! Op.Output }
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
            let call: Call = { parameters, context in
                let (input, violations) = QueryDecoder.decode(Op.Input.self, from: parameters)
                guard violations.isEmpty else {
                    let message = validationMessage(violations) ?? ConstraintViolation.summary(violations, echoingValues: echoesValues)
                    return .failure(AWSError(code: "ValidationError", message: message, status: 400))
                }
                return await behaviour.run(to: input, named: Op.name, action: action, context: context, wire: wire).map { $0 }
            }
            entries[Op.name] = Entry(call: call) { output, requestId in
                Envelope.queryResponse(Op.self, output: output as! Op.Output, namespace: namespace, requestId: requestId)
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
