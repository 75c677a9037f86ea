import JSON
import PolicyEngine
import ServiceCatalog

/// IAM Access Analyzer's policy validation, offline: the checks of IAM's
/// "policy validation check reference" that need no AWS account, with AWS's
/// issue codes, finding types and messages word for word
/// (docs/research/access-analyzer.md §2 says which texts are captured from
/// AWS and which come from the reference's templates).
///
/// Unlike IAM's own parsing (PolicyEngine's grammar, which refuses a policy
/// at its first error), validation reads whatever JSON it is given and
/// reports every problem it finds, ordered by where each is written.
public struct PolicyValidator: Sendable {
    let catalog: ServiceCatalog?

    /// - Parameter catalog: the Service Authorization Reference, for unknown
    ///   actions and services; without it those checks are skipped.
    public init(catalog: ServiceCatalog?) {
        self.catalog = catalog
    }

    public func validate(
        _ text: String, policyType: ValidationPolicyType, resourceType: ValidationResourceType? = nil
    ) -> [ValidationFinding] {
        var run = Run(policyType: policyType, resourceType: resourceType, catalog: catalog)
        switch SourceValue.parse(text) {
        case .failure(let error):
            let positions = TextPositions(Array(text.utf8))
            let at = positions.position(ofByte: error.position.offset)
            run.report(
                .jsonSyntaxError,
                "Fix the JSON syntax error at index \(at.offset) line \(at.line) column \(at.column).",
                at: [ValidationFinding.Location(path: [], start: at, end: at)])
        case .success(let document):
            run.check(document: document)
        }
        return run.findings.enumerated()
            .sorted { ($0.element.locations.first?.start.offset ?? 0, $0.offset) < ($1.element.locations.first?.start.offset ?? 0, $1.offset) }
            .map(\.element)
    }
}

/// The checks, by issue code, with the finding type AWS gives each.
enum PolicyCheckCode: String {
    // Errors
    case jsonSyntaxError = "JSON_SYNTAX_ERROR"
    case dataTypeMismatch = "DATA_TYPE_MISMATCH"
    case invalidPolicyElement = "INVALID_POLICY_ELEMENT"
    case invalidVersion = "INVALID_VERSION"
    case missingStatement = "MISSING_STATEMENT"
    case missingEffect = "MISSING_EFFECT"
    case invalidEffect = "INVALID_EFFECT"
    case missingAction = "MISSING_ACTION"
    case missingResource = "MISSING_RESOURCE"
    case missingPrincipal = "MISSING_PRINCIPAL"
    case unsupportedPrincipal = "UNSUPPORTED_PRINCIPAL"
    case unsupportedElementCombination = "UNSUPPORTED_ELEMENT_COMBINATION"
    case invalidPrincipalFormat = "INVALID_PRINCIPAL_FORMAT"
    case invalidPrincipalKey = "INVALID_PRINCIPAL_KEY"
    case scpSyntaxErrorPrincipal = "SCP_SYNTAX_ERROR_PRINCIPAL"
    case rcpSyntaxErrorPrincipal = "RCP_SYNTAX_ERROR_PRINCIPAL"
    case rcpSyntaxErrorNotAction = "RCP_SYNTAX_ERROR_NOTACTION"
    case roleTrustPolicySyntaxErrorNotPrincipal = "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL"
    case roleTrustPolicySyntaxErrorResource = "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"
    case roleTrustPolicyUnsupportedWildcardInPrincipal = "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"
    case invalidAction = "INVALID_ACTION"
    case invalidServiceInAction = "INVALID_SERVICE_IN_ACTION"
    case unsupportedSid = "UNSUPPORTED_SID"
    case uniqueSidsRequired = "UNIQUE_SIDS_REQUIRED"
    case invalidConditionOperator = "INVALID_CONDITION_OPERATOR"
    case nullWithIfExists = "NULL_WITH_IF_EXISTS"
    case invalidArnPrefix = "INVALID_ARN_PREFIX"
    case missingArnField = "MISSING_ARN_FIELD"
    case missingArnRegion = "MISSING_ARN_REGION"
    case arnRegionNotAllowed = "ARN_REGION_NOT_ALLOWED"
    case arnAccountNotAllowed = "ARN_ACCOUNT_NOT_ALLOWED"
    case invalidArnAccount = "INVALID_ARN_ACCOUNT"
    case invalidArnServiceCase = "INVALID_ARN_SERVICE_CASE"
    case unsupportedActionInPolicy = "UNSUPPORTED_ACTION_IN_POLICY"
    case unsupportedResourceArnInPolicy = "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"
    case mismatchedActionForPrincipal = "MISMATCHED_ACTION_FOR_PRINCIPAL"
    case unsupportedActionForConditionKey = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY"
    // Security warnings
    case passRoleWithStarInResource = "PASS_ROLE_WITH_STAR_IN_RESOURCE"
    case passRoleWithStarInActionAndResource = "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE"
    case passRoleWithStarInResourceAndNotAction = "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION"
    case passRoleWithNotResource = "PASS_ROLE_WITH_NOT_RESOURCE"
    case passRoleWithStarInActionAndNotResource = "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE"
    case passRoleWithNotActionAndNotResource = "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE"
    case allowWithNotPrincipal = "ALLOW_WITH_NOT_PRINCIPAL"
    case missingGithubRepoConditionKey = "MISSING_GITHUB_REPO_CONDITION_KEY"
    case missingConditionKeyForOIDCPrincipal = "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"
    // General warnings
    case missingVersion = "MISSING_VERSION"
    case uniqueSidsRecommended = "UNIQUE_SIDS_RECOMMENDED"
    case wildcardWithoutLikeOperator = "WILDCARD_WITHOUT_LIKE_OPERATOR"
    // Suggestions
    case emptyArrayAction = "EMPTY_ARRAY_ACTION"
    case emptyArrayResource = "EMPTY_ARRAY_RESOURCE"
    case emptyArrayPrincipal = "EMPTY_ARRAY_PRINCIPAL"
    case emptyObjectPrincipal = "EMPTY_OBJECT_PRINCIPAL"
    case emptyObjectCondition = "EMPTY_OBJECT_CONDITION"
    case emptyArrayCondition = "EMPTY_ARRAY_CONDITION"
    case emptyArrayConditionForAllValues = "EMPTY_ARRAY_CONDITION_FORALLVALUES"
    case emptyArrayConditionForAnyValue = "EMPTY_ARRAY_CONDITION_FORANYVALUE"
    case emptyArrayConditionIfExists = "EMPTY_ARRAY_CONDITION_IFEXISTS"
    case emptySidValue = "EMPTY_SID_VALUE"
    case redundantAction = "REDUNDANT_ACTION"
    case redundantStatement = "REDUNDANT_STATEMENT"

