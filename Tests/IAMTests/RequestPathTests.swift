import GatehouseTesting
import Testing

/// The operation pipeline: an operation loads its target, is authorized and
/// acts in one transaction, and caches stay warm across writes that do not
/// touch what they hold.
@Suite("Request path, in process")
struct RequestPathTests {
    static let trust = IAMInProcessTests.trust

    /// A user allowed everything in IAM, with an access key; returns the key id.
    static func admin(_ name: String, in world: TestWorld) async throws -> String {
        let key = try await IAMInProcessTests.user(name, in: world)
        let attached = try await world.iam(
            "AttachUserPolicy", ["UserName": name, "PolicyArn": "arn:aws:iam::aws:policy/IAMFullAccess"])
        #expect(attached.status == 200, "\(attached)")
        return key
    }

    /// Transactions `body` ran, counted by the store.
    static func transactions(in world: TestWorld, _ body: () async throws -> Void) async throws -> UInt64 {
        let before = world.store.transactionCount
        try await body()
        return world.store.transactionCount - before
    }

    @Test("a warm GetRole by an IAM user is one transaction: the role is loaded, authorized and answered from the same read")
    func getRoleIsOneTransaction() async throws {
        let world = try TestWorld()
        let key = try await Self.admin("ops", in: world)
        #expect(try await world.iam("CreateRole", ["RoleName": "app", "AssumeRolePolicyDocument": Self.trust]).status == 200)
        #expect(try await world.iam("GetRole", ["RoleName": "app"], as: key).status == 200)
        let count = try await Self.transactions(in: world) {
            let read = try await world.iam("GetRole", ["RoleName": "app"], as: key)
            #expect(read.value("RoleName") == "app")
        }
        #expect(count == 1)
    }

    @Test("tagging one role leaves another caller's credentials and policies warm; detaching that caller's policy does not")
    func writesInvalidateWhatTheyTouch() async throws {
        let world = try TestWorld()
        let key = try await Self.admin("ops", in: world)
        for name in ["app", "web"] {
            #expect(try await world.iam("CreateRole", ["RoleName": name, "AssumeRolePolicyDocument": Self.trust]).status == 200)
        }
        #expect(try await world.iam("GetRole", ["RoleName": "app"], as: key).status == 200)
        #expect(try await world.iam("TagRole", ["RoleName": "web", "Tags.member.1.Key": "team", "Tags.member.1.Value": "a"], as: key).status == 200)
        let afterTag = try await Self.transactions(in: world) { () async throws in
            let read = try await world.iam("GetRole", ["RoleName": "app"], as: key)
            #expect(read.status == 200)
        }
        #expect(afterTag == 1)

        let detached = try await world.iam(
            "DetachUserPolicy", ["UserName": "ops", "PolicyArn": "arn:aws:iam::aws:policy/IAMFullAccess"])
        #expect(detached.status == 200)
        let refused = try await world.iam("GetRole", ["RoleName": "app"], as: key)
        #expect(refused.errorCode == "AccessDenied", "\(refused)")
    }

    @Test("a tag on the role is a condition key of the very next request: aws:ResourceTag is read with the role")
    func resourceTagIsCurrent() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("dev", in: world)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"a"}}}]}"#
        #expect(try await world.iam("PutUserPolicy", ["UserName": "dev", "PolicyName": "p", "PolicyDocument": policy]).status == 200)
        #expect(try await world.iam("CreateRole", ["RoleName": "app", "AssumeRolePolicyDocument": Self.trust]).status == 200)
        #expect(try await world.iam("GetRole", ["RoleName": "app"], as: key).errorCode == "AccessDenied")
        #expect(try await world.iam("TagRole", ["RoleName": "app", "Tags.member.1.Key": "team", "Tags.member.1.Value": "a"]).status == 200)
        #expect(try await world.iam("GetRole", ["RoleName": "app"], as: key).status == 200)
        #expect(try await world.iam("UntagRole", ["RoleName": "app", "TagKeys.member.1": "team"]).status == 200)
        #expect(try await world.iam("GetRole", ["RoleName": "app"], as: key).errorCode == "AccessDenied")
    }

    @Test("ListRoles pages in IAM's order (name ignoring case) by marker; a role deleted meanwhile shifts no page; a forged marker is refused")
    func listRolesPages() async throws {
        let world = try TestWorld()
        let names = ["b", "A", "c", "D", "e"]
        for name in names {
            #expect(try await world.iam("CreateRole", ["RoleName": name, "AssumeRolePolicyDocument": Self.trust]).status == 200)
        }
        let first = try await world.iam("ListRoles", ["MaxItems": "2"])
        #expect(first.values("RoleName") == ["A", "b"])
        #expect(first.value("IsTruncated") == "true")
        let marker = try #require(first.value("Marker"))
        #expect(try await world.iam("DeleteRole", ["RoleName": "A"]).status == 200)
        let second = try await world.iam("ListRoles", ["MaxItems": "2", "Marker": marker])
        #expect(second.values("RoleName") == ["c", "D"])
        let third = try await world.iam("ListRoles", ["MaxItems": "2", "Marker": try #require(second.value("Marker"))])
        #expect(third.values("RoleName") == ["e"])
        #expect(third.value("IsTruncated") == "false")
        #expect(third.value("Marker") == nil)

        let forged = try await world.iam("ListRoles", ["Marker": "not-a-marker"])
        #expect(forged.errorCode == "ValidationError", "\(forged)")
        #expect(forged.errorMessage == "Invalid Marker.")
    }
}
