import PolicyEngine
import Testing

/// "IAM policy elements: Variables and tags" (IAM User Guide).
@Suite("Policy variables")
struct PolicyVariableTests {
    typealias F = EvaluationFixture

    func allows(_ policy: String, _ resource: String, context: RequestContext, action: String = "s3:GetObject") -> Bool {
        let set = PolicySet(identityPolicies: [F.managed("P", policy)])
        return PolicyEvaluator.evaluate(
            AuthorizationRequest(principal: F.alice, action: action, resource: resource, context: context),
            policies: set
        ).isAllowed
    }

    static let home = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::mybucket/${aws:username}/*"}]}"#

    @Test("${aws:username} in a Resource is the requesting user's name")
    func usernameInResource() {
        #expect(allows(Self.home, "arn:aws:s3:::mybucket/alice/notes.txt", context: ["aws:username": "alice"]))
        #expect(!allows(Self.home, "arn:aws:s3:::mybucket/bob/notes.txt", context: ["aws:username": "alice"]))
    }

    @Test("A variable whose key is missing makes the resource match nothing")
    func missingVariableMatchesNothing() {
        #expect(!allows(Self.home, "arn:aws:s3:::mybucket/alice/notes.txt", context: [:]))
        #expect(!allows(Self.home, "arn:aws:s3:::mybucket/${aws:username}/notes.txt", context: [:]))
    }

    @Test("A substituted value is literal: a * in it is not a wildcard")
    func substitutedValuesAreLiteral() {
        #expect(!allows(Self.home, "arn:aws:s3:::mybucket/anything/notes.txt", context: ["aws:username": "*"]))
        #expect(allows(Self.home, "arn:aws:s3:::mybucket/*/notes.txt", context: ["aws:username": "*"]))
    }

    @Test("In a 2008-10-17 document variables are literal text")
    func oldVersionIsLiteral() {
        let old = #"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::mybucket/${aws:username}/*"}]}"#
        #expect(!allows(old, "arn:aws:s3:::mybucket/alice/notes.txt", context: ["aws:username": "alice"]))
        #expect(allows(old, "arn:aws:s3:::mybucket/${aws:username}/notes.txt", context: ["aws:username": "alice"]))
        let none = #"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::mybucket/${aws:username}/*"}]}"#
        #expect(!allows(none, "arn:aws:s3:::mybucket/alice/notes.txt", context: ["aws:username": "alice"]))
    }

    @Test("A default value stands in for a missing key (Specifying default values)")
    func defaultValue() {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:userid, 'anonymous'}/*"}]}"#
        #expect(allows(policy, "arn:aws:s3:::bucket/anonymous/x", context: [:]))
        #expect(allows(policy, "arn:aws:s3:::bucket/AIDAEXAMPLE/x", context: ["aws:userid": "AIDAEXAMPLE"]))
        #expect(!allows(policy, "arn:aws:s3:::bucket/anonymous/x", context: ["aws:userid": "AIDAEXAMPLE"]))
    }

    @Test("${*}, ${?} and ${$} stand for the literal characters (Special characters)")
    func specialCharacters() {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${*}${?}${$}"}]}"#
        #expect(allows(policy, "arn:aws:s3:::bucket/*?$", context: [:]))
        #expect(!allows(policy, "arn:aws:s3:::bucket/ab$", context: [:]))
    }

    @Test("Principal tags work as variables (Tags as policy variables)")
    func principalTagVariable() {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/department}"}]}"#
        #expect(allows(policy, "arn:aws:s3:::bucket/finance", context: ["aws:PrincipalTag/department": "finance"]))
        #expect(!allows(policy, "arn:aws:s3:::bucket/finance", context: ["aws:PrincipalTag/department": "sales"]))
    }

    @Test("Variables work in string condition values and key names of the variable ignore case")
    func variablesInConditions() {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:AttachVolume","Resource":"*","Condition":{"StringEquals":{"ec2:ResourceTag/VolumeUser":"${AWS:UserName}"}}}]}"#
        #expect(allows(policy, "*", context: ["ec2:ResourceTag/VolumeUser": "alice", "aws:username": "alice"], action: "ec2:AttachVolume"))
        #expect(!allows(policy, "*", context: ["ec2:ResourceTag/VolumeUser": "bob", "aws:username": "alice"], action: "ec2:AttachVolume"))
    }

    @Test("Variables in ARN condition values are substituted per component")
    func variablesInArnConditions() {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalAccount}:*"}}}]}"#
        #expect(allows(policy, "*", context: ["aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t", "aws:PrincipalAccount": "123456789012"], action: "sns:Publish"))
        #expect(!allows(policy, "*", context: ["aws:SourceArn": "arn:aws:sns:us-east-1:999999999999:t", "aws:PrincipalAccount": "123456789012"], action: "sns:Publish"))
    }

    @Test("Numeric operators take no variables")
    func numericTakesNoVariables() {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericEquals":{"s3:max-keys":"${x:limit}"}}}]}"#
        #expect(!allows(policy, "*", context: ["s3:max-keys": "10", "x:limit": "10"], action: "s3:ListBucket"))
    }

    @Test("A principal supplies its global keys: aws:username for users, the role for sessions")
    func principalGlobalKeys() {
        let user = F.alice.globalContextKeys
        #expect(user["aws:username"] == "alice")
        #expect(user["aws:PrincipalType"] == "User")
        #expect(user["aws:PrincipalAccount"] == "123456789012")
        let session = F.session.globalContextKeys
        #expect(session["aws:PrincipalArn"] == ContextValue(F.roleARN))
        #expect(session["aws:username"] == nil)
    }
}
