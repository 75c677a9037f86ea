import PolicyEngine
import Testing

/// What SimulatePrincipalPolicy/SimulateCustomPolicy report (IAM API
/// Reference, "EvaluationResult" and "Statement").
@Suite("Simulation")
struct SimulationTests {
    typealias F = EvaluationFixture

    @Test("Matched statements list every allow that applied, with positions")
    func matchedAllows() {
        let first = AttachedPolicy(id: "PolicyInputList.1", source: .none, document: F.document(F.allowing("s3:*")))
        let second = AttachedPolicy(id: "PolicyInputList.2", source: .none, document: F.document(#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#))
        let result = PolicyEvaluator.simulate(
            AuthorizationRequest(principal: F.alice, action: "s3:GetObject"),
            policies: PolicySet(identityPolicies: [first, second]))
        #expect(result.decision.outcome == .allowed)
        #expect(result.matchedStatements.map(\.policyID) == ["PolicyInputList.1", "PolicyInputList.2"])
        #expect(result.matchedStatements.map(\.sid) == [nil, "A"])
        #expect(result.matchedStatements.first?.startPosition?.column == 39)
        #expect(result.decisionsByPolicyType == [.identityBased: .allowed])
    }

    @Test("An implicit deny matches no statement")
    func implicitDenyMatchesNothing() {
        let result = PolicyEvaluator.simulate(
            AuthorizationRequest(principal: F.alice, action: "s3:GetObject"),
            policies: PolicySet(identityPolicies: [F.managed("A", F.allowing("ec2:*"))]))
        #expect(result.decision.outcome == .implicitDeny)
        #expect(result.matchedStatements.isEmpty)
    }

    @Test("An explicit deny reports the deny statements")
    func explicitDenyReportsDenies() {
        let result = PolicyEvaluator.simulate(
            AuthorizationRequest(principal: F.alice, action: "s3:GetObject"),
            policies: PolicySet(identityPolicies: [F.managed("A", F.allowing("s3:*")), F.managed("D", F.denying("s3:Get*"))]))
        #expect(result.decision.outcome == .explicitDeny)
        #expect(result.matchedStatements.map(\.effect) == [.deny])
        #expect(result.decisionsByPolicyType[.identityBased] == .explicitDeny)
    }

    @Test("Missing context values are the keys that statements for the action needed")
    func missingContextValues() {
        let policy = F.managed("P", #"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"}}},
              {"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"ec2:Region":"us-east-1"}}}
            ]}
            """#)
        let result = PolicyEvaluator.simulate(
            AuthorizationRequest(principal: F.alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/alice/x",
                                 context: ["aws:username": "alice", "aws:SecureTransport": "true"]),
            policies: PolicySet(identityPolicies: [policy]))
        #expect(result.missingContextValues == ["aws:SourceIp"])
        #expect(result.decision.outcome == .implicitDeny)
    }

    @Test("The permissions boundary detail says whether the boundary allows")
    func boundaryDetail() {
        let set = PolicySet(identityPolicies: [F.managed("A", F.allowing("*"))], permissionsBoundary: F.managed("B", F.allowing("s3:*")))
        let inside = PolicyEvaluator.simulate(AuthorizationRequest(principal: F.alice, action: "s3:GetObject"), policies: set)
        #expect(inside.allowedByPermissionsBoundary == true)
        let outside = PolicyEvaluator.simulate(AuthorizationRequest(principal: F.alice, action: "iam:CreateUser"), policies: set)
        #expect(outside.allowedByPermissionsBoundary == false)
        #expect(outside.decision.policyType == .permissionsBoundary)
        let none = PolicyEvaluator.simulate(AuthorizationRequest(principal: F.alice, action: "s3:GetObject"), policies: PolicySet())
        #expect(none.allowedByPermissionsBoundary == nil)
    }

    @Test("Evaluation gives the same verdict as simulation")
    func evaluateAgreesWithSimulate() {
        let set = PolicySet(
            identityPolicies: [F.managed("A", F.allowing("s3:*")), F.managed("D", F.denying("s3:Delete*"))],
            permissionsBoundary: F.managed("B", F.allowing("s3:Get*")))
        for action in ["s3:GetObject", "s3:DeleteObject", "s3:PutObject", "ec2:RunInstances"] {
            let request = AuthorizationRequest(principal: F.alice, action: action)
            #expect(PolicyEvaluator.evaluate(request, policies: set).outcome
                == PolicyEvaluator.simulate(request, policies: set).decision.outcome)
        }
    }
}
