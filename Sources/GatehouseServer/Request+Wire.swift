import AWSWire
import Hummingbird

extension Request {
    /// The request line and headers as the wire layer reads them (the AWS
    /// APIs and the registry alike); the body is the caller's to add.
    var wireHead: WireRequest {
        WireRequest(method: method.rawValue, path: uri.path, query: uri.query ?? "", headers: wireHeaders, body: [])
    }

    /// Header fields as SigV4 sees them, `host` included (HTTP types keep it apart as the authority).
    private var wireHeaders: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(headers.count + 1)
        if let authority = head.authority { fields.append(("host", authority)) }
        for field in headers { fields.append((field.name.canonicalName, field.value)) }
        return fields
    }
}
