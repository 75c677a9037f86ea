import AWSShapes
@testable import Console
import Foundation
@testable import GatehouseServer
import GatehouseTesting
import ServiceKit
import Storage
import Testing

/// An instructor's lab: an account per learner, and learners kept apart.
@Suite("Lab: one server, an account per learner")
struct LabTests {
    let world: TestWorld
    let lab: Lab
    let console: ConsoleApp

    init() throws {
        world = try TestWorld()
        lab = Lab(environment: world.environment, iam: world.iam, ecr: world.ecr)
        console = ConsoleApp(
            environment: world.environment, iam: world.iam, sts: world.sts, ecr: world.ecr, accessAnalyzer: world.accessAnalyzer,
            decisions: world.decisions)
    }

    static let seed = #"""
        {"format": "gatehouse-lab/1",
         "user": {"name": "student", "policies": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
         "calls": [
           {"service": "iam", "action": "CreateRole", "parameters": {"RoleName": "ecr_access_teama_role",
             "AssumeRolePolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::${AccountId}:root\"},\"Action\":\"sts:AssumeRole\"}]}"}},
           {"service": "ecr", "action": "CreateRepository", "parameters": {"repositoryName": "team-a/alpine"}}
         ]}
        """#

    func signIn(_ learner: LabLearnerRecord, account: String? = nil) async throws -> ConsoleApp.Request? {
        guard case .signedIn(let token) = try await console.signIn.user(
            account: account ?? learner.accountId, userName: learner.userName, password: learner.password),
            let session = try console.sessions.session(token: token)
        else { return nil }
        return ConsoleApp.Request(session: session, sourceIp: "127.0.0.1", query: [:], form: [])
    }

    @Test("each learner gets an account with a console user, a password, a working key and the seed's resources")
    func create() async throws {
        let learners = try await lab.create(learners: 3, seed: try Lab.Seed(Self.seed))
        #expect(learners.map(\.name) == ["learner-01", "learner-02", "learner-03"])
        #expect(Set(learners.map(\.accountId)).count == 3)
        for learner in learners {
            let me = try await world.sts("GetCallerIdentity", as: learner.accessKeyId)
            #expect(me.value("Arn") == "arn:aws:iam::\(learner.accountId):user/student")
            #expect(try await world.iam("GetRole", ["RoleName": "ecr_access_teama_role"], as: learner.accessKeyId).status == 200)
            #expect(try await world.ecr("DescribeRepositories", as: learner.accessKeyId).body.contains("team-a/alpine"))
            #expect(try await signIn(learner) != nil)
        }
        // More learners continue the roster.
        let more = try await lab.create(learners: 1, seed: try Lab.Seed(Lab.defaultSeed))
        #expect(more.map(\.name) == ["learner-04"])
        #expect(try lab.roster().count == 4)
    }

    @Test("a learner can never see or touch another learner's account")
    func isolation() async throws {
        let learners = try await lab.create(learners: 2, seed: try Lab.Seed(Self.seed))
        let (one, two) = (learners[0], learners[1])
        // IAM answers about one's own account only.
        let users = try await world.iam("ListUsers", as: one.accessKeyId)
        #expect(users.values("Arn") == ["arn:aws:iam::\(one.accountId):user/student"])
        // Another learner's registry and roles are refused.
        let registry = try await world.ecr("DescribeRepositories", #"{"registryId":"\#(two.accountId)"}"#, as: one.accessKeyId)
        #expect(registry.errorCode == "AccessDeniedException")
        let assume = try await world.sts("AssumeRole", [
            "RoleArn": "arn:aws:iam::\(two.accountId):role/ecr_access_teama_role", "RoleSessionName": "intruder",
        ], as: one.accessKeyId)
        #expect(assume.errorCode == "AccessDenied")
        let push = try await world.ecr(
            "DeleteRepository", #"{"registryId":"\#(two.accountId)","repositoryName":"team-a/alpine","force":true}"#, as: one.accessKeyId)
        #expect(push.errorCode == "AccessDeniedException")
        #expect(try await world.ecr("DescribeRepositories", as: two.accessKeyId).body.contains("team-a/alpine"))
        // One's password does not open the other's account in the console.
        #expect(try await signIn(one, account: two.accountId) == nil)
        // An administrator of one account sees its own denials, never the other account's.
        let oneConsole = try #require(try await signIn(one))
        let twoConsole = try #require(try await signIn(two))
        #expect(try await world.iam("CreateUser", ["UserName": "reader"], as: two.accessKeyId).status == 200)
        #expect(try await world.iam("CreateLoginProfile", ["UserName": "reader", "Password": "Reader-Passw0rd!"], as: two.accessKeyId).status == 200)
        guard case .signedIn(let token) = try await console.signIn.user(account: two.accountId, userName: "reader", password: "Reader-Passw0rd!"),
            let readerSession = try console.sessions.session(token: token)
        else {
            Issue.record("reader could not sign in")
            return
        }
        let reader = ConsoleApp.Request(session: readerSession, sourceIp: "127.0.0.1", query: [:], form: [])
        guard case .failure(let denied) = await console.call(IAMOperation.GetRole.self, ["RoleName": "x"], reader) else {
            Issue.record("a user without policies was allowed")
            return
        }
        let requestId = try #require(denied.requestId)
        #expect(console.accessDeniedEntry(reader, requestId: requestId).status == 200, "the reader sees its own denial")
        #expect(console.accessDeniedEntry(twoConsole, requestId: requestId).status == 200, "learner-02's administrator sees it")
        #expect(console.accessDeniedEntry(oneConsole, requestId: requestId).status == 404, "learner-01's administrator does not")
    }

    @Test("reset puts one learner's account back to the seed with the same sign-in and key, and leaves the others alone")
    func reset() async throws {
        let learners = try await lab.create(learners: 2, seed: try Lab.Seed(Self.seed))
        let (one, two) = (learners[0], learners[1])
        #expect(try await world.iam("CreateUser", ["UserName": "extra"], as: one.accessKeyId).status == 200)
        #expect(try await world.iam("CreateUser", ["UserName": "extra"], as: two.accessKeyId).status == 200)
        #expect(try await world.iam("DeleteRole", ["RoleName": "ecr_access_teama_role"], as: one.accessKeyId).status == 200)

        let again = try await lab.reset("learner-01")
        #expect(again.accessKeyId == one.accessKeyId && again.password == one.password)
        #expect(try await world.iam("GetUser", ["UserName": "extra"], as: one.accessKeyId).errorCode == "NoSuchEntity")
        #expect(try await world.iam("GetRole", ["RoleName": "ecr_access_teama_role"], as: one.accessKeyId).status == 200)
        #expect(try await world.iam("GetUser", ["UserName": "extra"], as: two.accessKeyId).status == 200)
        #expect(try await signIn(again) != nil)
        await #expect(throws: Lab.Failure.self) { try await lab.reset("learner-99") }
    }

    @Test("a bad lab seed is refused before any account is made")
    func badSeed() async throws {
        #expect(throws: Lab.Failure.self) { try Lab.Seed(#"{"format":"gatehouse-seed/1"}"#) }
        #expect(throws: Lab.Failure.self) { try Lab.Seed(#"{"format":"gatehouse-lab/1","calls":[{"service":"s3","action":"CreateBucket"}]}"#) }
        #expect(try lab.roster().isEmpty)
    }
}
