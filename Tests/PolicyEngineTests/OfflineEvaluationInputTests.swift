import PolicyEngine
import Testing

/// What `gatehouse policy eval` and `policy validate` build on: principals
/// named by ARN, context entries typed as `key=value`, and positions for
/// every refusal.
@Suite("Offline evaluation inputs")
struct OfflineEvaluationInputTests {
    @Test("A user ARN names an IAM user of its account")
    func userARN() {
        let principal = EvaluationPrincipal(arn: "arn:aws:iam::123456789012:user/division/alice")
        #expect(principal == .user(arn: "arn:aws:iam::123456789012:user/division/alice"))
        #expect(principal?.accountID == "123456789012")
    }

    @Test("A root ARN names the account's root user")
    func rootARN() {
        #expect(EvaluationPrincipal(arn: "arn:aws:iam::123456789012:root") == .root(accountID: "123456789012"))
    }

    @Test("An assumed-role ARN names a session of the role")
    func assumedRoleARN() {
        let principal = EvaluationPrincipal(arn: "arn:aws:sts::123456789012:assumed-role/Deploy/ci")
        #expect(principal?.kind == .assumedRole(roleARN: "arn:aws:iam::123456789012:role/Deploy"))
        #expect(principal?.arn == "arn:aws:sts::123456789012:assumed-role/Deploy/ci")
    }

    @Test("A role ARN names a session of that role, its path kept in the role ARN")
    func roleARN() {
        let principal = EvaluationPrincipal(arn: "arn:aws:iam::123456789012:role/ops/Deploy")
        #expect(principal?.kind == .assumedRole(roleARN: "arn:aws:iam::123456789012:role/ops/Deploy"))
        #expect(principal?.arn == "arn:aws:sts::123456789012:assumed-role/Deploy/Deploy")
    }

    @Test("Services and * are principals; other text is not", arguments: [
        ("ecs-tasks.amazonaws.com", true), ("*", true), ("alice", false), ("arn:aws:s3:::bucket", false),
        ("arn:aws:iam::12:user/alice", false), ("arn:aws:iam::123456789012:user/", false),
    ])
    func otherPrincipals(_ text: String, _ accepted: Bool) {
        #expect((EvaluationPrincipal(arn: text) != nil) == accepted)
    }

    @Test("Context assignments repeat a key for several values, keep = in values and ignore key case")
    func contextAssignments() throws {
        let context = try RequestContext(assignments: [
            "aws:SourceIp=10.0.0.1", "aws:TagKeys=a", "AWS:tagkeys=b", "s3:prefix=a=b", "aws:username=",
        ])
        #expect(context["aws:sourceip"] == ContextValue("10.0.0.1"))
        #expect(context["aws:TagKeys"] == ContextValue(["a", "b"]))
        #expect(context["s3:prefix"] == ContextValue("a=b"))
        #expect(context["aws:username"] == ContextValue(""))
        #expect(context.keys.contains("aws:TagKeys"))
    }

    @Test("A context assignment without a key or = is refused", arguments: ["aws:SourceIp", "=1", ""])
    func badAssignments(_ text: String) {
        #expect(throws: RequestContext.AssignmentError.self) { try RequestContext(assignments: [text]) }
    }

    @Test("Context values drive conditions as the server's do")
    func contextDrivesConditions() throws {
        let document = try PolicyDocument.parse(
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}"#,
            kind: .identity)
        let policies = PolicySet(identityPolicies: [AttachedPolicy(id: "p", source: .none, document: document)])
        let alice = EvaluationPrincipal.user(arn: "arn:aws:iam::123456789012:user/alice")
        func decide(_ ip: String) throws -> Decision.Outcome {
            PolicyEvaluator.evaluate(
                AuthorizationRequest(principal: alice, action: "s3:GetObject", context: try RequestContext(assignments: ["aws:SourceIp=\(ip)"])),
                policies: policies
            ).outcome
        }
        #expect(try decide("10.1.2.3") == .allowed)
        #expect(try decide("192.168.0.1") == .implicitDeny)
    }

    @Test("A managed policy without the current Version is refused at the document's start")
    func versionErrorHasAPosition() {
        do {
            _ = try PolicyDocument.parse(
                "\n  {\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}", kind: .identity,
                requiresCurrentVersion: true)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .versionTooOld)
            #expect(error.position?.line == 2)
            #expect(error.position?.column == 3)
        }
    }
}
