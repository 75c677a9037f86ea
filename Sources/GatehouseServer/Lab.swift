import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import JSON
import ServiceKit
import StateSnapshot
import Storage
import Platform

/// An instructor's lab: one server, an account per learner. Each learner's
/// account gets a console user (password and access key handed out once, in
/// the roster) and whatever the lab seed says — a list of IAM and ECR calls
/// run as the account's root through the same operations a signed request
/// takes, so a seed is validated as AWS would validate it. Learners are
/// apart because their accounts are: nothing in one account is reachable
/// from another unless a policy says so, as in AWS.
///
/// A lab seed (`gatehouse-lab/1`):
/// ```json
/// {"format": "gatehouse-lab/1",
///  "user": {"name": "learner", "policies": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
///  "calls": [{"service": "iam", "action": "CreateRole", "parameters": {"RoleName": "…", "AssumeRolePolicyDocument": "…"}},
///            {"service": "ecr", "action": "CreateRepository", "parameters": {"repositoryName": "team-a/alpine"}}]}
/// ```
/// `${AccountId}` in a parameter stands for the learner's account id.
struct Lab: Sendable {
    let environment: ServiceEnvironment
    let iam: QueryService
    let ecr: JSONService

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The seed a lab uses when the instructor gives none: a console user with administrator access.
    static let defaultSeed = #"{"format":"gatehouse-lab/1","user":{"name":"learner","policies":["arn:aws:iam::aws:policy/AdministratorAccess"]},"calls":[]}"#

    /// A lab seed, read and checked before any account is made.
    struct Seed {
        var text: String
        var userName: String
        var policies: [String]
        var calls: [(service: String, action: String, parameters: JSONValue)]

        init(_ text: String) throws {
            let json: JSONValue
            do { json = try JSONParser.parse(Array(text.utf8)) } catch { throw Failure(description: "the lab seed is not JSON: \(error)") }
            guard json["format"]?.stringValue == "gatehouse-lab/1" else {
                throw Failure(description: "a lab seed's \"format\" must be \"gatehouse-lab/1\"")
            }
            self.text = text
            userName = json["user"]?["name"]?.stringValue ?? "learner"
            policies = json["user"]?["policies"]?.arrayValue?.compactMap(\.stringValue) ?? []
            calls = []
            for (index, call) in (json["calls"]?.arrayValue ?? []).enumerated() {
                guard let service = call["service"]?.stringValue, ["iam", "ecr"].contains(service),
                    let action = call["action"]?.stringValue, case .object = call["parameters"] ?? .object(JSONObject())
                else {
                    throw Failure(description: "calls[\(index)]: needs \"service\" (iam or ecr), \"action\" and an object of \"parameters\"")
                }
                calls.append((service, action, call["parameters"] ?? .object(JSONObject())))
            }
        }
    }

    /// Makes `count` learners after those already in the roster.
    func create(learners count: Int, seed: Seed) async throws -> [LabLearnerRecord] {
        guard (1...500).contains(count) else { throw Failure(description: "a lab has 1 to 500 learners") }
        let existing = try environment.store.transaction(.read) { tx in try LabLearnerRecord.roster(in: tx) }
        var made: [LabLearnerRecord] = []
        for number in (existing.count + 1)...(existing.count + count) {
            let name = "learner-" + String(number).leftPadded(to: 2, with: "0")
            let accountId = try freeAccountId(after: number)
            var learner = LabLearnerRecord(
                name: name, accountId: accountId, userName: seed.userName, password: Self.password(), accessKeyId: "",
                secretAccessKey: "", seed: seed.text, createdAt: environment.clock.now().secondsSince1970 + Double(number) / 1000)
            learner = try await furnish(learner, seed: seed, newKey: true)
            try environment.store.transaction(.write) { tx in try tx.insert(learner) }
            made.append(learner)
        }
        return made
    }

    /// Puts a learner's account back to its seed: everything in it goes, then
    /// the console user comes back with the same password and access key.
    func reset(_ name: String) async throws -> LabLearnerRecord {
        guard let learner = try environment.store.transaction(.read, { tx in try tx.fetch(LabLearnerRecord.self, key: name) }) else {
            throw Failure(description: "no learner \(name) in this server's lab")
        }
        try environment.store.transaction(.write) { tx in try Snapshot.delete(accounts: [learner.accountId], in: tx) }
        return try await furnish(learner, seed: try Seed(learner.seed), newKey: false)
    }

