import PolicyEngine
import Testing

/// AWS's access-denied wording: "User: … is not authorized to perform: … on
/// resource: … because no identity-based policy allows the … action" and
/// "… with an explicit deny in an identity-based policy: <policy ARN>"
/// (IAM User Guide, "Troubleshoot access denied error messages"; ARN suffix
/// as AWS returns it, e.g. "with an explicit deny in a permissions boundary:
/// arn:aws:iam::111111111111:policy/test-boundary").
@Suite("Denial messages")
struct DenialMessageTests {
    typealias F = EvaluationFixture

    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let decision: Decision
        let reason: String?
    }

    static func decide(_ principal: EvaluationPrincipal, _ action: String, on resource: String = "*", account: String? = nil, _ set: PolicySet) -> Decision {
        PolicyEvaluator.evaluate(
            AuthorizationRequest(principal: principal, action: action, resource: resource, resourceAccountID: account),
            policies: set)
    }

    static let cases: [Case] = [
        Case(testDescription: "No identity-based policy allows the action",
             decision: decide(F.alice, "ecr:GetAuthorizationToken", PolicySet()),
             reason: "because no identity-based policy allows the ecr:GetAuthorizationToken action"),
        Case(testDescription: "No permissions boundary allows the action",
             decision: decide(F.alice, "iam:CreateUser", PolicySet(
                identityPolicies: [F.managed("A", F.allowing("*"))],
                permissionsBoundary: F.managed("B", F.allowing("s3:*")))),
             reason: "because no permissions boundary allows the iam:CreateUser action"),
        Case(testDescription: "No session policy allows the action",
             decision: decide(F.session, "s3:PutObject", PolicySet(
                identityPolicies: [F.managed("A", F.allowing("*"))],
                sessionPolicies: [AttachedPolicy(id: "session", source: .none, document: F.document(F.allowing("s3:GetObject")))])),
             reason: "because no session policy allows the s3:PutObject action"),
        Case(testDescription: "No resource-based policy allows a cross-account action",
             decision: decide(F.outsider, "ecr:BatchGetImage", on: F.repository, account: F.account,
                PolicySet(identityPolicies: [F.managed("A", F.allowing("ecr:*"))])),
             reason: "because no resource-based policy allows the ecr:BatchGetImage action"),
        Case(testDescription: "An explicit deny in a managed identity policy names its ARN",
             decision: decide(F.alice, "s3:DeleteBucket", PolicySet(identityPolicies: [F.managed("DenyS3", F.denying("s3:*"))])),
             reason: "with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/DenyS3"),
        Case(testDescription: "An explicit deny in an inline policy has no ARN to name",
             decision: decide(F.alice, "s3:DeleteBucket", PolicySet(identityPolicies: [F.inline("deny", F.denying("s3:*"))])),
             reason: "with an explicit deny in an identity-based policy"),
        Case(testDescription: "An explicit deny in a permissions boundary names the boundary",
             decision: decide(F.alice, "iam:CreateRole", PolicySet(
                identityPolicies: [F.managed("A", F.allowing("*"))],
                permissionsBoundary: F.managed("test-boundary", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:CreateRole","Resource":"*"}]}"#))),
             reason: "with an explicit deny in a permissions boundary: arn:aws:iam::123456789012:policy/test-boundary"),
        Case(testDescription: "An explicit deny in a resource-based policy names no policy",
             decision: decide(F.alice, "ecr:DeleteRepository", on: F.repository, account: F.account, PolicySet(
                resourcePolicy: F.resource(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:*"}]}"#),
                resourceOwnerAccountID: F.account)),
             reason: "with an explicit deny in a resource-based policy"),
        Case(testDescription: "An explicit deny in an inline session policy",
             decision: decide(F.session, "s3:PutObject", PolicySet(
                identityPolicies: [F.managed("A", F.allowing("*"))],
                sessionPolicies: [AttachedPolicy(id: "session", source: .none, document: F.document(F.denying("s3:PutObject")))])),
             reason: "with an explicit deny in a session policy"),
        Case(testDescription: "Across accounts the deny names no policy ARN",
             decision: decide(F.outsider, "ecr:BatchGetImage", on: F.repository, account: F.account,
                PolicySet(identityPolicies: [F.managed("Deny", F.denying("ecr:*"))])),
             reason: "with an explicit deny in an identity-based policy"),
        Case(testDescription: "An allowed request has no denial reason",
             decision: decide(F.alice, "s3:GetObject", PolicySet(identityPolicies: [F.managed("A", F.allowing("s3:*"))])),
             reason: nil),
    ]

    @Test("Denial reasons", arguments: cases)
    func denialReasons(_ testCase: Case) {
        let rendered = testCase.decision.denialReason(action: Self.action(of: testCase))
        #expect(rendered == testCase.reason)
    }

    static func action(of testCase: Case) -> String {
        guard let reason = testCase.reason, reason.hasPrefix("because") else { return "s3:GetObject" }
        return String(reason.split(separator: " ")[6])
    }

    // ECR, 2024 (terraform-aws-iam#514): "… is not authorized to perform:
    // ecr:GetAuthorizationToken on resource: * because no identity-based policy allows …"
    @Test("The whole message keeps the resource clause, as `on resource: *` for actions on *")
    func wholeMessage() {
        let denied = Self.decide(F.alice, "s3:ListAllMyBuckets", PolicySet(identityPolicies: [F.managed("MFA", F.denying("s3:*"))]))
        #expect(denied.accessDeniedMessage(principalARN: F.alice.arn, action: "s3:ListAllMyBuckets", resource: "*")
            == "User: arn:aws:iam::123456789012:user/division/alice is not authorized to perform: s3:ListAllMyBuckets on resource: * with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/MFA")
        let implicit = Self.decide(F.alice, "ecr:BatchGetImage", on: F.repository, account: F.account, PolicySet())
        #expect(implicit.accessDeniedMessage(principalARN: F.alice.arn, action: "ecr:BatchGetImage", resource: F.repository)
            == "User: arn:aws:iam::123456789012:user/division/alice is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:123456789012:repository/app because no identity-based policy allows the ecr:BatchGetImage action")
    }
}
