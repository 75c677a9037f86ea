import AWSShapes
import Hashing

extension SigV4 {
    /// The `Authorization` header a client sends for `request` (header form,
    /// every header of the request signed, so it must already carry `host`
    /// and `x-amz-date` = `time` in the basic format): what the AWS CLI
    /// computes, by the same canonicalization `verify` checks against.
    /// For tests and benchmarks that sign as clients do.
    public static func authorization(
        for request: WireRequest, accessKeyId: String, secret: String, region: String, service: String, at time: Timestamp
    ) -> String {
        let amzDate = time.iso8601Basic
        let scope = CredentialScope(
            accessKeyId: accessKeyId, date: String(amzDate.prefix(8)), region: region, service: service, terminator: "aws4_request")
        let signedHeaders = request.headers.map { $0.0.lowercased() }.sorted()
        let claim = Claim(
            scope: scope, signedHeaders: signedHeaders, signature: "", amzDate: amzDate, requestTime: time, securityToken: nil,
            presigned: false, expires: nil)
        let signature = signature(
            claim: claim, request: request, payloadHash: Hex.encode(SHA256.hash(request.body)),
            key: signingKey(secret: secret, scope: scope))
        return "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope.date)/\(region)/\(service)/aws4_request, "
            + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
    }
}