    func roster() throws -> [LabLearnerRecord] {
        try environment.store.transaction(.read) { tx in try LabLearnerRecord.roster(in: tx) }
    }

    /// The account, its console user and the seed's calls.
    private func furnish(_ learner: LabLearnerRecord, seed: Seed, newKey: Bool) async throws -> LabLearnerRecord {
        var learner = learner
        let now = environment.clock.now().secondsSince1970
        try environment.store.transaction(.write) { tx in
            try tx.save(AccountRecord(id: learner.accountId, alias: nil, createdAt: now))
        }
        try await iam(IAMOperation.CreateUser.self, ["UserName": learner.userName], learner)
        try await iam(
            IAMOperation.CreateLoginProfile.self,
            ["UserName": learner.userName, "Password": learner.password, "PasswordResetRequired": "false"], learner)
        for arn in seed.policies {
            try await iam(IAMOperation.AttachUserPolicy.self, ["UserName": learner.userName, "PolicyArn": Self.filled(arn, learner)], learner)
        }
        if newKey {
            let key = try await iam(IAMOperation.CreateAccessKey.self, ["UserName": learner.userName], learner).accessKey
            learner.accessKeyId = key.accessKeyId
            learner.secretAccessKey = key.secretAccessKey
        } else {
            // The same key as handed out, for the user as made again.
            try environment.store.transaction(.write) { tx in
                guard let user = try UserRecord.named(learner.userName, account: learner.accountId, in: tx) else {
                    throw Failure(description: "\(learner.name): the console user was not made")
                }
                try tx.save(AccessKeyRecord(
                    id: learner.accessKeyId, secret: learner.secretAccessKey, accountId: learner.accountId, userId: user.id,
                    status: "Active", createdAt: now))
            }
        }
        for (index, call) in seed.calls.enumerated() {
            let failure: AWSError?
            switch call.service {
            case "iam":
                var parameters: [String: String] = [:]
                for (key, value) in (call.parameters.objectValue ?? JSONObject()).members {
                    parameters[key] = Self.filled(value.stringValue ?? "", learner)
                }
                if case .failure(let error) = await iam.call(action: call.action, parameters: parameters, context: context(learner)) {
                    failure = error
                } else {
                    failure = nil
                }
            default:
                var writer = JSONWriter()
                writer.value(call.parameters)
                let body = (try? JSONParser.parse(Self.filled(writer.string, learner))) ?? call.parameters
                failure = await ecr.call(action: call.action, body: body, context: context(learner)).failure
            }
            if let failure { throw Failure(description: "\(learner.name): calls[\(index)] \(call.action): \(failure)") }
        }
        return learner
    }

    @discardableResult
    private func iam<Op: QueryOperation>(_ operation: Op.Type, _ parameters: [String: String], _ learner: LabLearnerRecord) async throws -> Op.Output {
        switch await iam.call(operation, parameters, context: context(learner)) {
        case .success(let output): return output
        case .failure(let error): throw Failure(description: "\(learner.name): \(Op.name): \(error)")
        }
    }

    /// The learner's account's root user, as the seed's calls run.
    private func context(_ learner: LabLearnerRecord) -> OperationContext {
        OperationContext(
            requestId: environment.ids.uuid(), principal: .root(accountId: learner.accountId, accessKeyId: ""),
            region: environment.settings.defaultRegion, now: environment.clock.now(), sourceIp: "127.0.0.1",
            secureTransport: false, userAgent: "gatehouse lab", environment: environment)
    }

    static func filled(_ text: String, _ learner: LabLearnerRecord) -> String {
        text.replacing("${AccountId}", with: learner.accountId)
    }

    /// Learner N's account id, `1000 0000 00NN`-like, or the next free one.
    private func freeAccountId(after number: Int) throws -> String {
        try environment.store.transaction(.read) { tx in
            var candidate = 100_000_000_000 + number
            while try tx.fetch(AccountRecord.self, key: String(candidate)) != nil { candidate += 1000 }
            return String(candidate)
        }
    }

    /// A password that meets IAM's default policy and any sensible custom one:
    /// upper and lower case letters, digits and symbols, 16 characters.
    static func password() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        let random = SecureRandom.bytes(12).map { alphabet[Int($0) % alphabet.count] }
        return "Lab-" + String(random) + "7!"
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
