import AWSShapes
import JSON
import PolicyEngine
import ServiceCatalog
import ServiceKit

/// `POST /policy/check-access-not-granted`: whether a policy can grant any of
/// the listed actions and/or resources (docs/research/access-analyzer.md §1.3, §4).
public enum CheckAccessNotGranted: RestJSONOperation {
    public static let name = "CheckAccessNotGranted"

    public struct Input: Sendable, Equatable {
        public var policyDocument: String
        public var policyType: AccessCheckPolicyType
        public var actions: [String]
        public var resources: [String]
    }

    public typealias Output = CheckResult

    public static func decode(_ request: RestJSONRequest) throws(AWSError) -> Input {
        var body = RequestMembers(request)
        let document = try body.required("policyDocument")
        let policyType = body.oneOf("policyType", try body.required("policyType"), AccessCheckPolicyType.self)
        var actions: [String] = [], resources: [String] = []
        switch request.body["access"] {
        case nil, .null?:
            body.violation("access", nil, "Member must not be null")
        case .array(let items)?:
            // The model's limits: one Access, 100 actions, 100 resources of 2048 characters (§4.4).
            body.maxLength("access", items.count, 1)
            for (i, item) in items.enumerated() {
                guard case .object = item else { throw RequestMembers.cannotParse("access", "a list of objects", item) }
                actions += try RequestMembers.strings(item["actions"], "access.\(i + 1).member.actions")
                resources += try RequestMembers.strings(item["resources"], "access.\(i + 1).member.resources")
                body.maxLength("access.\(i + 1).member.actions", item["actions"]?.arrayValue?.count ?? 0, 100)
                body.maxLength("access.\(i + 1).member.resources", item["resources"]?.arrayValue?.count ?? 0, 100)
            }
            for (i, resource) in resources.enumerated() { body.maxLength("access.1.member.resources.\(i + 1).member", resource.count, 2048) }
        case let other?:
            throw RequestMembers.cannotParse("access", "a list", other)
        }
        try body.finish()
        guard let document, let policyType else { throw AccessAnalyzerService.validationException("InvalidInput", reason: "other") }
        return Input(policyDocument: document, policyType: policyType, actions: actions, resources: resources)
    }

    static let behaviour = OperationBehaviour<Input, Output>.standalone(
        access: AccessAnalyzerService.access(name),
        handler: { input, context in try check(input, catalog: context.environment.services.catalog) })

    /// The three wordings of 2025 (§4.2): which one depends on what the
    /// request lists. The resources-only and both PASS texts are INFERRED by
    /// analogy with the confirmed actions-only PASS.
    static func messages(_ input: Input) -> (pass: String, fail: String, reason: String) {
        switch (!input.actions.isEmpty, !input.resources.isEmpty) {
        case (true, false):
            ("The policy document does not grant access to perform one or more of the listed actions.",
             "The policy document grants access to perform one or more of the listed actions.",
             "One or more of the listed actions in the statement with")
        case (false, true):
            ("The policy document does not grant access to one or more of the listed resources.",
             "The policy document grants access to one or more of the listed resources.",
             "One or more of the listed resources in the statement with")
        default:
            ("The policy document does not grant access to one or more listed resources to perform one or more listed actions.",
             "The policy document grants access to one or more listed resources to perform one or more listed actions.",
             "One or more of the listed actions and/or resources in the statement with")
        }
    }

    static func check(_ input: Input, catalog: ServiceCatalog?) throws(AWSError) -> Output {
        // The one error on record for this operation (§1.5): a listed resource that is not an ARN.
        for resource in input.resources where !isARN(resource) {
            throw AccessAnalyzerService.validationException("Invalid ARN", reason: "fieldValidationFailed")
        }
        // Neither actions nor resources leaves nothing to check; AWS's answer is not on record.
        if input.actions.isEmpty && input.resources.isEmpty {
            throw AccessAnalyzerService.validationException(
                "access must list at least one action or resource.", reason: "fieldValidationFailed",
                fields: [("access", "Member must list at least one action or resource")])
        }
        let policy = try CustomPolicyChecks.parse(input.policyDocument, kind: input.policyType.kind, member: "policyDocument")
        let reasons = granting(policy, actions: input.actions, resources: input.resources, access: PolicyAccess(catalog: catalog))
        let text = messages(input)
        return reasons.isEmpty
            ? CheckResult(passed: true, message: text.pass, reasons: [])
            : CheckResult(passed: false, message: text.fail, reasons: reasons.map { CheckReason(text.reason, $0) })
    }

    /// `arn:partition:service:region:account:resource`: six fields, the
    /// first `arn` — what AWS's "Invalid ARN" refuses (§1.5, §4.4).
    static func isARN(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0] == "arn" && !parts[1].isEmpty && !parts[2].isEmpty && !parts[5].isEmpty
    }

    /// The Allow statements that can grant some of the listed access.
    ///
    /// A statement grants it when its actions meet a listed action (or, with
    /// no actions listed, grants any action) and its resources meet a listed
    /// resource (or, with none listed, any resource) — the model's doc strings
    /// (§4.4). Its conditions do not excuse it: a condition can be met, and the
    /// check is about what the policy *can* grant. A Deny removes the grant
    /// only where that is certain: it has no condition, applies to the same
    /// principals, and covers every action and resource the statement grants
    /// of the listed ones. Denies are not combined with one another
    /// (conservative: two partial Denies leave the statement granting).
    static func granting(_ policy: PolicyDocument, actions: [String], resources: [String], access: PolicyAccess) -> [PolicyStatement] {
        let denies = policy.statements.filter { $0.effect == .deny && $0.conditions.isEmpty }
        return policy.statements.filter { statement in
            guard statement.effect == .allow,
                  let actionParts = parts(of: PolicyAccess.Values(statement.actions), meeting: actions, .action, access),
                  let resourceParts = parts(of: PolicyAccess.Values(statement.resources), meeting: resources, .resource, access)
            else { return false }
            return !denies.contains { deny in
                PolicyAccess.principalsCover(deny, statement)
                    && covers(PolicyAccess.Values(deny.actions), actionParts, .action, access)
                    && covers(PolicyAccess.Values(deny.resources), resourceParts, .resource, access)
            }
        }
    }

    /// What of `listed` the statement's set grants, as groups of patterns
    /// whose intersection is granted (covering any one pattern of a group
    /// covers the group); nil when it grants none. With nothing listed, all
    /// of the statement's own set.
    static func parts(of set: PolicyAccess.Values, meeting listed: [String], _ kind: PolicyAccess.Kind, _ access: PolicyAccess) -> [[String]]? {
        if listed.isEmpty { return set.isNegated ? [["*"]] : set.patterns.map { [$0] } }
        var parts: [[String]] = []
        for item in listed {
            if set.isNegated {
                if !access.covers(set.negatedComplement, item, kind) { parts.append([item]) }
            } else {
                for pattern in set.patterns where access.overlaps(item, pattern, kind) { parts.append([item, pattern]) }
            }
        }
        return parts.isEmpty ? nil : parts
    }

    static func covers(_ deny: PolicyAccess.Values, _ parts: [[String]], _ kind: PolicyAccess.Kind, _ access: PolicyAccess) -> Bool {
        parts.allSatisfy { group in group.contains { access.covers(deny, $0, kind) } }
    }

    public static func encode(_ output: Output) -> [UInt8] { output.encode() }
}
