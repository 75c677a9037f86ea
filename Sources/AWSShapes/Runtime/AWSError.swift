/// An error as an AWS service reports it: a code, a message and an HTTP status.
///
/// Codes and statuses come from the service models (see the generated
/// `…Shapes.Errors`); messages come from named factories in each service, so
/// that AWS's exact wording is written once.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String?
    public var status: Int
    /// Query protocol `<Type>`: Sender for client faults, Receiver for service faults.
    public var senderFault: Bool
    /// Extra members of the error shape (ECR's InvalidLayerPartException carries some).
    public var fields: [Field]
    /// The request that failed, for a caller in process that points at it
    /// (the console links a denial to its recorded decision); never encoded.
    public var requestId: String? = nil

    public enum FieldValue: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        /// A list member of the error shape (Access Analyzer's `fieldList`).
        case list([FieldValue])
        /// A structure, its members in order.
        case structure([Field])
    }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: FieldValue

        public init(name: String, value: FieldValue) {
            self.name = name
            self.value = value
        }
    }

    public init(code: String, message: String?, status: Int, senderFault: Bool = true, fields: [Field] = []) {
        self.code = code
        self.message = message
        self.status = status
        self.senderFault = senderFault
        self.fields = fields
    }

    public var description: String { "\(code): \(message ?? "")" }

    public func with(_ fields: Field...) -> AWSError {
        var copy = self
        copy.fields.append(contentsOf: fields)
        return copy
    }
}
