import Foundation
import GatehouseTesting
import Hashing
import Testing

/// MFA proven with AssumeRole or GetSessionToken counts where policies are
/// evaluated: in the role's trust policy, and in every later request of the session.
@Suite("STS with MFA, in process")
struct MFAInProcessTests {
    static let role = "arn:aws:iam::000000000000:role/admin"

    /// A trust policy that lets `user` in only with MFA, as AWS's documentation writes it.
    static let mfaTrust = #"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},
          "Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}
        """#

    /// A user `name` with an enabled virtual MFA device; returns its key, serial number and seed.
    static func userWithDevice(_ name: String, in world: TestWorld) async throws -> (key: String, serial: String, seed: [UInt8]) {
        let key = try await STSInProcessTests.user(name, policy: STSInProcessTests.assumeAnything, in: world)
        let device = try await world.iam("CreateVirtualMFADevice", ["VirtualMFADeviceName": name])
        // The wire carries the Base32 text base64-encoded, as a blob.
        let encoded = try #require(device.value("Base32StringSeed"))
        let blob = try #require(Data(base64Encoded: encoded))
        let seed = try #require(Base32.decode(String(decoding: blob, as: UTF8.self)))
        let serial = try #require(device.value("SerialNumber"))
        let now = world.clock.now().secondsSince1970
        let enabled = try await world.iam("EnableMFADevice", [
            "UserName": name, "SerialNumber": serial, "AuthenticationCode1": TOTP.code(seed: seed, at: now - 30),
            "AuthenticationCode2": TOTP.code(seed: seed, at: now),
        ])
        #expect(enabled.status == 200, "\(enabled)")
        return (key, serial, seed)
    }

    static func iamOK(_ world: TestWorld, _ action: String, _ parameters: [String: String]) async throws {
        let answer = try await world.iam(action, parameters)
        #expect(answer.status == 200, "\(action): \(answer)")
    }

    static func code(_ seed: [UInt8], _ world: TestWorld) -> String { TOTP.code(seed: seed, at: world.clock.now().secondsSince1970) }

    static func wrong(_ seed: [UInt8], _ world: TestWorld) -> String { code(seed, world) == "000000" ? "111111" : "000000" }

    @Test("a trust policy requiring MFA lets the user in with SerialNumber and TokenCode, and not without")
    func trustSeesMFA() async throws {
        let world = try TestWorld()
        let alice = try await Self.userWithDevice("alice", in: world)
        try await Self.iamOK(world, "CreateRole", ["RoleName": "admin", "AssumeRolePolicyDocument": Self.mfaTrust])
        let request = ["RoleArn": Self.role, "RoleSessionName": "work"]

        let without = try await world.sts("AssumeRole", request, as: alice.key)
        #expect(without.status == 403)
        #expect(without.errorMessage == "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: sts:AssumeRole on resource: \(Self.role)")

        let with = try await world.sts(
            "AssumeRole", request.merging(["SerialNumber": alice.serial, "TokenCode": Self.code(alice.seed, world)]) { $1 }, as: alice.key)
        #expect(with.status == 200, "\(with)")
    }

    @Test("a wrong code, or another user's device, is refused with AWS's words and issues nothing")
    func refusedCodes() async throws {
        let world = try TestWorld()
        let alice = try await Self.userWithDevice("alice", in: world)
        let bob = try await Self.userWithDevice("bob", in: world)
        try await Self.iamOK(world, "CreateRole", ["RoleName": "admin", "AssumeRolePolicyDocument": Self.mfaTrust])
        let request = ["RoleArn": Self.role, "RoleSessionName": "work"]

        let wrong = try await world.sts(
            "AssumeRole", request.merging(["SerialNumber": alice.serial, "TokenCode": Self.wrong(alice.seed, world)]) { $1 }, as: alice.key)
        #expect(wrong.status == 403)
        #expect(wrong.errorCode == "AccessDenied")
        #expect(wrong.errorMessage == "MultiFactorAuthentication failed with invalid MFA one time pass code. ")

        let others = try await world.sts(
            "AssumeRole", request.merging(["SerialNumber": bob.serial, "TokenCode": Self.code(bob.seed, world)]) { $1 }, as: alice.key)
        #expect(others.status == 403)
        #expect(others.errorMessage
            == "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
        let token = try await world.sts(
            "GetSessionToken", ["SerialNumber": bob.serial, "TokenCode": Self.code(bob.seed, world)], as: alice.key)
        #expect(token.errorMessage == others.errorMessage)
    }

    @Test("a session from MFA carries aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge, counted from the MFA through chaining")
    func sessionCarriesMFA() async throws {
        let world = try TestWorld()
        let alice = try await Self.userWithDevice("alice", in: world)
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#
        try await Self.iamOK(world, "CreateRole", ["RoleName": "admin", "AssumeRolePolicyDocument": trust])
        // Listing users needs MFA proven within the last ten minutes.
        let recent = #"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"600"}}},
              {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}
            """#
        try await Self.iamOK(world, "PutRolePolicy", ["RoleName": "admin", "PolicyName": "recent", "PolicyDocument": recent])

        let plain = try await world.sts("AssumeRole", ["RoleArn": Self.role, "RoleSessionName": "plain"], as: alice.key)
        let plainKey = try #require(plain.value("AccessKeyId"))
        #expect(try await world.iam("ListUsers", [:], as: plainKey).status == 403, "no MFA, no age")

        let proven = try await world.sts(
            "AssumeRole", ["RoleArn": Self.role, "RoleSessionName": "mfa", "SerialNumber": alice.serial, "TokenCode": Self.code(alice.seed, world)],
            as: alice.key)
        let provenKey = try #require(proven.value("AccessKeyId"))
        #expect(try await world.iam("ListUsers", [:], as: provenKey).status == 200)

        world.clock.advance(seconds: 300)
        // Chained from the MFA session: still MFA, and the age runs from the MFA, not from the chained session.
        let chained = try await world.sts("AssumeRole", ["RoleArn": Self.role, "RoleSessionName": "chained"], as: provenKey)
        #expect(chained.status == 200, "\(chained)")
        let chainedKey = try #require(chained.value("AccessKeyId"))
        #expect(try await world.iam("ListUsers", [:], as: chainedKey).status == 200)
        world.clock.advance(seconds: 301)
        #expect(try await world.iam("ListUsers", [:], as: provenKey).status == 403, "the MFA is over ten minutes old")
        #expect(try await world.iam("ListUsers", [:], as: chainedKey).status == 403)
    }

    @Test("GetSessionToken with MFA gives a session that policies see as MFA-authenticated")
    func sessionTokenMFA() async throws {
        let world = try TestWorld()
        let alice = try await Self.userWithDevice("alice", in: world)
        let mfaOnly = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#
        try await Self.iamOK(world, "PutUserPolicy", ["UserName": "alice", "PolicyName": "mfa", "PolicyDocument": mfaOnly])
        #expect(try await world.iam("ListUsers", [:], as: alice.key).status == 403)
        let token = try await world.sts(
            "GetSessionToken", ["SerialNumber": alice.serial, "TokenCode": Self.code(alice.seed, world)], as: alice.key)
        #expect(token.status == 200, "\(token)")
        let sessionKey = try #require(token.value("AccessKeyId"))
        #expect(try await world.iam("ListUsers", [:], as: sessionKey).status == 200)
    }
}
