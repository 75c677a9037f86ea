import AWSShapes
import JSON

/// Writes response bodies the way each protocol frames them.
public enum Envelope {
    /// The namespace AWS uses for query-protocol dispatch faults (`InvalidAction`).
    public static let faultNamespace = "http://webservices.amazon.com/AWSFault/2005-15-09"

    public static let xmlContentType = "text/xml"
    public static let jsonContentType = "application/x-amz-json-1.1"
    public static let restJSONContentType = "application/json"

    /// `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata><RequestId>…`
    public static func queryResponse<Op: QueryOperation>(
        _ operation: Op.Type, output: Op.Output, namespace: String, requestId: String
    ) -> [UInt8] {
        var w = XMLWriter()
        let root = Op.name + "Response"
        w.open(root, namespace: namespace)
        if let wrapper = Op.resultWrapper {
            w.open(wrapper)
            output.encode(xml: &w)
            w.close(wrapper)
        }
        w.open("ResponseMetadata")
        w.element("RequestId", requestId)
        w.close("ResponseMetadata")
        w.close(root)
        return w.bytes
    }

    /// `<ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…` — the layout
    /// AWS sends, `Message` left out when there is none.
    public static func queryError(_ error: AWSError, namespace: String, requestId: String) -> [UInt8] {
        var w = XMLWriter(capacity: 320)
        w.open("ErrorResponse", namespace: error.code == "InvalidAction" ? faultNamespace : namespace)
        w.open("Error")
        w.element("Type", error.senderFault ? "Sender" : "Receiver")
        w.element("Code", error.code)
        if let message = error.message { w.element("Message", message) }
        w.close("Error")
        w.element("RequestId", requestId)
        w.close("ErrorResponse")
        return w.bytes
    }

    public static func jsonResponse(_ output: some JSONOutputShape) -> [UInt8] {
        var w = JSONOutputWriter()
        w.object(output)
        return w.bytes
    }

    /// `{"__type":"Code","message":"…"}` plus any extra members of the error shape.
    public static func jsonError(_ error: AWSError) -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.objectStart()
        w.key("__type")
        w.value(error.code)
        if let message = error.message {
            w.key("message")
            w.value(message)
        }
        writeFields(error.fields, to: &w)
        w.objectEnd()
        return w.bytes
    }

    /// REST-JSON's error body: `{"message":"…"}` plus the error shape's other
    /// members; the code is not in the body but in the `x-amzn-ErrorType`
    /// header, where botocore's RestJSONParser looks first
    /// (docs/research/access-analyzer.md §1.5).
    public static func restJSONError(_ error: AWSError) -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.objectStart()
        if let message = error.message {
            w.key("message")
            w.value(message)
        }
        writeFields(error.fields, to: &w)
        w.objectEnd()
        return w.bytes
    }

    private static func writeFields(_ fields: [AWSError.Field], to w: inout JSONWriter) {
        for field in fields {
            w.key(field.name)
            write(field.value, to: &w)
        }
    }

    private static func write(_ value: AWSError.FieldValue, to w: inout JSONWriter) {
        switch value {
        case .string(let s): w.value(s)
        case .integer(let i): w.value(i)
        case .list(let elements):
            w.arrayStart()
            for element in elements { write(element, to: &w) }
            w.arrayEnd()
        case .structure(let members):
            w.objectStart()
            writeFields(members, to: &w)
            w.objectEnd()
        }
    }
}