    var findingType: ValidationFinding.FindingType {
        switch self {
        case .passRoleWithStarInResource, .passRoleWithStarInActionAndResource, .passRoleWithStarInResourceAndNotAction,
            .passRoleWithNotResource, .passRoleWithStarInActionAndNotResource, .passRoleWithNotActionAndNotResource,
            .allowWithNotPrincipal, .missingGithubRepoConditionKey, .missingConditionKeyForOIDCPrincipal:
            .securityWarning
        case .missingVersion, .uniqueSidsRecommended, .wildcardWithoutLikeOperator:
            .warning
        case .emptyArrayAction, .emptyArrayResource, .emptyArrayPrincipal, .emptyObjectPrincipal, .emptyObjectCondition,
            .emptyArrayCondition, .emptyArrayConditionForAllValues, .emptyArrayConditionForAnyValue, .emptyArrayConditionIfExists,
            .emptySidValue, .redundantAction, .redundantStatement:
            .suggestion
        default:
            .error
        }
    }
}

/// One validation: the policy's kind and the findings so far.
private struct Run {
    typealias Location = ValidationFinding.Location

    let policyType: ValidationPolicyType
    let resourceType: ValidationResourceType?
    let catalog: ServiceCatalog?
    var findings: [ValidationFinding] = []

    init(policyType: ValidationPolicyType, resourceType: ValidationResourceType?, catalog: ServiceCatalog?) {
        self.policyType = policyType
        // A resource type qualifies resource policies only (AWS refuses it otherwise, before validating).
        self.resourceType = policyType == .resource ? resourceType : nil
        self.catalog = catalog
    }

    var isRoleTrustPolicy: Bool { resourceType == .roleTrustPolicy }

    mutating func report(_ code: PolicyCheckCode, _ details: String, at locations: [Location]) {
        findings.append(ValidationFinding(findingType: code.findingType, issueCode: code.rawValue, findingDetails: details, locations: locations))
    }

    /// DATA_TYPE_MISMATCH unless `value` is of `type`; whether it is.
    mutating func expect(_ value: SourceValue, _ type: String) -> Bool {
        let matches: Bool = switch (type, value.value) {
        case ("object", .object), ("string", .string), ("array", .array): true
        case ("string or array", .string), ("string or array", .array): true
        case ("object or array", .object), ("object or array", .array): true
        default: false
        }
        if !matches {
            report(.dataTypeMismatch, "The text does not match the expected JSON data type \(type).", at: [value.location])
        }
        return matches
    }

