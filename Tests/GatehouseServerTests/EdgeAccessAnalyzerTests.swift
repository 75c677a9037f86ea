@testable import AWSWire
import GatehouseTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Access Analyzer (REST-JSON) on the APIs' port: told from IAM by its
/// signing name, routed by method and path, refused in its own error form
/// (docs/research/access-analyzer.md §1.1, §1.5).
@Suite("Edge: Access Analyzer")
struct EdgeAccessAnalyzerTests {
    /// Headers botocore sends for a REST-JSON call, signed for `access-analyzer`.
    static func signed(
        _ edge: EdgeHarness, method: String = "POST", path: String, query: String = "", body: String, secret: String = "test"
    ) -> HTTPFields {
        let headers: [(String, String)] = [("content-type", "application/json"), ("host", EdgeHarness.host)]
        let request = WireRequest(method: method, path: path, query: query, headers: headers, body: Array(body.utf8))
        let signed = SigV4Signer(accessKeyId: "test", secret: secret).sign(request, service: "access-analyzer", at: edge.world.clock.now())
        var fields = HTTPFields()
        for (name, value) in signed where name != "host" {
            fields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        return fields
    }

    static let body = #"{"policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}","policyType":"IDENTITY_POLICY","locale":"EN"}"#

    @Test("POST /policy/validation signed for access-analyzer: ValidatePolicy's findings in application/json, with the request id")
    func validatePolicy() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let response = try await client.execute(
                uri: "/policy/validation?maxResults=5", method: .post,
                headers: Self.signed(edge, path: "/policy/validation", query: "maxResults=5", body: Self.body), body: Self.body.buffer)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("x-amzn-RequestId") != nil)
            #expect(response.text.hasPrefix(#"{"findings":[{"findingDetails":"Add a value to the empty string in the Sid element.","findingType":"SUGGESTION","issueCode":"EMPTY_SID_VALUE""#), "\(response.text)")
            #expect(!response.text.contains("nextToken"))
        }
    }

    @Test("errors in REST-JSON form: status, x-amzn-ErrorType, {\"message\"} — for validation, unknown paths, unimplemented operations")
    func errors() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let missing = #"{"policyType":"IDENTITY_POLICY"}"#
            let invalid = try await client.execute(
                uri: "/policy/validation", method: .post, headers: Self.signed(edge, path: "/policy/validation", body: missing),
                body: missing.buffer)
            #expect(invalid.status == .badRequest)
            #expect(invalid.header("x-amzn-ErrorType") == "ValidationException")
            #expect(invalid.header("Content-Type") == "application/json")
            #expect(invalid.text.hasPrefix(#"{"message":"1 validation error detected: "#), "\(invalid.text)")

            let unknown = try await client.execute(
                uri: "/policy/nothing", method: .post, headers: Self.signed(edge, path: "/policy/nothing", body: "{}"), body: "{}".buffer)
            #expect(unknown.status == .notFound, "\(unknown.text)")
            #expect(unknown.header("x-amzn-ErrorType") == "UnknownOperationException")

            let analyzer = try await client.execute(
                uri: "/analyzer", method: .put, headers: Self.signed(edge, method: "PUT", path: "/analyzer", body: "{}"), body: "{}".buffer)
            #expect(analyzer.status == .notImplemented, "\(analyzer.text)")
            #expect(analyzer.header("x-amzn-ErrorType") == "NotImplementedException")
            #expect(analyzer.text == #"{"message":"Gatehouse does not implement Access Analyzer CreateAnalyzer yet."}"#)
        }
    }

    @Test("a signed body over Access Analyzer's limit is refused in REST-JSON, and the connection closed")
    func bodyTooLarge() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let body = String(repeating: "a", count: (1 << 20) + 1)
            let response = try await client.execute(
                uri: "/policy/validation", method: .post, headers: Self.signed(edge, path: "/policy/validation", body: body),
                body: body.buffer)
            #expect(response.status == .contentTooLarge)
            #expect(response.header("Connection") == "close")
            #expect(response.header("x-amzn-ErrorType") == "RequestEntityTooLargeException")
            #expect(response.text == #"{"message":"Request body is larger than the 1048576 bytes this service accepts."}"#)
        }
    }

    @Test("authentication refusals in REST-JSON: a wrong signature, and an unsigned request on an Access Analyzer path")
    func authentication() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let forged = try await client.execute(
                uri: "/policy/validation", method: .post,
                headers: Self.signed(edge, path: "/policy/validation", body: Self.body, secret: "wrong"), body: Self.body.buffer)
            #expect(forged.status == .forbidden, "\(forged.text)")
            #expect(forged.header("x-amzn-ErrorType") == "InvalidSignatureException")
            #expect(forged.text.hasPrefix(#"{"message":"The request signature we calculated does not match"#), "\(forged.text)")

            let unsigned = try await client.execute(
                uri: "/policy/validation", method: .post, headers: [.contentType: "application/json"], body: Self.body.buffer)
            #expect(unsigned.status == .forbidden, "\(unsigned.text)")
            #expect(unsigned.header("x-amzn-ErrorType") == "MissingAuthenticationTokenException")
            #expect(unsigned.text == #"{"message":"Missing Authentication Token"}"#)

            // An IAM call is still IAM's, on any path.
            let body = "Action=GetUser&Version=2010-05-08"
            let user = try await client.execute(
                uri: "/", method: .post, headers: edge.signed(body: body, service: "iam"), body: body.buffer)
            #expect(user.status == .ok, "\(user.text)")
        }
    }
}
