import GatehouseTesting
import Testing

/// The policy simulator decides as enforcement does, and reports what AWS
/// reports (docs/research/fidelity-issue18.md §5).
@Suite("Policy simulator, in process")
struct SimulationInProcessTests {
    static let admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    static let readOnly = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"

    static func simulate(_ world: TestWorld, _ parameters: [String: String]) async throws -> TestWorld.Answer {
        try await world.iamOK("SimulatePrincipalPolicy", parameters)
    }

    @Test("an AWS managed policy is read on the identity policy alone: enforcement allows GetPolicy, and the simulator says allowed")
    func awsManagedPolicyRead() async throws {
        let world = try TestWorld()
        let key = try await IAMInProcessTests.user("reader", in: world)
        try await world.iamOK("AttachUserPolicy", ["UserName": "reader", "PolicyArn": Self.readOnly])
        #expect(try await world.iam("GetPolicy", ["PolicyArn": Self.admin], as: key).status == 200)
        let simulated = try await Self.simulate(world, [
            "PolicySourceArn": "arn:aws:iam::000000000000:user/reader", "ActionNames.member.1": "iam:GetPolicy",
            "ResourceArns.member.1": Self.admin,
        ])
        #expect(simulated.value("EvalDecision") == "allowed", "\(simulated)")
        #expect(simulated.value("SourcePolicyId") == "IAMReadOnlyAccess")
        #expect(simulated.value("SourcePolicyType") == "IAM Policy")
    }

    @Test("a change to an AWS managed policy is refused before any policy is evaluated")
    func awsManagedPolicyChange() async throws {
        let world = try TestWorld()
        let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        let version = try await world.iam("CreatePolicyVersion", ["PolicyArn": Self.admin, "PolicyDocument": document])
        #expect(version.status == 403)
        #expect(version.errorCode == "AccessDenied")
        #expect(version.errorMessage == "Cannot update policies outside your own account.")
        let tag = try await world.iam("TagPolicy", ["PolicyArn": Self.admin, "Tags.member.1.Key": "k", "Tags.member.1.Value": "v"])
        #expect(tag.errorMessage == "Cannot update policies outside your own account.")
        #expect(try await world.iamOK("ListPolicyTags", ["PolicyArn": Self.admin]).values("Key").isEmpty)
    }