    // MARK: - The document

    mutating func check(document: SourceValue) {
        guard expect(document, "object") else { return }
        for (key, value) in document.members where !["Version", "Id", "Statement"].contains(key) {
            report(.invalidPolicyElement, "The policy element \(key) is not valid.", at: [value.location])
        }
        if let version = document["Version"] {
            if expect(version, "string"), let text = version.string, !PolicyVersion.allCases.map(\.rawValue).contains(text) {
                report(
                    .invalidVersion,
                    "The version \(text) is not valid. Use one of the following versions: \(PolicyVersion.allCases.map(\.rawValue).joined(separator: ", "))",
                    at: [version.location])
            }
        } else {
            report(
                .missingVersion, "We recommend that you specify the Version element to help you with debugging permission issues.",
                at: [document.location])
        }
        guard let statementElement = document["Statement"] else {
            report(.missingStatement, "Add a statement to the policy", at: [document.location])
            return
        }
        guard expect(statementElement, "object or array") else { return }
        let statements = statementElement.listItems
        if statements.isEmpty {
            report(.missingStatement, "Add a statement to the policy", at: [statementElement.location])
        }
        var sids: [String: SourceValue] = [:]
        var seenStatements: [JSONValue] = []
        for statement in statements {
            guard expect(statement, "object") else { continue }
            check(statement: statement)
            if let sid = statement["Sid"], let text = sid.string, !text.isEmpty {
                if sids[text] != nil {
                    let required = policyType == .serviceControl || policyType == .resourceControl
                    report(
                        required ? .uniqueSidsRequired : .uniqueSidsRecommended,
                        required
                            ? "Duplicate statement IDs are not supported for this policy type. Update the Sid value."
                            : "We recommend that you use statement IDs that are unique to your policy. Update the Sid value.",
                        at: [sid.location])
                } else {
                    sids[text] = sid
                }
            }
            // The same permissions twice, whatever the statements' ids.
            let permissions = JSONValue.object(JSONObject(statement.members.filter { $0.key != "Sid" }.map { ($0.key, $0.value.value) }))
            if seenStatements.contains(permissions) {
                report(
                    .redundantStatement,
                    "The statements are redundant because they provide identical permissions. Update the policy to remove the redundant statement.",
                    at: [statement.location])
            } else {
                seenStatements.append(permissions)
            }
        }
    }

    // MARK: - A statement

    static let statementElements: Set<String> = [
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    ]

    mutating func check(statement: SourceValue) {
        for (key, value) in statement.members where !Self.statementElements.contains(key) {
            report(.invalidPolicyElement, "The policy element \(key) is not valid.", at: [value.location])
        }
        if let sid = statement["Sid"], expect(sid, "string"), let text = sid.string {
            if text.isEmpty {
                report(.emptySidValue, "Add a value to the empty string in the Sid element.", at: [sid.location])
            } else if policyType != .resource, !text.utf8.allSatisfy({ $0 < 0x80 && (Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber) }) {
                report(
                    .unsupportedSid,
                    "Update the characters in the Sid element to use one of the following character types: [a-z, A-Z, 0-9]",
                    at: [sid.location])
            }
        }
        var effect: String?
        if let element = statement["Effect"] {
            if expect(element, "string"), let text = element.string {
                if text == "Allow" || text == "Deny" {
                    effect = text
                } else {
                    report(.invalidEffect, "The effect \(text) is not valid. Use Allow or Deny.", at: [element.location])
                }
            }
        } else {
            report(.missingEffect, "Add an Effect element to the policy statement with a value of Allow or Deny.", at: [statement.location])
        }

        let actions = pair(statement, "Action", "NotAction", required: true)
        let resources = checkResources(statement)
        checkPrincipals(statement, effect: effect)
        checkConditions(statement)
        checkActions(actions)
        if effect == "Allow", policyType == .resource, let actions, !actions.negated {
            checkFederation(statement, actions: actions.element)
        }
        if effect == "Allow", policyType == .identity {
            checkPassRole(statement, actions: actions, resources: resources)
        }
    }

