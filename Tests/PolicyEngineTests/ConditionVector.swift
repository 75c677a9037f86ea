import PolicyEngine
import Testing

/// A Condition block, a request context, and whether the statement applies.
/// `name` says the rule and cites the IAM User Guide page it comes from.
struct ConditionVector: Sendable, CustomTestStringConvertible {
    let name: String
    let condition: String
    let context: RequestContext
    let applies: Bool
    var version = "2012-10-17"

    var testDescription: String { name }

    /// Evaluates an Allow statement carrying the condition for Alice.
    func decision() throws -> Decision {
        let json = #"{"Version":"\#(version)","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":\#(condition)}]}"#
        let policy = AttachedPolicy(
            id: "arn:aws:iam::123456789012:policy/P", source: .userManaged,
            document: try PolicyDocument.parse(json, kind: .identity))
        let request = AuthorizationRequest(principal: EvaluationFixture.alice, action: "s3:GetObject", context: context)
        return PolicyEvaluator.evaluate(request, policies: PolicySet(identityPolicies: [policy]))
    }
}
