import Foundation
import JSON
import Testing

/// The GitHub Actions way into AWS: an OIDC provider, a role trusting it for one
/// repository, and `assume-role-with-web-identity` with a token signed by a
/// test key the operator registered in a seed file.
@Suite("STS web identity, end to end")
struct WebIdentityEndToEndTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/oidc.py").path
    static let issuer = "https://token.actions.githubusercontent.com"
    static let subject = "repo:octo-org/octo-repo:ref:refs/heads/main"

    struct World {
        let server: GatehouseProcess
        let keys: URL
        let roleArn = "arn:aws:iam::000000000000:role/github-deploy"

        func token(_ claims: [String: Any]) throws -> String {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: claims), as: UTF8.self)
            return try GatehouseProcess.run("python3", [script, "token", keys.path, json], environment: ProcessInfo.processInfo.environment)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func claims(aud: String = "sts.amazonaws.com", sub: String = subject, expiresIn: Double = 300) -> [String: Any] {
            let now = Date().timeIntervalSince1970
            return ["iss": issuer, "aud": aud, "sub": sub, "iat": Int(now), "exp": Int(now + expiresIn)]
        }

        func assume(_ token: String) throws -> GatehouseProcess.Result {
            try server.aws(["sts", "assume-role-with-web-identity", "--role-arn", roleArn, "--role-session-name", "gha", "--web-identity-token", token])
        }
    }

    static func world() throws -> World {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("oidc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        let made = try GatehouseProcess.run("python3", [script, "keys", keys.path], environment: ProcessInfo.processInfo.environment)
        #expect(made.succeeded, "\(made.stderr)")
        let server = try GatehouseProcess(arguments: ["--seed", keys.appendingPathComponent("seed.json").path])
        let provider = try server.aws([
            "iam", "create-open-id-connect-provider", "--url", issuer, "--client-id-list", "sts.amazonaws.com",
            "--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1",
        ])
        #expect(provider.succeeded, "\(provider.stderr)")
        let providerArn = provider.json?["OpenIDConnectProviderArn"]?.stringValue ?? ""
        let trust = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"\(providerArn)"},
            "Action":"sts:AssumeRoleWithWebIdentity","Condition":{
            "StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
            "StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/octo-repo:*"}}}]}
            """
        let role = try server.aws(["iam", "create-role", "--role-name", "github-deploy", "--assume-role-policy-document", trust])
        #expect(role.succeeded, "\(role.stderr)")
        return World(server: server, keys: keys)
    }

    @Test("a token from the trusted repository gets role credentials that work")
    func trustedRepository() throws {
        let world = try Self.world()
        let result = try world.assume(try world.token(world.claims()))
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.json?["AssumedRoleUser"]?["Arn"]?.stringValue == "arn:aws:sts::000000000000:assumed-role/github-deploy/gha")
        #expect(result.json?["SubjectFromWebIdentityToken"]?.stringValue == Self.subject)
        #expect(result.json?["Audience"]?.stringValue == "sts.amazonaws.com")
        // The IAM OIDC provider's ARN, as real STS answers (not the issuer URL).
        #expect(result.json?["Provider"]?.stringValue == "arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com")
        let credentials = try #require(result.json?["Credentials"])
        let identity = try world.server.aws(
            ["sts", "get-caller-identity"], accessKey: credentials["AccessKeyId"]?.stringValue ?? "",
            secret: credentials["SecretAccessKey"]?.stringValue ?? "", sessionToken: credentials["SessionToken"]?.stringValue)
        #expect(identity.json?["Arn"]?.stringValue == "arn:aws:sts::000000000000:assumed-role/github-deploy/gha")
    }

    @Test("another repository is refused by the trust policy")
    func otherRepository() throws {
        let world = try Self.world()
        let result = try world.assume(try world.token(world.claims(sub: "repo:evil-org/repo:ref:refs/heads/main")))
        #expect(result.errorCode == "AccessDenied", "\(result.stderr)")
        #expect(result.stderr.contains("Not authorized to perform sts:AssumeRoleWithWebIdentity"))
    }

    @Test("a token for another audience is refused")
    func wrongAudience() throws {
        let world = try Self.world()
        let result = try world.assume(try world.token(world.claims(aud: "someone-else")))
        #expect(result.errorCode == "InvalidIdentityToken", "\(result.stderr)")
        #expect(result.stderr.contains("Incorrect token audience"))
    }

    @Test("an expired token is refused with ExpiredTokenException")
    func expired() throws {
        let world = try Self.world()
        let result = try world.assume(try world.token(world.claims(expiresIn: -60)))
        #expect(result.errorCode == "ExpiredTokenException", "\(result.stderr)")
        #expect(result.stderr.contains("Token expired: current date/time"))
    }

    @Test("a token signed by a key nobody registered is refused")
    func badSignature() throws {
        let world = try Self.world()
        let json = String(decoding: try JSONSerialization.data(withJSONObject: world.claims()), as: UTF8.self)
        let forged = try GatehouseProcess.run("python3", [Self.script, "forge", json], environment: ProcessInfo.processInfo.environment)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try world.assume(forged)
        #expect(result.errorCode == "InvalidIdentityToken", "\(result.stderr)")
    }

    @Test("a token from an issuer with no IAM provider is refused")
    func noProvider() throws {
        let world = try Self.world()
        _ = try world.server.aws([
            "iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn",
            "arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com",
        ])
        let result = try world.assume(try world.token(world.claims()))
        #expect(result.errorCode == "InvalidIdentityToken", "\(result.stderr)")
        #expect(result.stderr.contains("No OpenIDConnect provider found in your account for \(Self.issuer)"))
    }
}
