import AWSShapes
@testable import AWSWire
import Foundation
@testable import GatehouseServer
import GatehouseTesting
import HTTPTypes
import Hashing
import Hummingbird
import HummingbirdTesting
import JSON
import NIOCore
import ServiceKit
import Testing

/// Gatehouse's edge over a `TestWorld` (in-memory store, the root key
/// `test`/`test`, a clock that moves only when told), driven in process
/// through HummingbirdTesting's `.router` mode. Without a socket no peer is
/// loopback: every request comes from a remote peer.
struct EdgeHarness {
    static let adminToken = "operator-token"
    /// The authority the router test client sends.
    static let host = "localhost"

    let world: TestWorld
    let app: Application<RouterResponder<GatehouseRequestContext>>

    init() throws {
        world = try TestWorld()
        let seeder = try Seeder(configuration: ServerConfiguration())
        let edge = try Edge(
            environment: world.environment, iam: world.iam, sts: world.sts, ecr: world.ecr,
            credentials: CredentialResolver(store: world.store), seeder: seeder, decisions: world.decisions,
            adminToken: Self.adminToken, acceptUnknownKeys: false)
        app = Application(router: edge.router())
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await app.test(.router, body)
    }

    // MARK: - Requests as clients send them

    /// Headers of a request signed with SigV4 by `accessKey`/`secret` for
    /// `service`, as the AWS CLI signs it (content type, host and date signed).
    func signed(
        method: String = "POST", path: String = "/", query: String = "", body: String, service: String,
        headers extra: [(String, String)] = [], accessKey: String = "test", secret: String = "test"
    ) -> HTTPFields {
        let headers: [(String, String)] = [
            ("content-type", extra.isEmpty ? "application/x-www-form-urlencoded; charset=utf-8" : "application/x-amz-json-1.1"),
            ("host", Self.host),
        ] + extra
        let request = WireRequest(method: method, path: path, query: query, headers: headers, body: Array(body.utf8))
        let signed = SigV4Signer(accessKeyId: accessKey, secret: secret).sign(request, service: service, at: world.clock.now())
        var fields = HTTPFields()
        for (name, value) in signed where name != "host" {
            fields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        return fields
    }

    /// `Authorization: Basic …` with the password GetAuthorizationToken hands the root user.
    func registryLogin() async throws -> HTTPFields {
        let answer = try await world.ecr("GetAuthorizationToken")
        let json = try JSONParser.parse(Array(answer.body.utf8))
        let token = try #require(json["authorizationData"]?.arrayValue?.first?["authorizationToken"]?.stringValue, "\(answer)")
        return [.authorization: "Basic \(token)"]
    }

    static func sha256(_ bytes: [UInt8]) -> String { "sha256:" + Hex.encode(SHA256.hash(bytes)) }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
}

extension String {
    var buffer: ByteBuffer { ByteBuffer(string: self) }
}
