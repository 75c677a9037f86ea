import AWSShapes
import AWSWire
import Testing

@Suite("SigV4")
struct SigV4Tests {
    /// AWS's published example (SigV4 documentation, "Examples of the complete
    /// Signature Version 4 signing process"): IAM ListUsers signed with the
    /// documentation key on 2015-08-30.
    static let request = WireRequest(
        method: "GET", path: "/", query: "Action=ListUsers&Version=2010-05-08",
        headers: [
            ("Host", "iam.amazonaws.com"),
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("X-Amz-Date", "20150830T123600Z"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"),
        ],
        body: [])
    static let now = Timestamp(iso8601: "2015-08-30T12:40:00Z")!

    @Test("AWS's documented example verifies with its secret")
    func documentedExample() throws {
        let claim = try #require(try SigV4.parse(Self.request, now: Self.now))
        #expect(claim.scope.accessKeyId == "AKIDEXAMPLE")
        #expect(claim.scope.service == "iam")
        #expect(SigV4.verify(claim, request: Self.request, secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
        #expect(!SigV4.verify(claim, request: Self.request, secret: "wrong"))
    }

    @Test("a request older than 15 minutes is refused with AWS's message")
    func expired() {
        let later = Timestamp(iso8601: "2015-08-30T13:00:00Z")!
        #expect(throws: SigV4.Failure.signatureExpired(
            "Signature expired: 20150830T123600Z is now earlier than 20150830T124500Z (20150830T130000Z - 15 min.)")) {
            try SigV4.parse(Self.request, now: later)
        }
    }

    @Test("a header without its parts is an incomplete signature")
    func incomplete() {
        var request = Self.request
        request.headers = request.headers.map { $0.name == "authorization" ? ($0.name, "AWS4-HMAC-SHA256 Credential=ABCDEF") : $0 }
        #expect(throws: SigV4.Failure.incompleteSignature(
            "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF")) {
            try SigV4.parse(request, now: Self.now)
        }
    }

    @Test("no signature at all is not a claim")
    func unsigned() throws {
        let request = WireRequest(method: "POST", path: "/", query: "", headers: [("host", "x")], body: [])
        #expect(try SigV4.parse(request, now: Self.now) == nil)
    }
}
