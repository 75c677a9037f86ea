import JSON

/// Why IAM refuses a policy document, with the message IAM returns in its
/// `MalformedPolicyDocument` error, word for word.
///
/// Every factory below cites where its text was seen. "Confirmed" means the
/// text appears in an error returned by AWS and quoted in a public report, or
/// in a test suite recorded against AWS; "guessed" means no such record was
/// found and the nearest documented or observed wording is used.
public struct PolicyGrammarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of problem; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Backing: String, Sendable, Hashable {
            case syntax
            case invalidJSON
            case versionTooOld
            case legacyParsing
            case duplicateSid
            case invalidSid
            case missingActions
            case missingResources
            case principalNotAllowed
            case missingPrincipal
            case invalidPrincipal
            case actionMissingVendor
            case actionHasManyColons
            case invalidVendor
            case resourceNotARN
            case invalidPartition
            case resourceVendorNotQualified
            case resourceHasRegion
            case invalidIAMResourcePath
            case prohibitedField
            case nonSTSAction
        }

        private let backing: Backing
        private init(_ backing: Backing) { self.backing = backing }

        public static let syntax = Code(.syntax)
        public static let invalidJSON = Code(.invalidJSON)
        public static let versionTooOld = Code(.versionTooOld)
        public static let legacyParsing = Code(.legacyParsing)
        public static let duplicateSid = Code(.duplicateSid)
        public static let invalidSid = Code(.invalidSid)
        public static let missingActions = Code(.missingActions)
        public static let missingResources = Code(.missingResources)
        public static let principalNotAllowed = Code(.principalNotAllowed)
        public static let missingPrincipal = Code(.missingPrincipal)
        public static let invalidPrincipal = Code(.invalidPrincipal)
        public static let actionMissingVendor = Code(.actionMissingVendor)
        public static let actionHasManyColons = Code(.actionHasManyColons)
        public static let invalidVendor = Code(.invalidVendor)
        public static let resourceNotARN = Code(.resourceNotARN)
        public static let invalidPartition = Code(.invalidPartition)
        public static let resourceVendorNotQualified = Code(.resourceVendorNotQualified)
        public static let resourceHasRegion = Code(.resourceHasRegion)
        public static let invalidIAMResourcePath = Code(.invalidIAMResourcePath)
        public static let prohibitedField = Code(.prohibitedField)
        public static let nonSTSAction = Code(.nonSTSAction)

        public var description: String { backing.rawValue }
    }

    public let code: Code
    /// The text IAM puts in the `MalformedPolicyDocument` error.
    public let message: String
    /// Where the problem is: the offending statement, or for JSON syntax
    /// errors the character at fault (start and end then coincide). Nil when
    /// the problem concerns the whole document.
    public let span: JSONSpan?

    public init(code: Code, message: String, span: JSONSpan? = nil) {
        self.code = code
        self.message = message
        self.span = span
    }

    /// The first character of the problem, for `policy validate`.
    public var position: JSONPosition? { span?.start }

    public var description: String {
        guard let position else { return message }
        return "\(message) (\(position))"
    }

    func at(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(code: code, message: message, span: span ?? self.span)
    }

    // MARK: Document structure

    /// Confirmed: PutUserPolicy/CreatePolicy on text that is not JSON, and on
    /// JSON that breaks the grammar (unknown elements, bad Version string,
    /// missing or empty Statement, bad Effect, wrong value types, Action with
    /// NotAction, unknown condition operator) — moto `test_iam_policies.py`
    /// cases recorded against IAM, versitygw `IAMPutUserPolicy_malformed_policy_document`.
    static func syntax(_ span: JSONSpan? = nil) -> PolicyGrammarError {
        PolicyGrammarError(code: .syntax, message: "Syntax errors in policy.", span: span)
    }

    /// Confirmed for role trust policies (CreateRole/UpdateAssumeRolePolicy):
    /// AWSCookbook/Security#2, brendanhay/amazonka#434, Graylog2/graylog-plugin-aws#22,
    /// and LocalStack PR #8453's AWS-validated test.
    static func invalidJSON(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(code: .invalidJSON, message: "This policy contains invalid Json", span: span)
    }

    /// Confirmed for managed policies (CreatePolicy/CreatePolicyVersion) with
    /// no Version or Version 2008-10-17: moto cases recorded against IAM,
    /// Meteor-CollectionFS#630. Inline policies accept both.
    static let versionTooOld = PolicyGrammarError(
        code: .versionTooOld, message: "Policy document must be version 2012-10-17 or greater.")

    /// Confirmed: an Effect in the wrong case ("allow"), a Date… value IAM
    /// cannot read, a resource with `::` but fewer than five colons, or a
    /// policy variable before the fifth colon of a Resource (moto cases;
    /// many user reports; AWS's own documentation of Resource variables).
    /// Note: an unknown Version string is *not* this error but "Syntax errors
    /// in policy." (moto and versitygw cases recorded against IAM).
    static func legacyParsing(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(code: .legacyParsing, message: "The policy failed legacy parsing", span: span)
    }

    // MARK: Statement IDs

    /// Confirmed: moto cases; versitygw duplicate-Sid case. Empty Sids are not compared.
    static func duplicateSid(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .duplicateSid, message: "Statement IDs (SID) in a single policy must be unique.", span: span)
    }

    /// Confirmed for IAM identity policies: quoted from IAM in
    /// aws-cloudformation/cfn-lint#1376 and Wolox/carthage_cache#22.
    static func invalidSid(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .invalidSid,
            message: "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*",
            span: span)
    }

    // MARK: Required elements

    /// Confirmed: moto; versitygw "missing action and notaction".
    static func missingActions(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(code: .missingActions, message: "Policy statement must contain actions.", span: span)
    }

    /// Confirmed: terraform-aws-modules/terraform-aws-iam#364 and #603 (CreatePolicy), moto.
    static func missingResources(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(code: .missingResources, message: "Policy statement must contain resources.", span: span)
    }

    // MARK: Principals

    /// Confirmed: hashicorp/terraform#13449, terraform-provider-aws#10419
    /// (PutGroupPolicy), lyft/metadataproxy#53, versitygw PutUserPolicy case.
    static func principalNotAllowed(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .principalNotAllowed, message: "Policy document should not specify a principal.", span: span)
    }

    /// Confirmed for role trust policies whose statement names no principal:
    /// CreateRole error quoted in terraform-aws-modules/terraform-aws-iam#47.
    static func trustStatementWithoutPrincipal(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .missingPrincipal,
            message: "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!",
            span: span)
    }

    /// Confirmed for S3 bucket policies (humanmade/S3-Uploads#191 and AWS's
    /// S3 documentation); used for every resource-based policy, since ECR's
    /// own wording for repository policies could not be found (guessed there).
    static func resourceStatementWithoutPrincipal(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(code: .missingPrincipal, message: "Missing required field Principal", span: span)
    }

    /// Confirmed format: `Invalid principal in policy: "AWS":"arn:aws:iam::959325414060:role/x"`
    /// (opstrace/opstrace#88, databrickslabs/ucx#2269) and
    /// `Invalid principal in policy: "SERVICE":""` (aws-cdk report): the
    /// principal type is upper-cased, type and value are quoted.
    static func invalidPrincipal(type: String, value: String, span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .invalidPrincipal,
            message: "Invalid principal in policy: \"\(type.uppercased())\":\"\(value)\"",
            span: span)
    }

    // MARK: Actions

    /// Confirmed: moto; versitygw ("", "GetObject").
    static func actionMissingVendor(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .actionMissingVendor,
            message: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
            span: span)
    }

    /// Confirmed: moto ("s3:List:Bucket").
    static func actionHasManyColons(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .actionHasManyColons, message: "Actions/Condition can contain only one colon.", span: span)
    }

    /// Confirmed: moto ("Vendor a a is not valid"); versitygw ("Vendor  is not valid").
    static func invalidVendor(_ vendor: Substring, span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(code: .invalidVendor, message: "Vendor \(vendor) is not valid", span: span)
    }

    /// Confirmed for trust policies whose actions are not STS actions; the
    /// wording is the one reproduced by LocalStack and versitygw for
    /// CreateRole (no AWS-side log of it was found: treat as likely).
    static func nonSTSAction(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .nonSTSAction, message: "AssumeRole policy may only specify STS AssumeRole actions.", span: span)
    }

    // MARK: Resources

    /// Confirmed: moto; versitygw ("invalid").
    static func resourceNotARN(_ resource: String, span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .resourceNotARN, message: "Resource \(resource) must be in ARN format or \"*\".", span: span)
    }

    /// Confirmed: moto (`Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".`);
    /// versitygw (`Partition "" is not valid for resource "arn::example-bucket/*:*:*:*".`).
    static func invalidPartition(_ partition: Substring, fields: [Substring], span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .invalidPartition,
            message: "Partition \"\(partition)\" is not valid for resource \"arn:\(partition):\(fields.joined(separator: ":"))\".",
            span: span)
    }

    /// Confirmed: moto ("arn:aws").
    static func resourceVendorNotQualified(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .resourceVendorNotQualified,
            message: "Resource vendor must be fully qualified and cannot contain regexes.", span: span)
    }

    /// Confirmed: moto (IAM and S3 word this differently).
    static func resourceHasRegion(_ resource: String, service: Substring, span: JSONSpan?) -> PolicyGrammarError {
        let message = service == "iam"
            ? "IAM resource \(resource) cannot contain region information."
            : "Resource \(resource) can not contain region information."
        return PolicyGrammarError(code: .resourceHasRegion, message: message, span: span)
    }

    /// Confirmed: AWS's MalformedPolicyDocument quoted from a PutRolePolicy refusal (terraform
    /// output, 2025) and docs/research/iam.md §6; moto's copy leaves out ", root".
    static func invalidIAMResourcePath(_ span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(
            code: .invalidIAMResourcePath,
            message: "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.",
            span: span)
    }

    /// Confirmed for `Resource` in a trust policy: CreateRole errors quoted
    /// in kubernetes-sigs/external-dns#3085 and devopsacademyau/academy#1368.
    /// `NotResource` uses the same wording by analogy (guessed).
    static func prohibitedField(_ field: String, span: JSONSpan?) -> PolicyGrammarError {
        PolicyGrammarError(code: .prohibitedField, message: "Has prohibited field \(field)", span: span)
    }
}
