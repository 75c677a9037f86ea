import Foundation
import PolicyValidation
import ServiceCatalog
import Testing

/// Access Analyzer's policy validation: each check fires on a policy that
/// has its problem and stays quiet on one that does not, with AWS's codes,
/// messages and locations (docs/research/access-analyzer.md).
@Suite("Policy validation")
struct PolicyValidatorTests {
    static let catalog = ServiceCatalog(
        text: try! String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("seed/service-catalog.json"), encoding: .utf8))
    static let validator = PolicyValidator(catalog: catalog)

    /// A file of Tests/Fixtures (AWS's own examples, shared by the suites that check them).
    static func fixture(_ name: String) throws -> String {
        try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/" + name), encoding: .utf8)
    }

    static func codes(_ text: String, _ type: ValidationPolicyType = .identity, _ resource: ValidationResourceType? = nil) -> [String] {
        validator.validate(text, policyType: type, resourceType: resource).map(\.issueCode)
    }

    static func statement(_ body: String) -> String {
        #"{"Version":"2012-10-17","Statement":[{\#(body)}]}"#
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let code: String
        let type: ValidationPolicyType
        let resource: ValidationResourceType?
        /// Has the problem.
        let bad: String
        /// The nearest policy without it.
        let good: String
        var testDescription: String { code }

        init(_ code: String, _ type: ValidationPolicyType = .identity, _ resource: ValidationResourceType? = nil, bad: String, good: String) {
            (self.code, self.type, self.resource, self.bad, self.good) = (code, type, resource, bad, good)
        }
    }

    static let allow = #""Effect":"Allow","Action":"s3:GetObject","Resource":"*""#
    static let trust = #""Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole""#

    static let cases: [Case] = [
        Case("JSON_SYNTAX_ERROR", bad: #"{"Version":"2012-10-17","Statement":[}"#, good: statement(allow)),
        Case("DATA_TYPE_MISMATCH", bad: statement(#""Effect":["Allow"],"Action":"s3:GetObject","Resource":"*""#), good: statement(allow)),
        Case("INVALID_POLICY_ELEMENT", bad: statement(allow + #","Resources":"*""#), good: statement(allow)),
        Case("INVALID_VERSION", bad: #"{"Version":"2012-10-18","Statement":[{\#(allow)}]}"#, good: statement(allow)),
        Case("MISSING_VERSION", bad: #"{"Statement":[{\#(allow)}]}"#, good: statement(allow)),
        Case("MISSING_STATEMENT", bad: #"{"Version":"2012-10-17"}"#, good: statement(allow)),
        Case("MISSING_EFFECT", bad: statement(#""Action":"s3:GetObject","Resource":"*""#), good: statement(allow)),
        Case("INVALID_EFFECT", bad: statement(#""Effect":"allow","Action":"s3:GetObject","Resource":"*""#), good: statement(allow)),
        Case("MISSING_ACTION", bad: statement(#""Effect":"Allow","Resource":"*""#), good: statement(allow)),
        Case("MISSING_RESOURCE", bad: statement(#""Effect":"Allow","Action":"s3:GetObject""#), good: statement(allow)),
        Case(
            "UNSUPPORTED_ELEMENT_COMBINATION", bad: statement(allow + #","NotAction":"s3:PutObject""#),
            good: statement(#""Effect":"Allow","NotAction":"s3:PutObject","Resource":"*""#)),
        Case("UNSUPPORTED_PRINCIPAL", bad: statement(allow + #","Principal":"*""#), good: statement(allow)),
        Case("MISSING_PRINCIPAL", .resource, bad: statement(allow), good: statement(allow + #","Principal":{"AWS":"123456789012"}"#)),
        Case(
            "INVALID_PRINCIPAL_FORMAT", .resource, bad: statement(allow + #","Principal":"123456789012""#),
            good: statement(allow + #","Principal":"*""#)),
        Case(
            "INVALID_PRINCIPAL_KEY", .resource, bad: statement(allow + #","Principal":{"Account":"123456789012"}"#),
            good: statement(allow + #","Principal":{"AWS":"123456789012"}"#)),
        Case(
            "EMPTY_OBJECT_PRINCIPAL", .resource, bad: statement(allow + #","Principal":{}"#),
            good: statement(allow + #","Principal":{"AWS":"123456789012"}"#)),
        Case(
            "EMPTY_ARRAY_PRINCIPAL", .resource, bad: statement(allow + #","Principal":{"AWS":[]}"#),
            good: statement(allow + #","Principal":{"AWS":["123456789012"]}"#)),
        Case(
            "ALLOW_WITH_NOT_PRINCIPAL", .resource, bad: statement(allow + #","NotPrincipal":{"AWS":"123456789012"}"#),
            good: statement(#""Effect":"Deny","Action":"s3:GetObject","Resource":"*","NotPrincipal":{"AWS":"123456789012"}"#)),
        Case("SCP_SYNTAX_ERROR_PRINCIPAL", .serviceControl, bad: statement(allow + #","Principal":"*""#), good: statement(allow)),
        Case(
            "RCP_SYNTAX_ERROR_PRINCIPAL", .resourceControl, bad: statement(allow + #","Principal":{"AWS":"123456789012"}"#),
            good: statement(allow + #","Principal":"*""#)),
        Case(
            "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", .resource, .roleTrustPolicy,
            bad: statement(#""Effect":"Allow","NotPrincipal":{"AWS":"123456789012"},"Action":"sts:AssumeRole""#), good: statement(trust)),
        Case(
            "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", .resource, .roleTrustPolicy, bad: statement(trust + #","Resource":"*""#),
            good: statement(trust)),
        Case(
            "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", .resource, .roleTrustPolicy,
            bad: statement(#""Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole""#), good: statement(trust)),
        Case("INVALID_ACTION", bad: statement(#""Effect":"Allow","Action":"s3:GetObjects","Resource":"*""#), good: statement(allow)),
        Case("INVALID_SERVICE_IN_ACTION", bad: statement(#""Effect":"Allow","Action":"s4:GetObject","Resource":"*""#), good: statement(allow)),
        Case("UNSUPPORTED_SID", bad: statement(#""Sid":"read objects","# + allow), good: statement(#""Sid":"ReadObjects","# + allow)),
        Case(
            "UNIQUE_SIDS_REQUIRED", .serviceControl,
            bad: #"{"Version":"2012-10-17","Statement":[{"Sid":"A",\#(allow)},{"Sid":"A","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#,
            good: #"{"Version":"2012-10-17","Statement":[{"Sid":"A",\#(allow)},{"Sid":"B","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#),
        Case(
            "UNIQUE_SIDS_RECOMMENDED",
            bad: #"{"Version":"2012-10-17","Statement":[{"Sid":"A",\#(allow)},{"Sid":"A","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#,
            good: #"{"Version":"2012-10-17","Statement":[{"Sid":"A",\#(allow)},{"Sid":"B","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#),
        Case(
            "INVALID_CONDITION_OPERATOR", bad: statement(allow + #","Condition":{"StringEqual":{"aws:username":"a"}}"#),
            good: statement(allow + #","Condition":{"StringEquals":{"aws:username":"a"}}"#)),
        Case(
            "NULL_WITH_IF_EXISTS", bad: statement(allow + #","Condition":{"NullIfExists":{"aws:TokenIssueTime":"true"}}"#),
            good: statement(allow + #","Condition":{"Null":{"aws:TokenIssueTime":"true"}}"#)),
        Case(
            "INVALID_ARN_PREFIX", bad: statement(#""Effect":"Allow","Action":"s3:GetObject","Resource":"aws:s3:::bucket/*""#),
            good: statement(#""Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*""#)),
        Case(
            "MISSING_ARN_FIELD", bad: statement(#""Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:bucket""#),
            good: statement(#""Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket""#)),
        Case(
            "MISSING_ARN_REGION", bad: statement(#""Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr::123456789012:repository/app""#),
            good: statement(#""Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:*:123456789012:repository/app""#)),
        Case(
            "ARN_REGION_NOT_ALLOWED", bad: statement(#""Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam:us-east-1:123456789012:role/app""#),
            good: statement(#""Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::123456789012:role/app""#)),
        Case(
            "ARN_ACCOUNT_NOT_ALLOWED", bad: statement(#""Effect":"Allow","Action":"route53:GetHostedZone","Resource":"arn:aws:route53::123456789012:hostedzone/Z1""#),
            good: statement(#""Effect":"Allow","Action":"route53:GetHostedZone","Resource":"arn:aws:route53:::hostedzone/Z1""#)),
        Case(
            "INVALID_ARN_ACCOUNT", bad: statement(#""Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::12345:role/app""#),
            good: statement(#""Effect":"Allow","Action":"iam:GetPolicy","Resource":"arn:aws:iam::aws:policy/ReadOnlyAccess""#)),
        Case(
            "INVALID_ARN_SERVICE_CASE", bad: statement(#""Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ECR:us-east-1:123456789012:repository/app""#),
            good: statement(#""Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:us-east-1:123456789012:repository/app""#)),
        Case(
            "UNSUPPORTED_ACTION_IN_POLICY", .resource, .s3Bucket,
            bad: statement(#""Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:Decrypt","Resource":"arn:aws:s3:::bucket/*""#),
            good: statement(#""Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*""#)),
        Case(
            "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", .resource, .s3Bucket,
            bad: statement(#""Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"*""#),
            good: statement(#""Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"]""#)),
        Case(
            "PASS_ROLE_WITH_STAR_IN_RESOURCE", bad: statement(#""Effect":"Allow","Action":"iam:PassRole","Resource":"*""#),
            good: statement(#""Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}"#)),
        Case(
            "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", bad: statement(#""Effect":"Allow","Action":"iam:*","Resource":"*""#),
            good: statement(#""Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:role/app""#)),
        Case(
            "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", bad: statement(#""Effect":"Allow","NotAction":"s3:*","Resource":"*""#),
            good: statement(#""Effect":"Allow","NotAction":["s3:*","iam:*"],"Resource":"*""#)),
        Case(
            "PASS_ROLE_WITH_NOT_RESOURCE", bad: statement(#""Effect":"Allow","Action":"iam:PassRole","NotResource":"arn:aws:iam::123456789012:role/admin""#),
            good: statement(#""Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/app""#)),
        Case(
            "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
            bad: statement(#""Effect":"Allow","Action":"iam:Pass*","NotResource":"arn:aws:iam::123456789012:role/admin""#),
            good: statement(#""Effect":"Allow","Action":"iam:Get*","NotResource":"arn:aws:iam::123456789012:role/admin""#)),
        Case(
            "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
            bad: statement(#""Effect":"Allow","NotAction":"s3:*","NotResource":"arn:aws:iam::123456789012:role/admin""#),
            good: statement(#""Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:iam::123456789012:role/admin""#)),
        Case(
            "MISSING_GITHUB_REPO_CONDITION_KEY", .resource, .roleTrustPolicy,
            bad: statement(
                #""Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#),
            good: statement(
                #""Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:org/app:ref:refs/heads/main"}}"#)),
        Case(
            "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", .resource, .roleTrustPolicy,
            bad: statement(
                #""Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.example.com"},"Action":"sts:AssumeRoleWithWebIdentity""#),
            good: statement(
                #""Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.example.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.example.com:aud":"app"}}"#)),
        Case(
            "WILDCARD_WITHOUT_LIKE_OPERATOR", bad: statement(allow + #","Condition":{"StringEquals":{"aws:username":"dev-*"}}"#),
            good: statement(allow + #","Condition":{"StringLike":{"aws:username":"dev-*"}}"#)),
        Case(
            "MISMATCHED_ACTION_FOR_PRINCIPAL", .resource, .roleTrustPolicy,
            bad: statement(#""Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/corp"},"Action":"sts:AssumeRole""#),
            good: statement(#""Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/corp"},"Action":"sts:AssumeRoleWithSAML""#)),
        Case(
            "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", .resource, .roleTrustPolicy,
            bad: statement(
                #""Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],"Condition":{"StringEquals":{"accounts.google.com:aud":"app"}}"#),
            good: statement(
                #""Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:aud":"app"}}"#)),
        Case("EMPTY_ARRAY_ACTION", bad: statement(#""Effect":"Allow","Action":[],"Resource":"*""#), good: statement(allow)),
        Case("EMPTY_ARRAY_RESOURCE", bad: statement(#""Effect":"Allow","Action":"s3:GetObject","Resource":[]"#), good: statement(allow)),
        Case("EMPTY_OBJECT_CONDITION", bad: statement(allow + #","Condition":{}"#), good: statement(allow)),
        Case(
            "EMPTY_ARRAY_CONDITION", bad: statement(allow + #","Condition":{"StringEquals":{"aws:username":[]}}"#),
            good: statement(allow + #","Condition":{"StringEquals":{"aws:username":["a"]}}"#)),
        Case(
            "EMPTY_ARRAY_CONDITION_FORALLVALUES", bad: statement(allow + #","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":[]}}"#),
            good: statement(allow + #","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}"#)),
        Case(
            "EMPTY_ARRAY_CONDITION_FORANYVALUE", bad: statement(allow + #","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":[]}}"#),
            good: statement(allow + #","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}"#)),
        Case(
            "EMPTY_ARRAY_CONDITION_IFEXISTS", bad: statement(allow + #","Condition":{"StringEqualsIfExists":{"aws:username":[]}}"#),
            good: statement(allow + #","Condition":{"StringEqualsIfExists":{"aws:username":["a"]}}"#)),
        Case("EMPTY_SID_VALUE", bad: statement(#""Sid":"","# + allow), good: statement(#""Sid":"Read","# + allow)),
        Case(
            "REDUNDANT_ACTION", bad: statement(#""Effect":"Allow","Action":["s3:*","s3:GetObject"],"Resource":"*""#),
            good: statement(#""Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*""#)),
        Case(
            "REDUNDANT_STATEMENT", bad: #"{"Version":"2012-10-17","Statement":[{"Sid":"A",\#(allow)},{"Sid":"B",\#(allow)}]}"#,
            good: #"{"Version":"2012-10-17","Statement":[{"Sid":"A",\#(allow)},{"Sid":"B","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#),
    ]

    @Test("each check reports its problem and only that", arguments: cases)
    func check(_ c: Case) {
        #expect(Self.codes(c.bad, c.type, c.resource).contains(c.code), "\(Self.codes(c.bad, c.type, c.resource))")
        #expect(!Self.codes(c.good, c.type, c.resource).contains(c.code), "\(Self.codes(c.good, c.type, c.resource))")
    }

    @Test("a finding as AWS writes it: type, message, link and the value's span (AWS CLI's validate-policy example)")
    func awsCLIExample() throws {
        // awscli/examples/accessanalyzer/validate-policy.rst: AWS's answer for this file.
        let text = try Self.fixture("access-analyzer/validate-policy-cli-example.json")
        let findings = Self.validator.validate(text, policyType: .resource)
        #expect(findings.map(\.issueCode) == ["EMPTY_SID_VALUE", "MISMATCHED_ACTION_FOR_PRINCIPAL", "UNSUPPORTED_ACTION_FOR_CONDITION_KEY"])
        let mismatched = try #require(findings.first { $0.issueCode == "MISMATCHED_ACTION_FOR_PRINCIPAL" })
        #expect(
            mismatched.findingDetails
                == "The sts:AssumeRole action is invalid with the following principal(s): cognito-identity.amazonaws.com. Use a SAML provider principal with the sts:AssumeRoleWithSAML action or use an OIDC provider principal with the sts:AssumeRoleWithWebIdentity action. Ensure the provider is Federated if you use either of the two options."
        )
        #expect(mismatched.locations.map(\.start.offset) == [258, 170])
        #expect(mismatched.locations.map(\.end.offset) == [274, 202])
        #expect(mismatched.locations.map(\.path) == [
            [.value("Statement"), .index(0), .value("Action"), .index(0)], [.value("Statement"), .index(0), .value("Principal"), .value("Federated")],
        ])
        let unsupported = try #require(findings.first { $0.issueCode == "UNSUPPORTED_ACTION_FOR_CONDITION_KEY" })
        #expect(
            unsupported.findingDetails
                == "The following actions: sts:TagSession are not supported by the condition key cognito-identity.amazonaws.com:aud. The condition will not be evaluated for these actions. We recommend that you move these actions to a different statement without this condition key."
        )
        // AWS's end offset there is past the value: the example's value was shortened after capture (research §3.2).
        #expect(unsupported.locations.map(\.start) == [.init(line: 12, column: 16, offset: 292), .init(line: 16, column: 58, offset: 443)])
        #expect(unsupported.locations.last?.path == [.value("Statement"), .index(0), .value("Condition"), .value("StringEquals"), .value("cognito-identity.amazonaws.com:aud")])
        let sid = try #require(findings.first { $0.issueCode == "EMPTY_SID_VALUE" })
        #expect(sid.findingType == .suggestion)
        #expect(sid.findingDetails == "Add a value to the empty string in the Sid element.")
        #expect(
            sid.learnMoreLink
                == "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-suggestion-empty-sid-value"
        )
        #expect(sid.locations == [.init(path: [.value("Statement"), .index(0), .value("Sid")], start: .init(line: 5, column: 19, offset: 79), end: .init(line: 5, column: 21, offset: 81))])
    }

    @Test("iam:PassRole on every role: the security warning, at the action and the resource (AWS's answer, terraform-iam-policy-validator's report 1)")
    func passRoleReport() throws {
        let text = """
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PassExecutionRole",
                        "Effect": "Allow",
                        "Action": "iam:PassRole",
                        "Resource": "*"
                    }
                ]
            }
            """
        let findings = Self.validator.validate(text, policyType: .identity)
        #expect(findings.map(\.issueCode) == ["PASS_ROLE_WITH_STAR_IN_RESOURCE"])
        let finding = try #require(findings.first)
        #expect(finding.findingType == .securityWarning)
        #expect(finding.locations.map(\.path) == [[.value("Statement"), .index(0), .value("Action")], [.value("Statement"), .index(0), .value("Resource")]])
        #expect(finding.locations.map(\.start) == [.init(line: 7, column: 22, offset: 153), .init(line: 8, column: 24, offset: 193)])
        #expect(finding.locations.map(\.end) == [.init(line: 7, column: 36, offset: 167), .init(line: 8, column: 27, offset: 196)])
    }

    @Test("seed 003's ECR policy and seed 000's read policy have no findings; ecr:* with iam:PassRole on * gets the security warning")
    func seedPolicies() {
        let seed003 = """
            {"Version":"2012-10-17","Statement":[
            {"Sid":"AllowECRAuth","Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},
            {"Sid":"AllowECRPull","Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage"],"Resource":"arn:aws:ecr:us-east-1:123456789012:repository/my-app"},
            {"Sid":"AllowECRPush","Effect":"Allow","Action":["ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:PutImage"],"Resource":"arn:aws:ecr:us-east-1:123456789012:repository/my-app"}]}
            """
        #expect(Self.codes(seed003) == [])
        let seed000Read = Self.statement(
            #""Effect":"Allow","Action":["ecr:DescribeImages","ecr:ListImages","ecr:BatchGetImage","ecr:DescribeRepositories","ecr:GetAuthorizationToken","ecr:GetAccountSetting"],"Resource":"*""#)
        #expect(Self.codes(seed000Read) == [])
        let broad = Self.statement(#""Effect":"Allow","Action":["ecr:*","iam:PassRole"],"Resource":"*""#)
        #expect(Self.codes(broad) == ["PASS_ROLE_WITH_STAR_IN_RESOURCE"])
    }

    @Test("positions count UTF-16 code units, as AWS's do")
    func nonASCIIPositions() throws {
        let text = #"{"Version":"2012-10-17","Statement":[{"Sid":"é","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
        let finding = try #require(Self.validator.validate(text, policyType: .identity).first)
        #expect(finding.issueCode == "UNSUPPORTED_SID")
        #expect(finding.locations.first?.start.offset == 44)
        #expect(finding.locations.first?.end.offset == 47)
        let after = Self.validator.validate(text.replacing("*", with: "arn"), policyType: .identity)
        #expect(after.first { $0.issueCode == "INVALID_ARN_PREFIX" }?.locations.first?.start.offset == 100)
    }

    @Test("JSON that does not parse: one finding at the character where it breaks")
    func syntaxError() {
        let findings = Self.validator.validate("policy.json", policyType: .serviceControl)
        #expect(findings.map(\.issueCode) == ["JSON_SYNTAX_ERROR"])
        #expect(findings.first?.findingDetails == "Fix the JSON syntax error at index 0 line 1 column 0.")
    }
}
