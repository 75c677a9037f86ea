import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Which group answers which request, and who may call it.
@Suite("Edge routing")
struct EdgeRoutingTests {
    @Test("admin endpoints refuse a remote peer without the admin token, in admin JSON, before saying whether they exist")
    func adminRefusedWithoutToken() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            for (method, path) in [
                (HTTPRequest.Method.get, "/_gatehouse/decisions"), (.post, "/_gatehouse/reset"), (.get, "/_gatehouse/state"),
                (.put, "/_gatehouse/state/blobs/sha256:00"), (.get, "/_gatehouse/nothing-here"), (.get, "/_gatehouse/"),
            ] {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .forbidden, "\(method) \(path)")
                #expect(response.header("Content-Type") == "application/json")
                #expect(response.text == #"{"error":"\#(path) is allowed from loopback peers, or with the operator's admin token"}"#)
            }
            let wrong = try await client.execute(
                uri: "/_gatehouse/decisions", method: .get, headers: [HTTPField.Name("X-Gatehouse-Admin-Token")!: "guess"])
            #expect(wrong.status == .forbidden)
        }
    }

    @Test("the admin token opens the admin endpoints, in its header or as a bearer token")
    func adminToken() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let byHeader = try await client.execute(
                uri: "/_gatehouse/decisions", method: .get,
                headers: [HTTPField.Name("X-Gatehouse-Admin-Token")!: EdgeHarness.adminToken])
            #expect(byHeader.status == .ok)
            #expect(byHeader.text == "[]")
            let bearer: HTTPFields = [.authorization: "Bearer \(EdgeHarness.adminToken)"]
            let missing = try await client.execute(uri: "/_gatehouse/nothing-here", method: .get, headers: bearer)
            #expect(missing.status == .notFound)
            #expect(missing.text == #"{"error":"no admin endpoint GET /_gatehouse/nothing-here"}"#)
            let wrongMethod = try await client.execute(uri: "/_gatehouse/state", method: .delete, headers: bearer)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.text == #"{"error":"DELETE /_gatehouse/state: use GET or POST"}"#)
            let badDigest = try await client.execute(uri: "/_gatehouse/state/blobs/nope", method: .post, headers: bearer)
            #expect(badDigest.status == .badRequest, "the digest is checked before the method")
            #expect(badDigest.text == #"{"error":"nope is not a sha256 digest"}"#)
        }
    }

    @Test("health is open to any peer; other methods on it are no endpoint, also without the token")
    func healthIsPublic() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let health = try await client.execute(uri: "/_gatehouse/health", method: .get)
            #expect(health.status == .ok)
            #expect(health.header("Content-Type") == "application/json")
            #expect(health.text.hasPrefix(#"{"status":"ok","version":"#))
            #expect(health.text.contains(#""sts":{"operations":11,"#))
            let post = try await client.execute(uri: "/_gatehouse/health", method: .post)
            #expect(post.status == .notFound)
            #expect(post.text == #"{"error":"no admin endpoint POST /_gatehouse/health"}"#)
        }
    }

    @Test("a path no group claims goes to the AWS front door: without an Action, a redirect to the console on this server, never off the machine")
    func unknownPath() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            for (method, path) in [(HTTPRequest.Method.get, "/"), (.get, "/nowhere"), (.post, "/some/where"), (.get, "/v2x"), (.head, "/")] {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .found, "\(method) \(path)")
                #expect(response.header("Location") == "/console")
                #expect(response.text.isEmpty)
            }
        }
    }

    @Test("Action= is the query protocol, IAM or STS by Version; X-Amz-Target is JSON 1.1 (ECR); each refuses in its own form")
    func protocolDispatch() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let sts = try await client.execute(uri: "/?Action=GetCallerIdentity&Version=2011-06-15", method: .get)
            #expect(sts.status == .forbidden)
            #expect(sts.header("Content-Type") == "text/xml")
            let requestId = try #require(sts.header("x-amzn-RequestId"))
            #expect(sts.text == """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error>
                    <Type>Sender</Type>
                    <Code>MissingAuthenticationToken</Code>
                    <Message>Request is missing Authentication Token</Message>
                  </Error>
                  <RequestId>\(requestId)</RequestId>
                </ErrorResponse>

                """)

            let iam = try await client.execute(
                uri: "/", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: "Action=ListUsers&Version=2010-05-08".buffer)
            #expect(iam.status == .forbidden)
            #expect(iam.text.hasPrefix(#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">"#))
            #expect(iam.text.contains("<Code>MissingAuthenticationToken</Code>"))

            let ecr = try await client.execute(
                uri: "/", method: .post,
                headers: [HTTPField.Name("X-Amz-Target")!: "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories", .contentType: "application/x-amz-json-1.1"],
                body: "{}".buffer)
            #expect(ecr.status == .badRequest)
            #expect(ecr.header("Content-Type") == "application/x-amz-json-1.1")
            #expect(ecr.header("x-amzn-RequestId") != nil)
            #expect(ecr.text == #"{"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}"#)

            // Dispatch comes before authentication: an unknown target is named as such, unsigned or not.
            let unknown = try await client.execute(
                uri: "/", method: .post, headers: [HTTPField.Name("X-Amz-Target")!: "Nobody.Nothing"], body: "{}".buffer)
            #expect(unknown.status == .badRequest)
            #expect(unknown.text == #"{"__type":"UnknownOperationException"}"#)
        }
    }

    @Test("signed requests reach their service as the key's principal: STS in XML, ECR in JSON")
    func signedDispatch() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let body = "Action=GetCallerIdentity&Version=2011-06-15"
            let identity = try await client.execute(
                uri: "/", method: .post, headers: edge.signed(body: body, service: "sts"), body: body.buffer)
            #expect(identity.status == .ok, "\(identity.text)")
            #expect(identity.header("Content-Type") == "text/xml")
            #expect(identity.text.contains("<Arn>arn:aws:iam::000000000000:root</Arn>"))
            #expect(identity.text.contains("<RequestId>\(identity.header("x-amzn-RequestId") ?? "?")</RequestId>"))

            let target = "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"
            let repositories = try await client.execute(
                uri: "/", method: .post,
                headers: edge.signed(body: "{}", service: "ecr", headers: [("x-amz-target", target)]), body: "{}".buffer)
            #expect(repositories.status == .ok, "\(repositories.text)")
            #expect(repositories.text == #"{"repositories":[]}"#)

            // Signed for another secret: the signature is checked over the bytes, in STS's words.
            let forged = try await client.execute(
                uri: "/", method: .post, headers: edge.signed(body: body, service: "sts", secret: "wrong"), body: body.buffer)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("<Code>SignatureDoesNotMatch</Code>"))
        }
    }

    @Test("an operation AWS serves unsigned is dispatched for the anonymous caller")
    func unsignedOperation() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let response = try await client.execute(
                uri: "/?Action=AssumeRoleWithWebIdentity&Version=2011-06-15", method: .get)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.text.contains("<Code>ValidationError</Code>"), "past authentication, into the operation")
        }
    }

    @Test("an unsigned body over the allowance is refused in the protocol's form, and the connection closed")
    func bodyTooLarge() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)
            let query = try await client.execute(uri: "/", method: .post, body: body)
            #expect(query.status == .contentTooLarge)
            #expect(query.header("Connection") == "close")
            #expect(query.text.contains("<Code>RequestEntityTooLarge</Code>"))
            #expect(query.text.contains("<Message>Request body is larger than the 1048576 bytes this service accepts.</Message>"))
            let json = try await client.execute(
                uri: "/", method: .post, headers: [HTTPField.Name("X-Amz-Target")!: "AmazonEC2ContainerRegistry_V20150921.ListImages"], body: body)
            #expect(json.status == .contentTooLarge)
            #expect(json.text == #"{"__type":"RequestEntityTooLargeException","message":"Request body is larger than the 1048576 bytes this service accepts."}"#)
        }
    }
}
