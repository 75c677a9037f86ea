import Foundation
import JSON
import Testing

/// AssumeRoleWithSAML as an identity provider's users reach AWS: a SAML
/// provider from the IdP's metadata, a role trusting it, a signed response.
@Suite("STS SAML, end to end")
struct SAMLEndToEndTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/saml.py").path
    static let roleArn = "arn:aws:iam::000000000000:role/Developer"
    static let providerArn = "arn:aws:iam::000000000000:saml-provider/ExampleIdP"

    struct World {
        let server: GatehouseProcess
        let directory: URL

        func response(_ extra: [String] = []) throws -> String {
            try GatehouseProcess.run(
                "python3", [SAMLEndToEndTests.script, "response", directory.path, roleArn, providerArn] + extra,
                environment: ProcessInfo.processInfo.environment
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func assume(_ assertion: String) throws -> GatehouseProcess.Result {
            try server.aws(["sts", "assume-role-with-saml", "--role-arn", roleArn, "--principal-arn", providerArn, "--saml-assertion", assertion])
        }
    }

    static func world(trustAudience: String = "https://signin.aws.amazon.com/saml") throws -> World {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("saml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let setup = try GatehouseProcess.run("python3", [script, "setup", directory.path], environment: ProcessInfo.processInfo.environment)
        #expect(setup.succeeded, "\(setup.stderr)")
        let server = try GatehouseProcess()
        let provider = try server.aws([
            "iam", "create-saml-provider", "--name", "ExampleIdP", "--saml-metadata-document",
            "file://" + directory.appendingPathComponent("metadata.xml").path,
        ])
        #expect(provider.succeeded, "\(provider.stderr)")
        let trust = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"\(providerArn)"},
            "Action":["sts:AssumeRoleWithSAML","sts:TagSession"],"Condition":{"StringEquals":{"SAML:aud":"\(trustAudience)"}}}]}
            """
        let role = try server.aws(["iam", "create-role", "--role-name", "Developer", "--assume-role-policy-document", trust])
        #expect(role.succeeded, "\(role.stderr)")
        return World(server: server, directory: directory)
    }

    @Test("a signed response naming the role gets a session with the assertion's name, subject and tags")
    func assumes() throws {
        let world = try Self.world()
        let result = try world.assume(try world.response())
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.json?["AssumedRoleUser"]?["Arn"]?.stringValue == "arn:aws:sts::000000000000:assumed-role/Developer/alice@example.test")
        #expect(result.json?["Subject"]?.stringValue == "alice@example.test")
        #expect(result.json?["SubjectType"]?.stringValue == "persistent")
        #expect(result.json?["Issuer"]?.stringValue == "https://idp.example.test/saml")
        #expect(result.json?["Credentials"]?["AccessKeyId"]?.stringValue?.hasPrefix("ASIA") == true)
    }

    @Test("a response signed by another key is refused as AWS does")
    func otherKey() throws {
        let world = try Self.world()
        let result = try world.assume(try world.response(["--other-key"]))
        #expect(result.errorCode == "InvalidIdentityToken", "\(result.stderr)")
        #expect(result.stderr.contains("Response signature invalid"))
    }

    @Test("an expired response is refused with ExpiredTokenException")
    func expired() throws {
        let world = try Self.world()
        let result = try world.assume(try world.response(["--lifetime", "-600"]))
        #expect(result.errorCode == "ExpiredTokenException", "\(result.stderr)")
    }

    @Test("a trust policy whose conditions the assertion does not meet refuses it")
    func trustRefuses() throws {
        let world = try Self.world(trustAudience: "urn:amazon:webservices")
        let result = try world.assume(try world.response())
        #expect(result.errorCode == "AccessDenied", "\(result.stderr)")
        #expect(result.stderr.contains("Not authorized to perform sts:AssumeRoleWithSAML"))
    }
}
