import PolicyEngine
import PolicyGeneration
import Testing

/// Least-privilege policies from what a principal really did: the policy,
/// attached alone, allows every call made and no other resource.
@Suite("Policy generation")
struct PolicyGeneratorTests {
    static let repository = "arn:aws:ecr:us-east-1:123456789012:repository/app"

    static func allows(_ document: PolicyDocument, _ action: String, _ resource: String) -> Bool {
        let policies = PolicySet(identity: IdentityPolicies(identityPolicies: [AttachedPolicy(id: "p", source: .userManaged, document: document)]))
        let request = AuthorizationRequest(
            principal: .user(arn: "arn:aws:iam::123456789012:user/app"), action: action, resource: resource, context: [:])
        return PolicyEvaluator.evaluate(request, policies: policies).isAllowed
    }

    @Test("actions grouped by the resources they used, in AWS's generated-policy form")
    func shape() throws {
        let calls = [
            ObservedCall(action: "ecr:GetAuthorizationToken", resource: "*", outcome: .allowed),
            ObservedCall(action: "ecr:BatchGetImage", resource: Self.repository, outcome: .allowed),
            ObservedCall(action: "ECR:GetDownloadUrlForLayer", resource: Self.repository, outcome: .implicitDeny),
            ObservedCall(action: "ecr:BatchGetImage", resource: Self.repository, outcome: .allowed),
        ]
        let result = try #require(try PolicyGenerator().generate(from: calls))
        #expect(result.policy == """
            {"Version":"2012-10-17","Statement":[\
            {"Sid":"SupportedServiceSid0","Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"\(Self.repository)"},\
            {"Sid":"SupportedServiceSid1","Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}
            """)
        #expect(result.coveredDenials == [ObservedCall(action: "ECR:GetDownloadUrlForLayer", resource: Self.repository, outcome: .implicitDeny)])
    }

    @Test("resources .any: AWS's default form, every action in one statement on *")
    func anyResource() throws {
        let calls = [
            ObservedCall(action: "ecr:GetAuthorizationToken", resource: "*", outcome: .allowed),
            ObservedCall(action: "ecr:BatchGetImage", resource: Self.repository, outcome: .allowed),
            ObservedCall(action: "iam:GetRole", resource: "arn:aws:iam::123456789012:role/web", outcome: .implicitDeny),
        ]
        let result = try #require(try PolicyGenerator(resources: .any).generate(from: calls))
        #expect(result.policy == #"{"Version":"2012-10-17","Statement":[{"Sid":"SupportedServiceSid0","Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetAuthorizationToken","iam:GetRole"],"Resource":"*"}]}"#)
        #expect(result.coveredDenials.map(\.action) == ["iam:GetRole"])
    }

    @Test("a policy over the managed-policy limit is split by whole statements, each document numbered from 0 and within the limit")
    func split() throws {
        let calls = (0..<40).map { n in
            ObservedCall(action: "ecr:Action\(n)", resource: "arn:aws:ecr:us-east-1:123456789012:repository/team-\(n)/app", outcome: .allowed)
        }
        let result = try #require(try PolicyGenerator().generate(from: calls))
        #expect(result.policies() == [result.policy], "under 6,144 characters: one document")
        let documents = result.policies(maximumLength: 1_000)
        #expect(documents.count > 1)
        var statements = 0
        for document in documents {
            #expect(document.count <= 1_000)
            #expect(document.contains(#""Sid":"SupportedServiceSid0""#))
            let parsed = try PolicyDocument.parse(document, kind: .identity, requiresCurrentVersion: true)
            statements += parsed.statements.count
        }
        #expect(statements == result.statements.count)
    }

    @Test("replayed: the policy allows every recorded call, and not the same actions on other resources")
    func replay() throws {
        var calls: [ObservedCall] = []
        for n in 0..<5 {
            calls.append(ObservedCall(action: "s3:GetObject", resource: "arn:aws:s3:::reports/\(n).csv", outcome: .allowed))
        }
        calls.append(ObservedCall(action: "sts:GetCallerIdentity", resource: "*", outcome: .allowed))
        calls.append(ObservedCall(action: "iam:DeleteRole", resource: "arn:aws:iam::123456789012:role/x", outcome: .explicitDeny))
        let result = try #require(try PolicyGenerator().generate(from: calls))
        for call in calls where call.outcome != .explicitDeny {
            #expect(Self.allows(result.document, call.action, call.resource), "\(call)")
        }
        #expect(!Self.allows(result.document, "s3:GetObject", "arn:aws:s3:::payroll/1.csv"))
        #expect(!Self.allows(result.document, "s3:PutObject", "arn:aws:s3:::reports/0.csv"))
        // An explicit deny is not something an Allow can change: reported, not granted.
        #expect(!Self.allows(result.document, "iam:DeleteRole", "arn:aws:iam::123456789012:role/x"))
        #expect(result.explicitlyDenied.map(\.action) == ["iam:DeleteRole"])
    }

    @Test("many resources become the pattern that covers them")
    func pattern() throws {
        let calls = (0..<25).map {
            ObservedCall(action: "ecr:BatchGetImage", resource: "arn:aws:ecr:us-east-1:123456789012:repository/team-a/app-\($0)", outcome: .allowed)
        }
        let result = try #require(try PolicyGenerator().generate(from: calls))
        #expect(result.policy.contains(#""Resource":"arn:aws:ecr:us-east-1:123456789012:repository/team-a/app-*""#))
        #expect(Self.allows(result.document, "ecr:BatchGetImage", "arn:aws:ecr:us-east-1:123456789012:repository/team-a/app-7"))
        #expect(!Self.allows(result.document, "ecr:BatchGetImage", "arn:aws:ecr:us-east-1:123456789012:repository/team-b/app-7"))
    }

    @Test("a role's policy covers its sessions; a user's only the user")
    func principals() {
        let role = PrincipalScope("arn:aws:iam::123456789012:role/service/app")
        #expect(role.contains("arn:aws:sts::123456789012:assumed-role/app/ci-run-7"))
        #expect(role.contains("arn:aws:iam::123456789012:role/service/app"))
        #expect(!role.contains("arn:aws:sts::123456789012:assumed-role/app2/s"))
        #expect(!role.contains("arn:aws:sts::999999999999:assumed-role/app/s"))
        let user = PrincipalScope("arn:aws:iam::123456789012:user/dev")
        #expect(user.contains("arn:aws:iam::123456789012:user/dev"))
        #expect(!user.contains("arn:aws:iam::123456789012:user/dev2"))
    }

    @Test("no call to allow, no policy")
    func nothing() throws {
        #expect(try PolicyGenerator().generate(from: []) == nil)
        #expect(try PolicyGenerator().generate(from: [ObservedCall(action: "iam:DeleteRole", resource: "*", outcome: .explicitDeny)]) == nil)
    }

    @Test("a logged resource no policy may name: IAM's refusal, not a policy IAM would reject")
    func unacceptable() {
        let calls = [ObservedCall(action: "s3:GetObject", resource: "arn:aws:s3:us-east-1:123456789012:bucket/key", outcome: .allowed)]
        #expect(throws: PolicyGenerator.UnacceptablePolicy.self) { try PolicyGenerator().generate(from: calls) }
        do {
            _ = try PolicyGenerator().generate(from: calls)
        } catch {
            #expect(error.message.hasPrefix("Resource arn:aws:s3:us-east-1:123456789012:bucket/key can not contain region information."), "\(error.message)")
        }
    }
}