    /// An element and its negation (`Action`/`NotAction`, …): the one present,
    /// with whether it is the negation; reports both or (if `required`) neither.
    mutating func pair(_ statement: SourceValue, _ name: String, _ negation: String, required: Bool) -> (element: SourceValue, negated: Bool)? {
        let plain = statement[name], negated = statement[negation]
        switch (plain, negated) {
        case (let plain?, let negated?):
            report(
                .unsupportedElementCombination,
                "The policy elements \(name) and \(negation) can not be used in the same statement. Remove one of these elements.",
                at: [plain.location, negated.location])
            return nil
        case (let plain?, nil):
            return (plain, false)
        case (nil, let negated?):
            return (negated, true)
        case (nil, nil):
            if required, name == "Action" {
                report(.missingAction, "Add an Action or NotAction element to the policy statement.", at: [statement.location])
            }
            return nil
        }
    }

    // MARK: Actions

    mutating func checkActions(_ actions: (element: SourceValue, negated: Bool)?) {
        guard let (element, negated) = actions, expect(element, "string or array") else { return }
        let values = element.listItems
        if element.isArray, values.isEmpty {
            report(.emptyArrayAction, "This statement includes no actions and does not affect the policy. Specify actions.", at: [element.location])
        }
        if policyType == .resourceControl, negated {
            report(.rcpSyntaxErrorNotAction, "RCPs do not support the NotAction element. Update to use the Action element.", at: [element.location])
        }
        var redundant: [SourceValue] = []
        let lowered = values.map { $0.string?.lowercased() }
        // Bytes, not Characters: a Character search walks grapheme clusters, and this is n² per statement.
        let isPattern = lowered.map { $0?.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") } ?? false }
        for (index, value) in values.enumerated() {
            guard expect(value, "string"), let action = value.string else { continue }
            if let catalog {
                switch catalog.check(action: action) {
                case .known:
                    checkActionSupported(action, at: value.location)
                case .unknownService:
                    report(.invalidServiceInAction, "The service \(action) specified in the action does not exist.", at: [value.location])
                    continue
                case .unknownAction:
                    report(.invalidAction, "The action \(action) does not exist.", at: [value.location])
                    // Grants nothing, so it cannot be redundant with what does.
                    continue
                }
            }
            // Covered by another value of the list (a wildcard, or the same action again).
            let covered = lowered.indices.contains { other in
                guard other != index, let pattern = lowered[other], let name = lowered[index] else { return false }
                if pattern == name { return other < index }
                return isPattern[other] && ServiceCatalog.actionPattern(pattern, matches: name)
            }
            if covered { redundant.append(value) }
        }
        if let first = redundant.first?.string {
            report(
                .redundantAction,
                "The \(redundant.count) action(s) are redundant because they provide similar permissions. Update the policy to remove the redundant action such as: \(first).",
                at: redundant.map(\.location))
        }
    }

    // MARK: Resources

    mutating func checkResources(_ statement: SourceValue) -> (element: SourceValue, negated: Bool)? {
        let resources = pair(statement, "Resource", "NotResource", required: false)
        if isRoleTrustPolicy {
            if let element = statement["Resource"] ?? statement["NotResource"] {
                report(
                    .roleTrustPolicySyntaxErrorResource,
                    "Role trust policies apply to the role that they are attached to. You cannot specify a resource. Remove the Resource or NotResource element.",
                    at: [element.location])
            }
            return nil
        }
        guard let (element, _) = resources else {
            // A role's trust statement sent as a plain resource policy: AWS's own
            // example (awscli validate-policy.rst, docs/research/access-analyzer.md §3.1)
            // answers no MISSING_RESOURCE for it.
            if statement["Resource"] == nil, statement["NotResource"] == nil, !(policyType == .resource && Self.isTrustStatement(statement)) {
                report(.missingResource, "Add a Resource or NotResource element to the policy statement.", at: [statement.location])
            }
            return nil
        }
        guard expect(element, "string or array") else { return nil }
        if element.isArray, element.elements.isEmpty {
            report(
                .emptyArrayResource, "This statement includes no resources and does not affect the policy. Specify resources.",
                at: [element.location])
        }
        for value in element.listItems {
            guard expect(value, "string"), let resource = value.string, !resource.hasPrefix("${") else { continue }
            checkResourceSupported(resource, at: value.location)
            guard resource != "*" else { continue }
            if !resource.hasPrefix("arn:") {
                report(.invalidArnPrefix, "Add the required prefix (arn) to the resource ARN.", at: [value.location])
            } else if resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).count < 6 {
                report(
                    .missingArnField,
                    "Resource ARNs must include at least 6 fields and include the following structure: arn:partition:service:region:account:resource.",
                    at: [value.location])
            } else {
                checkARNFields(resource, at: value.location)
            }
        }
        return resources
    }

