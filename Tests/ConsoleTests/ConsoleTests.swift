@testable import Console
import Foundation
import GatehouseTesting
import Hashing
import JSON
import ServiceCatalog
import ServiceKit
import Testing

/// The console in process: sign-in, sessions, what each click does as the
/// signed-in principal, and that what users typed renders as text.
@Suite("Web console, in process")
struct ConsoleTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let world: TestWorld
    let app: ConsoleApp

    init() throws {
        world = try TestWorld()
        app = ConsoleApp(
            environment: world.environment, iam: world.iam, sts: world.sts, ecr: world.ecr, accessAnalyzer: world.accessAnalyzer,
            decisions: world.decisions)
    }

    /// A user with a console password and the given managed policies.
    func consoleUser(_ name: String, password: String = "Lab-Passw0rd!", policies: [String] = [], resetRequired: Bool = false) async throws {
        #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200)
        let profile = try await world.iam(
            "CreateLoginProfile", ["UserName": name, "Password": password, "PasswordResetRequired": resetRequired ? "true" : "false"])
        #expect(profile.status == 200, "\(profile)")
        for arn in policies {
            #expect(try await world.iam("AttachUserPolicy", ["UserName": name, "PolicyArn": arn]).status == 200)
        }
    }

    func signedIn(_ name: String, password: String = "Lab-Passw0rd!") async throws -> ConsoleApp.Request {
        guard case .signedIn(let token) = try await app.signIn.user(account: TestWorld.accountId, userName: name, password: password),
            let session = try app.sessions.session(token: token)
        else {
            Issue.record("\(name) could not sign in")
            throw CancellationError()
        }
        return ConsoleApp.Request(session: session, sourceIp: "127.0.0.1", query: [:], form: [])
    }

    static func text(_ reply: ConsoleReply) -> String { String(decoding: reply.body, as: UTF8.self) }

    // MARK: - Sign-in

    @Test("a wrong password, an unknown user or account is refused with AWS's one message, and starts no session")
    func wrongCredentials() async throws {
        try await consoleUser("lab-student")
        for (account, user, password) in [
            (TestWorld.accountId, "lab-student", "wrong"), (TestWorld.accountId, "nobody", "Lab-Passw0rd!"), ("123456789012", "lab-student", "Lab-Passw0rd!"),
        ] {
            #expect(try await app.signIn.user(account: account, userName: user, password: password) == .refused(ConsoleSignIn.incorrect))
        }
        #expect(ConsoleSignIn.incorrect == "Your authentication information is incorrect. Please try again.")
    }

    @Test("the account may be given dashed or by alias; the menu reads user @ dashed account")
    func accountForms() async throws {
        try await consoleUser("lab-student")
        #expect(try await world.iam("CreateAccountAlias", ["AccountAlias": "training-lab"]).status == 200)
        for account in ["0000-0000-0000", "training-lab"] {
            guard case .signedIn(let token) = try await app.signIn.user(account: account, userName: "lab-student", password: "Lab-Passw0rd!") else {
                Issue.record("\(account) refused")
                continue
            }
            #expect(try app.sessions.session(token: token)?.menuLabel == "lab-student @ 0000-0000-0000")
        }
    }

    @Test("after five failures in a row a user's sign-in is refused even with the right password")
    func throttled() async throws {
        try await consoleUser("lab-student")
        for _ in 0..<ConsoleSignIn.failureLimit {
            _ = try await app.signIn.user(account: TestWorld.accountId, userName: "lab-student", password: "wrong")
        }
        #expect(try await app.signIn.user(account: TestWorld.accountId, userName: "lab-student", password: "Lab-Passw0rd!") == .refused(ConsoleSignIn.throttled))
        world.clock.advance(seconds: ConsoleSignIn.failureWindow + 1)
        guard case .signedIn = try await app.signIn.user(account: TestWorld.accountId, userName: "lab-student", password: "Lab-Passw0rd!") else {
            Issue.record("still refused after the window")
            return
        }
    }

    @Test("a session ends at sign-out, after 12 hours, and when its user is deleted")
    func sessionEnds() async throws {
        try await consoleUser("lab-student")
        guard case .signedIn(let token) = try await app.signIn.user(account: TestWorld.accountId, userName: "lab-student", password: "Lab-Passw0rd!") else {
            Issue.record("refused")
            return
        }
        #expect(try app.sessions.session(token: token) != nil)
        try app.sessions.end(token: token)
        #expect(try app.sessions.session(token: token) == nil)

        guard case .signedIn(let second) = try await app.signIn.user(account: TestWorld.accountId, userName: "lab-student", password: "Lab-Passw0rd!") else { return }
        world.clock.advance(seconds: ConsoleSessions.lifetime + 1)
        #expect(try app.sessions.session(token: second) == nil)
    }

    @Test("a user with a virtual MFA device signs in with a current code from it; the session says MFA was used")
    func mfa() async throws {
        try await consoleUser("secured")
        let device = try await world.iam("CreateVirtualMFADevice", ["VirtualMFADeviceName": "secured"])
        // The wire carries the Base32 text base64-encoded, as a blob.
        let encoded = try #require(device.value("Base32StringSeed"))
        let blob = try #require(Data(base64Encoded: encoded))
        let seed = try #require(Base32.decode(String(decoding: blob, as: UTF8.self)))
        let serial = try #require(device.value("SerialNumber"))
        let now = world.clock.now().secondsSince1970
        let enabled = try await world.iam("EnableMFADevice", [
            "UserName": "secured", "SerialNumber": serial, "AuthenticationCode1": TOTP.code(seed: seed, at: now - 30),
            "AuthenticationCode2": TOTP.code(seed: seed, at: now),
        ])
        #expect(enabled.status == 200, "\(enabled)")
        guard case .mfaRequired(let ticket) = try await app.signIn.user(account: TestWorld.accountId, userName: "secured", password: "Lab-Passw0rd!") else {
            Issue.record("no MFA step")
            return
        }
        let wrong = TOTP.code(seed: seed, at: now) == "000000" ? "111111" : "000000"
        #expect(try app.signIn.mfa(ticket: ticket, code: wrong) == .refused(ConsoleSignIn.incorrect))
        guard case .signedIn(let token) = try app.signIn.mfa(ticket: ticket, code: TOTP.code(seed: seed, at: now)) else {
            Issue.record("the right code was refused")
            return
        }
        #expect(try app.sessions.session(token: token)?.principal.session?.context.mfaAuthenticated == true)
    }

    @Test("a required password reset: ChangePassword under the password policy, then the session")
    func passwordReset() async throws {
        try await consoleUser("new-hire", resetRequired: true)
        #expect(try await world.iam("UpdateAccountPasswordPolicy", ["MinimumPasswordLength": "12", "AllowUsersToChangePassword": "true"]).status == 200)
        guard case .passwordChangeRequired(let ticket, _, "new-hire") = try await app.signIn.user(
            account: TestWorld.accountId, userName: "new-hire", password: "Lab-Passw0rd!")
        else {
            Issue.record("no password step")
            return
        }
        guard case .refused(let tooShort) = try await app.signIn.changePassword(
            ticket: ticket, old: "Lab-Passw0rd!", new: "short", retype: "short", sourceIp: "127.0.0.1")
        else {
            Issue.record("a password against the policy was accepted")
            return
        }
        #expect(tooShort.contains("password policy"), "\(tooShort)")
        guard case .signedIn = try await app.signIn.changePassword(
            ticket: ticket, old: "Lab-Passw0rd!", new: "A-much-longer-passw0rd", retype: "A-much-longer-passw0rd", sourceIp: "127.0.0.1")
        else {
            Issue.record("the new password was refused")
            return
        }
        // The new password signs in directly now.
        guard case .signedIn = try await app.signIn.user(account: TestWorld.accountId, userName: "new-hire", password: "A-much-longer-passw0rd") else {
            Issue.record("reset still required")
            return
        }
    }

    // MARK: - Clicks are operations as the signed-in principal

    @Test("Create policy without iam:CreatePolicy shows AWS's denial naming the action, and creates nothing")
    func deniedCreatePolicy() async throws {
        try await consoleUser("reader", policies: ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        var request = try await signedIn("reader")
        request.form = [
            ("csrf", request.session.csrfToken), ("PolicyName", "Nope"),
            ("PolicyDocument", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:ListImages","Resource":"*"}]}"#),
        ]
        let reply = await app.createPolicy(request)
        #expect(reply.status == 403)
        #expect(Self.text(reply).contains(
            "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: iam:CreatePolicy on resource: policy Nope because no identity-based policy allows the iam:CreatePolicy action"))
        #expect(try await world.iam("ListPolicies", ["Scope": "Local"]).values("PolicyName").isEmpty)
    }

    @Test("a change without the session's CSRF token is refused and changes nothing")
    func csrf() async throws {
        try await consoleUser("admin", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        var request = try await signedIn("admin")
        request.form = [
            ("csrf", "forged"), ("PolicyName", "Forged"),
            ("PolicyDocument", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#),
        ]
        #expect(await app.createPolicy(request).status == 403)
        request.form.removeFirst()
        #expect(await app.createPolicy(request).status == 403)
        #expect(try await world.iam("ListPolicies", ["Scope": "Local"]).values("PolicyName").isEmpty)
    }

    @Test("Create role for EC2: the role, its policies and an instance profile of the same name")
    func createRole() async throws {
        try await consoleUser("admin", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        var request = try await signedIn("admin")
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole"],"Principal":{"Service":["ec2.amazonaws.com"]}}]}"#
        request.form = [
            ("csrf", request.session.csrfToken), ("RoleName", "WebServer"), ("Description", "web"), ("AssumeRolePolicyDocument", trust),
            ("PolicyArns.member.1", "arn:aws:iam::aws:policy/ReadOnlyAccess"), ("TrustedEntityType", "AWS service"),
            ("ServiceUseCase", "EC2"), ("Service", "ec2.amazonaws.com"),
        ]
        let reply = await app.createRole(request)
        #expect(reply.status == 303 && reply.location == "/console/iam/roles")
        #expect(try await world.iam("ListAttachedRolePolicies", ["RoleName": "WebServer"]).values("PolicyName") == ["ReadOnlyAccess"])
        #expect(try await world.iam("ListInstanceProfilesForRole", ["RoleName": "WebServer"]).values("InstanceProfileName") == ["WebServer"])
    }

    @Test("Create inline policy on a role's page is PutRolePolicy; an inline document may omit Version")
    func inlinePolicy() async throws {
        try await consoleUser("admin", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        #expect(try await world.iam("CreateRole", ["RoleName": "App", "AssumeRolePolicyDocument": trust]).status == 200)
        var request = try await signedIn("admin")
        let document = #"{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#
        request.form = [("csrf", request.session.csrfToken), ("PolicyDocument", document)]
        request.query = ["kind": "inline"]
        // IAM accepts it inline; Access Analyzer still recommends a Version, as AWS's console shows.
        #expect(
            Self.text(app.validatePolicy(request))
                == #"{"errors":[],"findings":[{"type":"WARNING","code":"MISSING_VERSION","message":"We recommend that you specify the Version element to help you with debugging permission issues.","line":1,"column":1}]}"#
        )
        request.query = [:]
        #expect(Self.text(app.validatePolicy(request)).contains(#""errors":[{"line":1"#), "a managed policy must name its Version")
        request.form.append(("PolicyName", "ListBuckets"))
        let reply = await app.putRoleInlinePolicy(request, role: "App")
        #expect(reply.status == 303)
        #expect(try await world.iam("ListRolePolicies", ["RoleName": "App"]).values("member") == ["ListBuckets"])
    }

    @Test("Generate policy is StartPolicyGeneration as the signed-in user: a job ListPolicyGenerations lists, its page the policy; refused, no job")
    func generatePolicy() async throws {
        try await consoleUser("admin", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        try await consoleUser("reader", policies: ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/admin"},"Action":"sts:AssumeRole"}]}"#
        #expect(try await world.iam("CreateRole", ["RoleName": "App", "AssumeRolePolicyDocument": trust]).status == 200)

        var refused = try await signedIn("reader")
        refused.form = [("csrf", refused.session.csrfToken)]
        let denied = await app.generatePolicy(refused, role: "App")
        #expect(denied.status == 403)
        #expect(Self.text(denied).contains("is not authorized to perform: access-analyzer:StartPolicyGeneration"))
        #expect(try await world.accessAnalyzer("GET", "/policy/generation").body == #"{"policyGenerations":[]}"#)

        var request = try await signedIn("admin")
        #expect(await app.generatePolicy(request, role: "App").status == 403, "no CSRF token, no job")
        request.form = [("csrf", request.session.csrfToken)]
        let started = await app.generatePolicy(request, role: "App")
        #expect(started.status == 303)
        let listed = try JSONParser.parse(try await world.accessAnalyzer("GET", "/policy/generation").body)
        let jobId = try #require(listed["policyGenerations"]?.arrayValue?.first?["jobId"]?.stringValue)
        #expect(listed["policyGenerations"]?.arrayValue?.first?["principalArn"]?.stringValue == "arn:aws:iam::000000000000:role/App")
        #expect(started.location == "/console/iam/roles/details/App/generated-policy?job=\(jobId)")
        request.query = ["job": jobId]
        let page = Self.text(await app.generatedPolicyPage(request, role: "App"))
        #expect(page.contains("No activity: App&#39;s sessions made no call") || page.contains("No activity: App's sessions made no call"), "\(page)")
    }

    // MARK: - What users typed renders as text

    @Test("a role described <script>alert(1)</script> and a trust policy full of markup render as text")
    func escaping() async throws {
        try await consoleUser("admin", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"<img src=x onerror=alert(2)>"}}}]}"#
        let created = try await world.iam(
            "CreateRole", ["RoleName": "Marked", "Description": "<script>alert(1)</script>", "AssumeRolePolicyDocument": trust])
        #expect(created.status == 200, "\(created)")
        var request = try await signedIn("admin")
        let summary = Self.text(await app.role(request, name: "Marked"))
        #expect(!summary.contains("<script>alert(1)</script>"))
        #expect(summary.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        request.query = ["tab": "trust"]
        let trustTab = Self.text(await app.role(request, name: "Marked"))
        #expect(!trustTab.contains("<img src=x"))
        #expect(trustTab.contains("&lt;img src=x onerror=alert(2)&gt;"))
    }

    @Test("JSON handed to a page's script cannot close its script element")
    func scriptData() {
        let html: HTML = "<script type=\"application/json\">\(json: #"{"a":"</script><script>alert(1)</script>"}"#)</script>"
        #expect(!html.text.contains("</script><script>"))
    }

    // MARK: - Pages

    @Test("the policy summary: access levels per service as AWS words them")
    func policySummary() {
        let document = #"""
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Allow","Action":["ecr:DescribeImages","ecr:ListImages","ecr:BatchGetImage"],"Resource":"arn:aws:ecr:*:000000000000:repository/*"},
             {"Effect":"Allow","Action":"s3:*","Resource":"*"}]}
            """#
        let rows = PolicySummary(document: document, catalog: app.catalog).rows
        #expect(rows.count == 2)
        #expect(rows[0].service == "Elastic Container Registry")
        #expect(rows[0].accessLevel == "Limited: List, Read")
        #expect(rows[0].resource == "arn:aws:ecr:*:000000000000:repository/*")
        #expect(rows[1].service == "S3" && rows[1].accessLevel == "Full access" && rows[1].resource == "All resources")
    }

    @Test("the editor's catalog names services as AWS's console does")
    func catalogNames() throws {
        let services = Self.text(app.catalogServices())
        #expect(services.contains(#"{"prefix":"ecr","name":"Elastic Container Registry"}"#))
        let ecr = Self.text(try #require(app.catalogService("ecr")))
        #expect(ecr.hasPrefix(#"{"prefix":"ecr","name":"Elastic Container Registry","actions":"#))
    }

    @Test("every file in Sources/Console/Assets is in the binary, and all of them weigh at most 300 KB")
    func assetsEmbedded() throws {
        let folder = Self.repository.appendingPathComponent("Sources/Console/Assets")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(files) == Set(ConsoleAssets.all.keys), "declare new assets with .embedInCode in Package.swift")
        let total = ConsoleAssets.all.values.reduce(0) { $0 + $1.body.count }
        #expect(total <= 300 * 1024, "console assets weigh \(total) bytes")
    }
}
