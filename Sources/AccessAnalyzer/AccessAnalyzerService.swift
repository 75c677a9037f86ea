import AWSShapes
import ServiceKit

/// IAM Access Analyzer (REST-JSON, API version 2019-11-01): `ValidatePolicy`
/// over PolicyValidation, the custom policy checks over PolicyEngine
/// (`PolicyAccess`), policy generation over the decision log
/// (`PolicyGenerations`); every other operation of the model answers
/// NotImplementedException naming itself.
public enum AccessAnalyzerService {
    /// botocore's `signingName` and `endpointPrefix` (docs/research/access-analyzer.md §1.1).
    public static let signingName = "access-analyzer"

    /// - Parameter decisions: the trail policy generation reads.
    public static func make(decisions: DecisionLog) -> RestJSONService {
        RestJSONService(
            name: "Access Analyzer", signingName: signingName, routes: routes,
            malformedBody: { validationException("Unable to parse the request body.", reason: "cannotParse") }
        ) { r in
            r.register(ValidatePolicy.self, ValidatePolicy.behaviour)
            r.register(CheckAccessNotGranted.self, CheckAccessNotGranted.behaviour)
            r.register(CheckNoNewAccess.self, CheckNoNewAccess.behaviour)
            r.register(CheckNoPublicAccess.self, CheckNoPublicAccess.behaviour)
            PolicyGenerations.register(in: &r, decisions: decisions)
        }
    }

    /// Every operation's `http` binding in botocore 1.43.11's
    /// `accessanalyzer/2019-11-01/service-2.json` (§1.2 lists the policy ones).
    static let routes: [RestJSONService.Route] = [
        .init("PUT", "/archive-rule", "ApplyArchiveRule"),
        .init("PUT", "/policy/generation/{jobId}", "CancelPolicyGeneration"),
        .init("POST", "/policy/check-access-not-granted", "CheckAccessNotGranted"),
        .init("POST", "/policy/check-no-new-access", "CheckNoNewAccess"),
        .init("POST", "/policy/check-no-public-access", "CheckNoPublicAccess"),
        .init("PUT", "/access-preview", "CreateAccessPreview"),
        .init("PUT", "/analyzer", "CreateAnalyzer"),
        .init("PUT", "/analyzer/{analyzerName}/archive-rule", "CreateArchiveRule"),
        .init("PUT", "/service-linked-analyzer", "CreateServiceLinkedAnalyzer"),
        .init("DELETE", "/analyzer/{analyzerName}", "DeleteAnalyzer"),
        .init("DELETE", "/analyzer/{analyzerName}/archive-rule/{ruleName}", "DeleteArchiveRule"),
        .init("DELETE", "/service-linked-analyzer/{analyzerName}", "DeleteServiceLinkedAnalyzer"),
        .init("POST", "/recommendation/{id}", "GenerateFindingRecommendation"),
        .init("GET", "/access-preview/{accessPreviewId}", "GetAccessPreview"),
        .init("GET", "/analyzed-resource", "GetAnalyzedResource"),
        .init("GET", "/analyzer/{analyzerName}", "GetAnalyzer"),
        .init("GET", "/analyzer/{analyzerName}/archive-rule/{ruleName}", "GetArchiveRule"),
        .init("GET", "/finding/{id}", "GetFinding"),
        .init("GET", "/recommendation/{id}", "GetFindingRecommendation"),
        .init("GET", "/findingv2/{id}", "GetFindingV2"),
        .init("POST", "/analyzer/findings/statistics", "GetFindingsStatistics"),
        .init("GET", "/policy/generation/{jobId}", "GetGeneratedPolicy"),
        .init("POST", "/access-preview/{accessPreviewId}", "ListAccessPreviewFindings"),
        .init("GET", "/access-preview", "ListAccessPreviews"),
        .init("POST", "/analyzed-resource", "ListAnalyzedResources"),
        .init("GET", "/analyzer", "ListAnalyzers"),
        .init("GET", "/analyzer/{analyzerName}/archive-rule", "ListArchiveRules"),
        .init("POST", "/finding", "ListFindings"),
        .init("POST", "/findingv2", "ListFindingsV2"),
        .init("GET", "/policy/generation", "ListPolicyGenerations"),
        .init("GET", "/tags/{resourceArn}", "ListTagsForResource"),
        .init("PUT", "/policy/generation", "StartPolicyGeneration"),
        .init("POST", "/resource/scan", "StartResourceScan"),
        .init("POST", "/tags/{resourceArn}", "TagResource"),
        .init("DELETE", "/tags/{resourceArn}", "UntagResource"),
        .init("PUT", "/analyzer/{analyzerName}", "UpdateAnalyzer"),
        .init("PUT", "/analyzer/{analyzerName}/archive-rule/{ruleName}", "UpdateArchiveRule"),
        .init("PUT", "/finding", "UpdateFindings"),
        .init("POST", "/policy/validation", "ValidatePolicy"),
    ]

    /// Every operation is authorized as its own action on the account's and
    /// region's wildcard ARN, as AWS names it in a denial (§1.5).
    static func access<Input>(_ operation: String) -> Access<Input> {
        .check { _, context in
            [AccessRequest(
                action: signingName + ":" + operation,
                resource: "arn:aws:access-analyzer:\(context.region):\(context.accountId):*", facts: .loaded(nil))]
        }
    }

    /// `ValidationException` (400): `message`, `reason` and, for field
    /// failures, `fieldList` of `{name, message}` (§1.4). Only two real ones
    /// are on record (§1.5); the other texts are Gatehouse's (§6 item 2).
    static func validationException(_ message: String, reason: String, fields: [(name: String, message: String)] = []) -> AWSError {
        var error = AWSError(code: "ValidationException", message: message, status: 400)
            .with(AWSError.Field(name: "reason", value: .string(reason)))
        if !fields.isEmpty {
            error = error.with(AWSError.Field(name: "fieldList", value: .list(fields.map { field in
                .structure([
                    AWSError.Field(name: "name", value: .string(field.name)),
                    AWSError.Field(name: "message", value: .string(field.message)),
                ])
            })))
        }
        return error
    }
}
