import AWSShapes
import AWSWire

/// Signs a request with SigV4 as the AWS CLI does (header form; the
/// content type, host and date signed), for tests that go through the edge.
public struct SigV4Signer: Sendable {
    public let accessKeyId: String
    public let secret: String
    public let region: String

    public init(accessKeyId: String = TestWorld.rootKey, secret: String = "test", region: String = "us-east-1") {
        self.accessKeyId = accessKeyId
        self.secret = secret
        self.region = region
    }

    /// The request's headers with `x-amz-date` and `authorization` added, sorted by name.
    public func sign(_ request: WireRequest, service: String, at time: Timestamp) -> [(String, String)] {
        var request = request
        request.headers = (request.headers.filter { $0.0 != "x-amz-date" && $0.0 != "authorization" } + [("x-amz-date", time.iso8601Basic)])
            .sorted { $0.0 < $1.0 }
        let authorization = SigV4.authorization(
            for: request, accessKeyId: accessKeyId, secret: secret, region: region, service: service, at: time)
        return request.headers + [("authorization", authorization)]
    }
}