    @Test("a resource policy whose Allow names the caller in NotPrincipal does not apply to it, in the simulator as in enforcement")
    func notPrincipalAllow() async throws {
        let world = try TestWorld()
        let bob = try await IAMInProcessTests.user("bob", in: world)
        let eve = try await IAMInProcessTests.user("eve", in: world)
        let bobArn = "arn:aws:iam::000000000000:user/bob"
        for named in [#""\#(bobArn)""#, #"["arn:aws:iam::000000000000:user/carol","\#(bobArn)"]"#] {
            let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":\#(named)},"Action":"ecr:ListImages"}]}"#
            let simulated = try await Self.simulate(world, [
                "PolicySourceArn": bobArn, "ActionNames.member.1": "ecr:ListImages",
                "ResourceArns.member.1": "arn:aws:ecr:us-east-1:000000000000:repository/app", "ResourcePolicy": policy,
            ])
            #expect(simulated.value("EvalDecision") == "implicitDeny", "\(named): \(simulated)")

            try await world.ecr("CreateRepository", #"{"repositoryName":"app"}"#).expectOK()
            try await world.ecr(
                "SetRepositoryPolicy", #"{"repositoryName":"app","policyText":\#(jsonString(policy))}"#).expectOK()
            let refused = try await world.ecr("ListImages", #"{"repositoryName":"app"}"#, as: bob)
            #expect(refused.status == 400, "\(refused)")
            #expect(refused.errorCode == "AccessDeniedException")
            #expect(try await world.ecr("ListImages", #"{"repositoryName":"app"}"#, as: eve).status == 200)
            try await world.ecr("DeleteRepository", #"{"repositoryName":"app","force":true}"#).expectOK()
        }
    }

    @Test("sts:AssumeRole needs the trust policy given as ResourcePolicy to allow, even within the account")
    func trustPolicyMustAllow() async throws {
        let world = try TestWorld()
        let carol = "arn:aws:iam::000000000000:user/carol"
        _ = try await IAMInProcessTests.user("carol", in: world)
        try await world.iamOK("PutUserPolicy", [
            "UserName": "carol", "PolicyName": "assume",
            "PolicyDocument": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
        ])
        let trustingDave = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/dave"},"Action":"sts:AssumeRole"}]}"#
        let trustingCarol = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(carol)"},"Action":"sts:AssumeRole"}]}"#
        let role = "arn:aws:iam::000000000000:role/deploy"
        let refused = try await Self.simulate(world, [
            "PolicySourceArn": carol, "ActionNames.member.1": "sts:AssumeRole", "ResourceArns.member.1": role,
            "ResourcePolicy": trustingDave,
        ])
        #expect(refused.value("EvalDecision") == "implicitDeny", "\(refused)")
        let allowed = try await Self.simulate(world, [
            "PolicySourceArn": carol, "ActionNames.member.1": "sts:AssumeRole", "ResourceArns.member.1": role,
            "ResourcePolicy": trustingCarol,
        ])
        #expect(allowed.value("EvalDecision") == "allowed", "\(allowed)")
        #expect(allowed.values("SourcePolicyType").contains("Resource Policy"))
        #expect(allowed.values("SourcePolicyId").contains("ResourcePolicy"))
    }

    @Test("results carry SourcePolicyId as AWS forms it, IAM Policy as type, Organizations' allow, and one resource-specific result per resource")
    func resultMembers() async throws {
        let world = try TestWorld()
        let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#
        try await world.iamOK("CreateRole", ["RoleName": "app", "AssumeRolePolicyDocument": IAMInProcessTests.trust])
        try await world.iamOK("PutRolePolicy", ["RoleName": "app", "PolicyName": "put", "PolicyDocument": allowAll])
        _ = try await IAMInProcessTests.user("ann", in: world)
        try await world.iamOK("CreateGroup", ["GroupName": "writers"])
        try await world.iamOK("AddUserToGroup", ["GroupName": "writers", "UserName": "ann"])
        try await world.iamOK("PutGroupPolicy", ["GroupName": "writers", "PolicyName": "put", "PolicyDocument": allowAll])
        try await world.iamOK("PutUserPolicy", ["UserName": "ann", "PolicyName": "own", "PolicyDocument": allowAll])

        let bucket = "arn:aws:s3:::bucket"
        let role = try await Self.simulate(world, [
            "PolicySourceArn": "arn:aws:iam::000000000000:role/app", "ActionNames.member.1": "s3:PutObject",
            "ActionNames.member.2": "s3:GetObjectVersion", "ResourceArns.member.1": bucket,
        ])
        #expect(role.values("EvalDecision") == ["allowed", "implicitDeny"])
        #expect(role.values("EvalResourceDecision") == ["allowed", "implicitDeny"])
        #expect(role.values("EvalResourceName") == [bucket, bucket, bucket, bucket])
        // Each result's statement appears in it and again in its resource-specific result.
        #expect(role.values("SourcePolicyId") == ["role_app_put", "role_app_put"])
        #expect(role.values("SourcePolicyType") == ["IAM Policy", "IAM Policy"])
        #expect(role.values("AllowedByOrganizations") == ["true", "true"])
        #expect(role.values("Line") == ["1", "1", "1", "1"])
        #expect(role.values("Column") == ["95", "39", "95", "39"], "EndPosition before StartPosition, one past each brace")
        #expect(role.body.components(separatedBy: "<MissingContextValues").count - 1 == 4, "present, empty, in each result and each resource result")
        #expect(role.body.components(separatedBy: "<EvalDecisionDetails").count - 1 == 2)

        let user = try await Self.simulate(world, [
            "PolicySourceArn": "arn:aws:iam::000000000000:user/ann", "ActionNames.member.1": "s3:PutObject",
        ])
        #expect(Set(user.values("SourcePolicyId")) == ["user_ann_own", "group_writers_put"])
        #expect(user.value("EvalResourceName") == "*")
        #expect(!user.body.contains("ResourceSpecificResults"), "no resource was named")
        #expect(!user.body.contains("EvalDecisionDetails"), "absent for * within the account")
        #expect(user.value("AllowedByOrganizations") == "true")

        let custom = try await world.iamOK("SimulateCustomPolicy", [
            "PolicyInputList.member.1": allowAll, "ActionNames.member.1": "s3:PutObject", "ResourceArns.member.1": bucket,
        ])
        #expect(custom.values("SourcePolicyId") == ["PolicyInputList.1", "PolicyInputList.1"])
        #expect(custom.values("SourcePolicyType") == ["IAM Policy", "IAM Policy"])
    }
}

extension TestWorld.Answer {
    func expectOK(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 200, "\(self)", sourceLocation: sourceLocation)
    }
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
