// SigV4's reading of a request's claim (Authorization header or presigned
// query) and its verification, on requests made from arbitrary bytes. The
// input is lines: the first is the raw query string, each further line a
// header `name:value` (no colon: a header with an empty value). Never a crash
// or trap; an accepted claim has a well-formed scope that matches its date.
import AWSShapes
import AWSWire
import FuzzSupport

private let now = Timestamp(iso8601: "2015-08-30T12:40:00Z")!
private let keys = SigningKeyCache()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSigV4(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: Fuzz.bytes(data, size), as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let query = lines.isEmpty ? "" : String(lines.removeFirst())
    let headers = lines.map { line -> (name: String, value: String) in
        guard let colon = line.firstIndex(of: ":") else { return (String(line), "") }
        return (String(line[..<colon]), String(line[line.index(after: colon)...]))
    }
    let request = WireRequest(method: "POST", path: "/a b/%2F/c", query: query, headers: headers, body: Array("Action=ListUsers".utf8))
    _ = request.queryParameters
    let claim: SigV4.Claim?
    do {
        claim = try SigV4.parse(request, now: now)
    } catch {
        return 0
    }
    guard let claim else { return 0 }
    Fuzz.require(!claim.scope.accessKeyId.isEmpty && !claim.scope.region.isEmpty, "empty key or region in \(claim.scope)")
    Fuzz.require(claim.scope.terminator == "aws4_request", "terminator \(claim.scope.terminator)")
    Fuzz.require(claim.scope.date == String(claim.amzDate.prefix(8)), "scope date \(claim.scope.date) vs \(claim.amzDate)")
    let verified = SigV4.verify(claim, request: request, secret: "test")
    Fuzz.require(SigV4.verify(claim, request: request, secret: "test", keys: keys) == verified, "the key cache changes the verdict")
    return 0
}

@main
struct FuzzSigV4Main {
    static func main() {
        Fuzz.run(fuzzSigV4)
    }
}