    /// The checks of an ARN's service, Region and account fields against the
    /// ARN formats of the service's resource types in the Service Authorization
    /// Reference (docs/research/access-analyzer.md §2.2 rows 1, 2, 6, 10, 31).
    /// A field is judged only when written out (no wildcard or variable), and
    /// a Region or account only when every resource type of the service
    /// agrees (S3's buckets take no Region, its access points do): no ARN of a
    /// real resource type is flagged.
    mutating func checkARNFields(_ arn: String, at location: Location) {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        let (service, region, account) = (fields[2], fields[3], fields[4])
        guard let catalog, Self.isLiteral(service), let known = catalog.service(service) else { return }
        if service != service.lowercased() {
            report(.invalidArnServiceCase, "Update the service name \(service) in the resource ARN to use all lowercase letters.", at: [location])
            return
        }
        let formats = known.resourceTypes
            .map { $0.arnFormat.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false) }
            .filter { $0.count == 6 && $0[2] == service }
        guard !formats.isEmpty else { return }
        if region.isEmpty, formats.allSatisfy({ !$0[3].isEmpty }) {
            // CONFIRMED wording: "Add a Region to the ssm resource ARN." (§2.4).
            report(.missingArnRegion, "Add a Region to the \(service) resource ARN.", at: [location])
        } else if !region.isEmpty, Self.isLiteral(region), formats.allSatisfy({ $0[3].isEmpty }) {
            report(.arnRegionNotAllowed, "The service \(service) does not support specifying a Region in the resource ARN.", at: [location])
        }
        guard !account.isEmpty, Self.isLiteral(account) else { return }
        if formats.allSatisfy({ $0[4].isEmpty }) {
            report(.arnAccountNotAllowed, "The service \(service) does not support specifying an account ID in the resource ARN.", at: [location])
        } else if account != "aws", !(account.utf8.count == 12 && account.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }) {
            // `aws` is the account of AWS managed policies (arn:aws:iam::aws:policy/…).
            report(.invalidArnAccount, "The resource ARN account ID \(account) is not valid. Provide a 12-digit account ID.", at: [location])
        }
    }

    /// The resource types whose policies `UNSUPPORTED_ACTION_IN_POLICY` and
    /// `UNSUPPORTED_RESOURCE_ARN_IN_POLICY` judge, with the name AWS's message
    /// gives the type and the service whose actions and ARNs it takes. Only
    /// the bucket's wording is on record ("attached to resource type S3
    /// Bucket", docs/research/access-analyzer.md §2.4); the other types are
    /// not judged rather than judged in words AWS may not use.
    static let supportedByResourceType: [ValidationResourceType: (name: String, service: String)] = [.s3Bucket: ("S3 Bucket", "s3")]

    /// A bucket policy grants S3's actions only (`kms:Decrypt` in one is AWS's own example).
    mutating func checkActionSupported(_ action: String, at location: Location) {
        guard let resourceType, let (name, service) = Self.supportedByResourceType[resourceType], action != "*",
            let colon = action.firstIndex(of: ":"), action[..<colon].lowercased() != service
        else { return }
        report(
            .unsupportedActionInPolicy, "The action \(action) is not supported for the resource-based policy attached to resource type \(name).",
            at: [location])
    }

    /// A bucket policy names the bucket and its objects (`arn:PARTITION:s3:::NAME…`), never `*`
    /// (awslabs/terraform-iam-policy-validator example_report_3.md, docs/research/access-analyzer.md §2.4).
    mutating func checkResourceSupported(_ resource: String, at location: Location) {
        guard let resourceType, let (name, service) = Self.supportedByResourceType[resourceType] else { return }
        let fields = resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if fields.count == 6, fields[0] == "arn", fields[2] == service, fields[3].isEmpty, fields[4].isEmpty, !fields[5].isEmpty { return }
        report(
            .unsupportedResourceArnInPolicy, "The resource ARN is not supported for the resource-based policy attached to resource type \(name).",
            at: [location])
    }

    /// Written out: no wildcard and no policy variable.
    static func isLiteral(_ field: String) -> Bool {
        !field.contains("*") && !field.contains("?") && !field.contains("${")
    }

    // MARK: Principals

    static let principalKeys: Set<String> = ["AWS", "Service", "Federated", "CanonicalUser"]

    mutating func checkPrincipals(_ statement: SourceValue, effect: String?) {
        let principal = statement["Principal"], notPrincipal = statement["NotPrincipal"]
        switch policyType {
        case .identity:
            for element in [principal, notPrincipal].compactMap({ $0 }) {
                report(
                    .unsupportedPrincipal,
                    "The policy type IDENTITY_POLICY does not support the Principal element. Remove the Principal element.",
                    at: [element.location])
            }
            return
        case .serviceControl:
            for element in [principal, notPrincipal].compactMap({ $0 }) {
                report(
                    .scpSyntaxErrorPrincipal, "SCPs do not support specifying principals. Remove the Principal or NotPrincipal element.",
                    at: [element.location])
            }
            return
        case .resourceControl:
            let allowed = notPrincipal == nil && (principal == nil || principal?.string == "*")
            if !allowed, let element = notPrincipal ?? principal {
                report(
                    .rcpSyntaxErrorPrincipal,
                    #"The Principal element contents are not valid. RCPs only support specifying all principals ("*") in the Principal element. The NotPrincipal element is not supported for RCPs."#,
                    at: [element.location])
            }
            return
        case .resource:
            break
        }
        if principal == nil, notPrincipal == nil {
            report(.missingPrincipal, "Add a Principal element to the policy statement.", at: [statement.location])
            return
        }
        if let principal, let notPrincipal {
            report(
                .unsupportedElementCombination,
                "The policy elements Principal and NotPrincipal can not be used in the same statement. Remove one of these elements.",
                at: [principal.location, notPrincipal.location])
        }
        if let notPrincipal {
            if isRoleTrustPolicy {
                report(
                    .roleTrustPolicySyntaxErrorNotPrincipal,
                    "Role trust policies do not support NotPrincipal. Update the policy to use a Principal element instead.",
                    at: [notPrincipal.location])
            } else if effect == "Allow" {
                report(
                    .allowWithNotPrincipal, "Using Allow with NotPrincipal can be overly permissive. We recommend that you use Principal instead.",
                    at: [notPrincipal.location])
            }
            checkPrincipalElement(notPrincipal)
        }
        if let principal {
            checkPrincipalElement(principal)
            if effect == "Allow" { checkFederatedPrincipals(principal, statement: statement) }
        }
    }

    mutating func checkPrincipalElement(_ element: SourceValue) {
        if let text = element.string {
            if text == "*" {
                if isRoleTrustPolicy { reportTrustWildcard(element) }
            } else {
                report(
                    .invalidPrincipalFormat,
                    "The Principal element contents are not valid. Specify a key-value pair in the Principal element.",
                    at: [element.location])
            }
            return
        }
        guard expect(element, "object") else { return }
        if element.members.isEmpty {
            report(
                .emptyObjectPrincipal, "This statement includes no principals and does not affect the policy. Specify principals.",
                at: [element.location])
        }
        for (key, value) in element.members {
            guard Self.principalKeys.contains(key) else {
                report(.invalidPrincipalKey, "The principal key \(key) is not valid.", at: [value.location])
                continue
            }
            guard expect(value, "string or array") else { continue }
            if value.isArray, value.elements.isEmpty {
                report(
                    .emptyArrayPrincipal, "This statement includes no principals and does not affect the policy. Specify principals.",
                    at: [value.location])
            }
            for item in value.listItems where expect(item, "string") {
                if isRoleTrustPolicy, key == "AWS", item.string == "*" { reportTrustWildcard(item) }
            }
        }
    }

    mutating func reportTrustWildcard(_ element: SourceValue) {
        report(
            .roleTrustPolicyUnsupportedWildcardInPrincipal,
            #""Principal:" "*" is not supported in the principal element of a role trust policy. Replace the wildcard with a valid principal value."#,
            at: [element.location])
    }

    /// Web identity principals allowed without conditions on their tokens:
    /// anyone with a token from the provider (for GitHub, any repository).
    mutating func checkFederatedPrincipals(_ principal: SourceValue, statement: SourceValue) {
        guard let federated = principal["Federated"] else { return }
        let conditionKeys: [String] = (statement["Condition"]?.members ?? []).flatMap { $0.value.members.map { $0.key.lowercased() } }
        for item in federated.listItems {
            guard let value = item.string?.lowercased() else { continue }
            // An OIDC provider: its ARN (…:oidc-provider/HOST) or its host alone.
            let host: String
            if let range = value.firstRange(of: ":oidc-provider/") {
                host = String(value[range.upperBound...])
            } else if !value.hasPrefix("arn:"), Self.isWebIdentityProvider(value) {
                host = value
            } else {
                continue
            }
            if host == "token.actions.githubusercontent.com" {
                if !conditionKeys.contains("token.actions.githubusercontent.com:sub") {
                    report(
                        .missingGithubRepoConditionKey,
                        "Granting a federated GitHub principal permissions without a condition key can allow more sources to assume the role than you intended. Add the token.actions.githubusercontent.com:sub condition key and specify the branch and repository name in the value.",
                        at: [item.location])
                }
            } else if !conditionKeys.contains(where: { $0.hasPrefix(host + ":") }) {
                report(
                    .missingConditionKeyForOIDCPrincipal,
                    "Using an Open ID Connect principal without a condition can be overly permissive. Add condition keys with a prefix that matches your federated OIDC principals to ensure that only the intended identity provider assumes the role.",
                    at: [item.location])
            }
        }
    }

    // MARK: Role trust

    /// The actions of a role trust statement: assuming the role, and what a session may carry.
    static let trustActions: Set<String> = [
        "sts:assumerole", "sts:assumerolewithwebidentity", "sts:assumerolewithsaml", "sts:tagsession", "sts:setsourceidentity",
        "sts:setcontext",
    ]

    /// A web identity provider's host (`accounts.google.com`, `cognito-identity.amazonaws.com`,
    /// an OIDC issuer), as Federated principals and its condition keys name it; not a service.
    static func isWebIdentityProvider(_ host: String) -> Bool {
        host.contains(".") && (!host.hasSuffix(".amazonaws.com") || host.hasPrefix("cognito-identity."))
    }

    static func isTrustStatement(_ statement: SourceValue) -> Bool {
        guard let actions = statement["Action"]?.listItems, !actions.isEmpty else { return false }
        return actions.allSatisfy { $0.string.map { trustActions.contains($0.lowercased()) } ?? false }
    }

    /// Each way of assuming a role goes with one kind of principal: a SAML
    /// provider with AssumeRoleWithSAML, an OpenID Connect provider (or
    /// Cognito) with AssumeRoleWithWebIdentity, anything else with AssumeRole;
    /// and a provider's condition keys are read by its own action alone.
    mutating func checkFederation(_ statement: SourceValue, actions element: SourceValue) {
        guard let principal = statement["Principal"], principal.isObject else { return }
        let federated = principal["Federated"]?.listItems.filter { $0.string != nil } ?? []
        let others = principal.members.filter { $0.key != "Federated" }.flatMap { $0.value.listItems }.filter { $0.string != nil }
        let isSAML = { (value: SourceValue) in value.string!.contains(":saml-provider/") }
        var mismatched: Set<Int> = []
        for (index, action) in element.listItems.enumerated() {
            let wrong: [SourceValue]
            switch action.string?.lowercased() {
            case "sts:assumerole": wrong = federated
            case "sts:assumerolewithwebidentity": wrong = others + federated.filter(isSAML)
            case "sts:assumerolewithsaml": wrong = others + federated.filter { !isSAML($0) }
            default: continue
            }
            guard !wrong.isEmpty, let name = action.string else { continue }
            mismatched.insert(index)
            report(
                .mismatchedActionForPrincipal,
                "The \(name) action is invalid with the following principal(s): \(wrong.compactMap(\.string).joined(separator: ", ")). Use a SAML provider principal with the sts:AssumeRoleWithSAML action or use an OIDC provider principal with the sts:AssumeRoleWithWebIdentity action. Ensure the provider is Federated if you use either of the two options.",
                at: [action.location] + wrong.map(\.location))
        }
        // A provider's keys (`cognito-identity.amazonaws.com:aud`, `saml:aud`) exist only in its assume call.
        for (_, block) in statement["Condition"]?.members ?? [] {
            for (key, value) in block.members {
                let prefix = key.lowercased().split(separator: ":").first.map(String.init) ?? ""
                let reader: String
                if prefix == "saml" {
                    reader = "sts:assumerolewithsaml"
                } else if Self.isWebIdentityProvider(prefix) {
                    reader = "sts:assumerolewithwebidentity"
                } else {
                    continue
                }
                let unsupported = element.listItems.enumerated().filter { index, action in
                    guard let name = action.string?.lowercased(), !mismatched.contains(index) else { return false }
                    return name != reader && !name.contains("*")
                }.map(\.element)
                guard !unsupported.isEmpty else { continue }
                report(
                    .unsupportedActionForConditionKey,
                    "The following actions: \(unsupported.compactMap(\.string).joined(separator: ", ")) are not supported by the condition key \(key). The condition will not be evaluated for these actions. We recommend that you move these actions to a different statement without this condition key.",
                    at: unsupported.map(\.location) + [value.location])
            }
        }
    }

    // MARK: Conditions

    mutating func checkConditions(_ statement: SourceValue) {
        guard let condition = statement["Condition"], expect(condition, "object") else { return }
        if condition.members.isEmpty {
            report(.emptyObjectCondition, "This condition block is empty and it does not affect the policy. Specify conditions.", at: [condition.location])
        }
        for (name, block) in condition.members {
            // The engine refuses NullIfExists outright; validation says why.
            if name.hasSuffix("IfExists"), ConditionOperator(String(name.dropLast("IfExists".count)))?.base == .null {
                report(
                    .nullWithIfExists,
                    "The Null condition operator cannot be used with the IfExists suffix. Update the operator or the suffix.",
                    at: [block.location])
                continue
            }
            guard let op = ConditionOperator(name) else {
                report(.invalidConditionOperator, "The condition operator \(name) is not valid. Use a valid condition operator.", at: [block.location])
                continue
            }
            guard expect(block, "object") else { continue }
            for (key, values) in block.members {
                if values.isArray, values.elements.isEmpty {
                    switch (op.qualifier, op.ifExists) {
                    case (.forAllValues, _):
                        report(
                            .emptyArrayConditionForAllValues,
                            "The ForAllValues prefix with an empty condition key matches only if the key \(key) is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.",
                            at: [values.location])
                    case (.forAnyValue, _):
                        report(
                            .emptyArrayConditionForAnyValue,
                            "The ForAnyValue prefix with an empty condition key \(key) never matches the request context and it does not affect the policy. Specify conditions.",
                            at: [values.location])
                    case (nil, true):
                        report(
                            .emptyArrayConditionIfExists,
                            "The IfExists suffix with an empty condition key matches only if the key \(key) is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.",
                            at: [values.location])
                    case (nil, false):
                        report(
                            .emptyArrayCondition,
                            "There are no values for the condition key \(key) and it does not affect the policy. Specify conditions.",
                            at: [values.location])
                    }
                }
                // A * or ? that only a Like operator would read as a wildcard.
                let literalStringOperators: Set<ConditionOperator.Base> = [.stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase]
                if literalStringOperators.contains(op.base),
                    values.listItems.contains(where: { $0.string.map { !$0.contains("${") && ($0.contains("*") || $0.contains("?")) } ?? false })
                {
                    report(
                        .wildcardWithoutLikeOperator,
                        "Your condition value includes a * or ? character. If you meant to use a wildcard (*, ?), update the condition operator to include Like.",
                        at: [values.location])
                }
            }
        }
    }

    // MARK: iam:PassRole

    /// Allowing iam:PassRole on every role (or on all but some): any role can
    /// then be handed to any service. Not reported when the statement names
    /// the services with `iam:PassedToService`.
    mutating func checkPassRole(
        _ statement: SourceValue, actions: (element: SourceValue, negated: Bool)?, resources: (element: SourceValue, negated: Bool)?
    ) {
        guard let actions, let resources else { return }
        let conditionKeys = (statement["Condition"]?.members ?? []).flatMap { $0.value.members.map { $0.key.lowercased() } }
        let scopedToServices = conditionKeys.contains("iam:passedtoservice")
        let starResource = resources.negated ? nil : resources.element.listItems.first { $0.string == "*" }
        let values = actions.element.listItems
        func matchesPassRole(_ value: SourceValue) -> Bool {
            value.string.map { ServiceCatalog.actionPattern($0, matches: "iam:PassRole") } ?? false
        }
        if actions.negated {
            // NotAction reaches iam:PassRole unless it excludes it.
            guard !values.contains(where: matchesPassRole) else { return }
            if let starResource, !scopedToServices {
                report(
                    .passRoleWithStarInResourceAndNotAction,
                    "Using a resource with wildcards (*) and NotAction can be overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.",
                    at: [actions.element.location, starResource.location])
            } else if resources.negated {
                report(
                    .passRoleWithNotActionAndNotResource,
                    "Using NotAction with NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources.. We recommend that you specify resource ARNs instead.",
                    at: [actions.element.location, resources.element.location])
            }
            return
        }
        guard let action = values.first(where: matchesPassRole), let name = action.string else { return }
        let exact = name.lowercased() == "iam:passrole"
        if resources.negated {
            report(
                exact ? .passRoleWithNotResource : .passRoleWithStarInActionAndNotResource,
                exact
                    ? "Using the iam:PassRole action with NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs instead."
                    : "Using an action with a wildcard (*) and NotResource can be overly permissive because it can allow iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs instead.",
                at: [action.location, resources.element.location])
        } else if let starResource, !scopedToServices {
            report(
                exact ? .passRoleWithStarInResource : .passRoleWithStarInActionAndResource,
                exact
                    ? "Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement."
                    : "Using wildcards (*) in the action and the resource can be overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.",
                at: [action.location, starResource.location])
        }
    }
}
