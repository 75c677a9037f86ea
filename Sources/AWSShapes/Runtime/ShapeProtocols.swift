/// An input shape of a query-protocol service (IAM, STS).
public protocol QueryInputShape: Sendable {
    init(query decoder: inout QueryDecoder) throws(ShapeDecodingError)
}

/// An input shape of a JSON 1.1 service (ECR).
public protocol JSONInputShape: Sendable {
    init(json decoder: inout JSONShapeDecoder) throws(ShapeDecodingError)
}

/// An output shape of a query-protocol service: written as XML elements.
public protocol XMLOutputShape: Sendable {
    func encode(xml writer: inout XMLWriter)
}

/// An output shape of a JSON 1.1 service: written as a JSON object's members.
public protocol JSONOutputShape: Sendable {
    func encode(json writer: inout JSONOutputWriter)
}

/// One operation of a service model, tying its name to its shapes.
public protocol OperationShape {
    associatedtype Input: Sendable
    associatedtype Output: Sendable
    static var name: String { get }
}

/// An operation of a query-protocol service.
public protocol QueryOperation: OperationShape where Input: QueryInputShape, Output: XMLOutputShape {
    /// The element that wraps the output (`CreateRoleResult`); nil when there is no output.
    static var resultWrapper: String? { get }
}

/// An operation of a JSON 1.1 service.
public protocol JSONOperation: OperationShape where Input: JSONInputShape, Output: JSONOutputShape {}

/// The input of an operation whose model has none, and the output of one that
/// returns nothing: no members, encodes to nothing.
public struct EmptyShape: QueryInputShape, JSONInputShape, XMLOutputShape, JSONOutputShape, Equatable {
    public init() {}
    public init(query decoder: inout QueryDecoder) {}
    public init(json decoder: inout JSONShapeDecoder) throws(ShapeDecodingError) {
        try decoder.expectObject()
    }
    public func encode(xml writer: inout XMLWriter) {}
    public func encode(json writer: inout JSONOutputWriter) {}
}
