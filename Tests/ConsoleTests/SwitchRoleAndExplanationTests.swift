import AWSShapes
@testable import Console
import Foundation
import GatehouseTesting
import ServiceKit
import Testing

/// Switch role (seed 004 in the console), "Access denied explanations" and
/// the policy simulator, in process.
@Suite("Web console: switch role, access denied explanations, policy simulator")
struct SwitchRoleAndExplanationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let world: TestWorld
    let app: ConsoleApp

    init() throws {
        world = try TestWorld()
        app = ConsoleApp(
            environment: world.environment, iam: world.iam, sts: world.sts, ecr: world.ecr, accessAnalyzer: world.accessAnalyzer,
            decisions: world.decisions)
    }

    static let account = TestWorld.accountId
    static let trustAccount = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#

    func consoleUser(_ name: String, policies: [String] = []) async throws {
        #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200)
        #expect(try await world.iam("CreateLoginProfile", ["UserName": name, "Password": "Lab-Passw0rd!"]).status == 200)
        for arn in policies {
            #expect(try await world.iam("AttachUserPolicy", ["UserName": name, "PolicyArn": arn]).status == 200)
        }
    }

    func signedIn(_ name: String) async throws -> ConsoleApp.Request {
        guard case .signedIn(let token) = try await app.signIn.user(account: Self.account, userName: name, password: "Lab-Passw0rd!"),
            let session = try app.sessions.session(token: token)
        else {
            Issue.record("\(name) could not sign in")
            throw CancellationError()
        }
        return ConsoleApp.Request(session: session, sourceIp: "127.0.0.1", query: [:], form: [])
    }

    /// The request again, with the session as the store has it now.
    func reloaded(_ request: ConsoleApp.Request, query: [String: String] = [:], form: [(String, String)] = []) throws -> ConsoleApp.Request {
        let session = try #require(try app.sessions.session(id: request.session.id))
        return ConsoleApp.Request(session: session, sourceIp: "127.0.0.1", query: query, form: form)
    }

    static func text(_ reply: ConsoleReply) -> String { String(decoding: reply.body, as: UTF8.self) }

    /// Seed 004's role: ListImages on team-a's repositories only.
    func teamARole() async throws {
        #expect(try await world.iam("CreateRole", ["RoleName": "ecr_access_teama_role", "AssumeRolePolicyDocument": Self.trustAccount]).status == 200)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:ListImages"],"Resource":["arn:aws:ecr:us-east-1:000000000000:repository/team-a/*"]}]}"#
        #expect(try await world.iam("CreatePolicy", ["PolicyName": "ecr_access_testing", "PolicyDocument": policy]).status == 200)
        #expect(try await world.iam("AttachRolePolicy", [
            "RoleName": "ecr_access_teama_role", "PolicyArn": "arn:aws:iam::000000000000:policy/ecr_access_testing",
        ]).status == 200)
        for name in ["team-a/alpine", "team-b/alpine"] {
            #expect(try await world.ecr("CreateRepository", #"{"repositoryName":"\#(name)"}"#).status == 200)
        }
    }

    @Test("switch role: the session acts as the role (menu DisplayName @ account), ListImages works on team-a only, Switch back returns")
    func switchRole() async throws {
        try await teamARole()
        try await consoleUser("learner", policies: ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        // The trust policy trusts the account, so the user's own policy must allow the switch (as in AWS).
        let assume = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#
        #expect(try await world.iam("PutUserPolicy", ["UserName": "learner", "PolicyName": "assume", "PolicyDocument": assume]).status == 200)
        let request = try await signedIn("learner")
        let reply = await app.switchRole(ConsoleApp.Request(
            session: request.session, sourceIp: "127.0.0.1", query: [:],
            form: [("csrf", request.session.csrfToken), ("account", "0000-0000-0000"), ("roleName", "ecr_access_teama_role"),
                   ("displayName", "TeamA"), ("color", "green")]))
        #expect(reply.status == 303, "\(Self.text(reply))")
        let switched = try reloaded(request)
        #expect(switched.session.menuLabel == "TeamA @ 0000-0000-0000")
        #expect(switched.session.principal.arn == "arn:aws:sts::000000000000:assumed-role/ecr_access_teama_role/learner")
        #expect(switched.session.switched?.color == "green")

        let teamA = await app.callECR(ECROperation.ListImages.self, .object(.init([("repositoryName", .string("team-a/alpine"))])), switched)
        #expect((try? teamA.get()) != nil)
        let teamB = await app.callECR(ECROperation.ListImages.self, .object(.init([("repositoryName", .string("team-b/alpine"))])), switched)
        guard case .failure(let denied) = teamB else {
            Issue.record("team-b was listed")
            return
        }
        #expect(denied.message == "User: arn:aws:sts::000000000000:assumed-role/ecr_access_teama_role/learner is not authorized to perform: ecr:ListImages on resource: arn:aws:ecr:us-east-1:000000000000:repository/team-b/alpine because no identity-based policy allows the ecr:ListImages action")

        // The role cannot read IAM, though the user who signed in can: every page acts as the role.
        guard case .failure = await app.call(IAMOperation.ListRoles.self, [:], switched) else {
            Issue.record("the role session read IAM")
            return
        }
        let home = Self.text(app.home(switched))
        #expect(home.contains("TeamA @ 0000-0000-0000") && home.contains("Switch back") && home.contains("role-color-green"))

        #expect(app.switchBack(ConsoleApp.Request(session: switched.session, sourceIp: "127.0.0.1", query: [:], form: [("csrf", request.session.csrfToken)])).status == 303)
        let back = try reloaded(request)
        #expect(back.session.menuLabel == "learner @ 0000-0000-0000" && back.session.switched == nil)
    }

    @Test("a switch the trust policy refuses is refused with AWS's console message and changes nothing; so is one without the CSRF token")
    func switchRefused() async throws {
        let trustOther = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/someone-else"},"Action":"sts:AssumeRole"}]}"#
        #expect(try await world.iam("CreateUser", ["UserName": "someone-else"]).status == 200)
        #expect(try await world.iam("CreateRole", ["RoleName": "Private", "AssumeRolePolicyDocument": trustOther]).status == 200)
        try await consoleUser("learner", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        let request = try await signedIn("learner")
        let form = [("account", Self.account), ("roleName", "Private")]
        let refused = await app.switchRole(ConsoleApp.Request(
            session: request.session, sourceIp: "127.0.0.1", query: [:], form: [("csrf", request.session.csrfToken)] + form))
        #expect(refused.status == 400)
        #expect(Self.text(refused).contains(ConsoleApp.switchRefused))
        #expect(Self.text(refused).contains("Why was I denied?"))
        #expect(try reloaded(request).session.switched == nil)

        let forged = await app.switchRole(ConsoleApp.Request(session: request.session, sourceIp: "127.0.0.1", query: [:], form: form))
        #expect(forged.status == 403)
    }

    @Test("a learner sees their own denial explained with the smallest statement that allows it; another learner does not see it")
    func explanation() async throws {
        try await consoleUser("learner", policies: ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        try await consoleUser("other", policies: ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        let request = try await signedIn("learner")
        guard case .failure(let denied) = await app.call(IAMOperation.CreatePolicy.self, [
            "PolicyName": "Mine", "PolicyDocument": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        ], request) else {
            Issue.record("CreatePolicy was allowed")
            return
        }
        let requestId = try #require(denied.requestId)
        #expect(Layout.explained(denied).text.contains(ConsoleApp.explanationPath(requestId)))

        let entry = Self.text(app.accessDeniedEntry(request, requestId: requestId))
        #expect(entry.contains("iam:CreatePolicy"))
        #expect(entry.contains("because no identity-based policy allows the iam:CreatePolicy action"))
        #expect(entry.contains("arn:aws:iam::aws:policy/IAMReadOnlyAccess"), "the policies evaluated")
        #expect(entry.contains("&quot;Action&quot;: &quot;iam:CreatePolicy&quot;"), "the statement to copy")
        #expect(entry.contains("&quot;Resource&quot;: &quot;arn:aws:iam::000000000000:policy/Mine&quot;"))
        #expect(Self.text(app.accessDeniedList(request)).contains(ConsoleApp.explanationPath(requestId)))

        let other = try await signedIn("other")
        #expect(app.accessDeniedEntry(other, requestId: requestId).status == 404)
        #expect(!Self.text(app.accessDeniedList(other)).contains(requestId))
    }

    @Test("the statement offered really allows the request: pasted into a policy, the same call succeeds")
    func remedyWorks() async throws {
        try await consoleUser("learner")
        let request = try await signedIn("learner")
        guard case .failure(let denied) = await app.call(IAMOperation.GetRole.self, ["RoleName": "Anything"], request),
            let requestId = denied.requestId, let entry = world.decisions.decisions(forRequest: requestId).first
        else {
            Issue.record("GetRole was not denied")
            return
        }
        let statement = try #require(ConsoleApp.remedy(entry).statement)
        #expect(try await world.iam("PutUserPolicy", ["UserName": "learner", "PolicyName": "fix", "PolicyDocument": statement]).status == 200)
        guard case .failure(let after) = await app.call(IAMOperation.GetRole.self, ["RoleName": "Anything"], try reloaded(request)) else {
            Issue.record("a missing role was found")
            return
        }
        #expect(after.code == "NoSuchEntity", "now allowed, the role is simply missing")
    }

    @Test("the policy simulator runs SimulatePrincipalPolicy as the signed-in user and marks the deciding statement in its policy")
    func simulator() async throws {
        try await consoleUser("admin", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        let policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"ecr:ListImages\",\n      \"Resource\": \"*\"\n    }\n  ]\n}"
        #expect(try await world.iam("CreateUser", ["UserName": "dev"]).status == 200)
        #expect(try await world.iam("PutUserPolicy", ["UserName": "dev", "PolicyName": "list+images", "PolicyDocument": policy]).status == 200)
        let request = try await signedIn("admin")
        let run = ConsoleApp.Request(
            session: request.session, sourceIp: "127.0.0.1", query: [:],
            form: [("csrf", request.session.csrfToken), ("kind", "users"), ("entity", "dev"), ("service", "ecr"),
                   ("action", "ListImages"), ("action", "DeleteRepository"), ("run", "1")])
        let page = Self.text(await app.policySimulator(run, values: run.fields, run: true))
        #expect(page.contains("Run Simulation") && page.contains("Users, Groups, and Roles") && page.contains("Select service"))
        #expect(page.contains("<input type=\"checkbox\" name=\"action\" value=\"ListImages\" checked>"), "the actions are checkboxes")
        #expect(page.contains("<td>ecr:ListImages</td>"))
        #expect(page.contains("decision allowed"))
        #expect(page.contains("decision denied"))
        #expect(page.contains("list+images"))
        #expect(page.contains("<span class=\"line matched\"><span class=\"number\">5</span>"), "the statement's first line is marked")

        // A user who may not simulate is told so in AWS's words.
        try await consoleUser("nobody")
        let nobody = try await signedIn("nobody")
        let refused = ConsoleApp.Request(session: nobody.session, sourceIp: "127.0.0.1", query: [:], form: run.form.map { $0.0 == "csrf" ? ("csrf", nobody.session.csrfToken) : $0 })
        let denied = Self.text(await app.policySimulator(refused, values: refused.fields, run: true))
        #expect(denied.contains("is not authorized to perform: iam:ListUsers") || denied.contains("iam:SimulatePrincipalPolicy"))
    }

    @Test("the region menu: ECR pages work in the picked region, IAM's read Global; a region outside the partition is ignored")
    func region() async throws {
        try await consoleUser("learner", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        let request = try await signedIn("learner")
        let picked = ConsoleRoute.answer(of: "region")
        #expect(await picked(app, ConsoleApp.Request(
            session: request.session, sourceIp: "127.0.0.1", query: [:],
            form: [("csrf", request.session.csrfToken), ("region", "eu-west-1"), ("next", "/console/ecr/private-registry/repositories")])).location
            == "/console/ecr/private-registry/repositories")
        let inIreland = try reloaded(request)
        #expect(app.region(inIreland) == "eu-west-1")
        let made = await app.callECR(ECROperation.CreateRepository.self, .object(.init([("repositoryName", .string("here"))])), inIreland)
        #expect((try? made.get())?.repository?.repositoryArn == "arn:aws:ecr:eu-west-1:000000000000:repository/here")
        let list = Self.text(await app.repositories(inIreland))
        #expect(list.contains("aria-label=\"Region: Europe (Ireland)\">Ireland</summary>"))
        #expect(Self.text(await app.iamDashboard(inIreland)).contains(">Global</span>"))
        _ = await picked(app, ConsoleApp.Request(
            session: inIreland.session, sourceIp: "127.0.0.1", query: [:], form: [("csrf", request.session.csrfToken), ("region", "mars-north-1")]))
        #expect(app.region(try reloaded(request)) == "eu-west-1")
    }

    @Test("the simulator includes a permissions boundary: an administrator bounded to ListImages is denied DeleteRepository by it")
    func simulatorBoundary() async throws {
        try await consoleUser("admin", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        let boundary = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:ListImages","Resource":"*"}]}"#
        #expect(try await world.iam("CreatePolicy", ["PolicyName": "bound", "PolicyDocument": boundary]).status == 200)
        #expect(try await world.iam("CreateUser", ["UserName": "bounded", "PermissionsBoundary": "arn:aws:iam::000000000000:policy/bound"]).status == 200)
        #expect(try await world.iam("AttachUserPolicy", ["UserName": "bounded", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"]).status == 200)
        let request = try await signedIn("admin")
        let run = ConsoleApp.Request(
            session: request.session, sourceIp: "127.0.0.1", query: [:],
            form: [("csrf", request.session.csrfToken), ("kind", "users"), ("entity", "bounded"), ("service", "ecr"),
                   ("action", "ListImages"), ("action", "DeleteRepository"), ("run", "1")])
        let page = Self.text(await app.policySimulator(run, values: run.fields, run: true))
        let rows = page.components(separatedBy: "<tr>").filter { $0.contains("<td>ecr:") }
        let delete = try #require(rows.first { $0.contains("ecr:DeleteRepository") })
        let list = try #require(rows.first { $0.contains("ecr:ListImages") })
        #expect(delete.contains("<td><span class=\"decision denied\">denied</span></td></tr>"), "the boundary denies it")
        #expect(list.contains("decision allowed") && list.contains("<td>allowed</td></tr>"))
    }
}
