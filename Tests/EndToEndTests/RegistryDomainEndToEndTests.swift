import Foundation
import JSON
import Testing

/// `--registry-domain`: registries addressed as ECR addresses them, routed by Host.
@Suite("Registry domain, end to end")
struct RegistryDomainEndToEndTests {
    @Test("repository URIs and proxy endpoints name ACCOUNT.dkr.ecr.REGION.<domain>, and the Host picks the registry")
    func hostRouting() throws {
        let server = try GatehouseProcess(arguments: ["--registry-domain", "gatehouse.test"])
        let host = "000000000000.dkr.ecr.us-east-1.gatehouse.test:\(server.port)"
        let created = try server.aws(["ecr", "create-repository", "--repository-name", "app"])
        #expect(created.json?["repository"]?["repositoryUri"]?.stringValue == "\(host)/app", "\(created.stdout)")
        let token = try server.aws(["ecr", "get-authorization-token"])
        let data = token.json?["authorizationData"]?.arrayValue?.first
        #expect(data?["proxyEndpoint"]?.stringValue == "http://\(host)")
        let password = try server.aws(["ecr", "get-login-password"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        func tags(_ registryHost: String) throws -> (status: Int, body: String) {
            let name = String(registryHost.split(separator: ":")[0])
            return try server.curl([
                "--resolve", "\(name):\(server.port):127.0.0.1", "-u", "AWS:\(password)", "http://\(registryHost)/v2/app/tags/list",
            ])
        }
        let own = try tags(host)
        #expect(own.status == 200, "\(own.body)")
        #expect(own.body.contains("\"name\":\"app\""), "\(own.body)")
        // Another account's registry: not this repository (refused cross-account, or unknown there).
        let other = try tags("111111111111.dkr.ecr.us-east-1.gatehouse.test:\(server.port)")
        #expect(other.status == 403 || other.status == 404, "\(other.body)")
        #expect(other.body.contains("DENIED") || other.body.contains("NAME_UNKNOWN"), "\(other.body)")
    }
}
