import AWSShapes
import Hashing
import JSON
import PolicyValidation
import ServiceCatalog
import ServiceKit

/// `POST /policy/validation`: the findings of IAM Access Analyzer's policy
/// checks, a page at a time (docs/research/access-analyzer.md §1.2, §1.3, §3).
public enum ValidatePolicy: RestJSONOperation {
    public static let name = "ValidatePolicy"

    public struct Input: Sendable, Equatable {
        public var policyDocument: String
        public var policyType: ValidationPolicyType
        public var resourceType: ValidationResourceType?
        /// Accepted and checked, but findings are in English whatever it says:
        /// no translated finding is on record (§2.1 "Locale", §6 item 6).
        public var locale: String?
        public var maxResults: Int?
        public var nextToken: String?
    }

    public struct Output: Sendable, Equatable {
        public var findings: [ValidationFinding]
        public var nextToken: String?
    }

    /// The model's `Locale` enum (§1.3).
    static let locales = ["DE", "EN", "ES", "FR", "IT", "JA", "KO", "PT_BR", "ZH_CN", "ZH_TW"]

    /// Required members and enum values are checked before authorization, as
    /// the model's constraints are for every service; the wording follows
    /// AWS's constraint messages (`Value … at '…' failed to satisfy constraint: …`),
    /// since Access Analyzer's own is not on record (§1.6, §6 item 2).
    public static func decode(_ request: RestJSONRequest) throws(AWSError) -> Input {
        var members = RequestMembers(request)
        let document = try members.required("policyDocument")
        let policyType = members.oneOf("policyType", try members.required("policyType"), ValidationPolicyType.self)
        let resourceType = members.oneOf("validatePolicyResourceType", try members.string("validatePolicyResourceType"), ValidationResourceType.self)
        let locale = members.oneOf("locale", try members.string("locale"), locales)
        // The model sets no bounds here (§1.3); a page of none or fewer cannot make progress.
        let maxResults = members.maxResults()
        try members.finish()
        guard let document, let policyType else { throw AccessAnalyzerService.validationException("InvalidInput", reason: "other") }
        return Input(
            policyDocument: document, policyType: policyType, resourceType: resourceType, locale: locale, maxResults: maxResults,
            nextToken: request.query["nextToken"])
    }

    static let behaviour = OperationBehaviour<Input, Output>.standalone(
        access: AccessAnalyzerService.access(name),
        handler: { input, context in try validate(input, catalog: context.environment.services.catalog) })

    /// The page of findings the input asks for.
    static func validate(_ input: Input, catalog: ServiceCatalog?) throws(AWSError) -> Output {
        // The one ValidatePolicy error on record (§1.5, awslabs/terraform-iam-policy-validator#23):
        // a resource type is for resource policies only. Its `reason` was not shown.
        if input.resourceType != nil, input.policyType != .resource {
            throw AccessAnalyzerService.validationException("InvalidInput", reason: "fieldValidationFailed")
        }
        let findings = PolicyValidator(catalog: catalog).validate(
            input.policyDocument, policyType: input.policyType, resourceType: input.resourceType)
        let page = PageToken(input)
        var start = 0
        if let token = input.nextToken {
            guard let offset = page.offset(in: token), offset <= findings.count else {
                throw AccessAnalyzerService.validationException(
                    "Invalid nextToken: it does not belong to this request.", reason: "fieldValidationFailed",
                    fields: [("nextToken", "Member must be a token from the previous page of this request")])
            }
            start = offset
        }
        // Without maxResults every finding comes in one page: AWS's default page size
        // is not on record (§1.2, §6 item 8), and a policy has few findings.
        let end = input.maxResults.map { min(findings.count, start + $0) } ?? findings.count
        return Output(findings: Array(findings[start..<end]), nextToken: end < findings.count ? page.token(offset: end) : nil)
    }

    /// An opaque `nextToken`: where the next page starts, bound to the request
    /// it pages (its policy, type and resource type), so a token is not
    /// carried over to another policy. Its format is Gatehouse's (§6 item 8).
    struct PageToken {
        let fingerprint: String

        init(_ input: Input) {
            let key = [input.policyType.rawValue, input.resourceType?.rawValue ?? "", input.policyDocument].joined(separator: "\u{0}")
            fingerprint = String(Hex.encode(SHA256.hash(key)).prefix(16))
        }

        func token(offset: Int) -> String { Base64.encode(Array("v1.\(fingerprint).\(offset)".utf8)) }

        func offset(in token: String) -> Int? {
            guard let bytes = Base64.decode(token) else { return nil }
            let parts = String(decoding: bytes, as: UTF8.self).split(separator: ".")
            guard parts.count == 3, parts[0] == "v1", parts[1] == fingerprint, let offset = Int(parts[2]), offset > 0 else { return nil }
            return offset
        }
    }

    /// `{"findings":[…],"nextToken":…}`, each finding with the model's member
    /// names: path elements as `{"value": key}` / `{"index": n}` and a `span`
    /// of `start` and `end` positions (§1.3, §3.1). `nextToken` is left out on
    /// the last page, as AWS leaves it out (§1.2).
    public static func encode(_ output: Output) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + output.findings.count * 512)
        w.objectStart()
        w.key("findings")
        w.arrayStart()
        for finding in output.findings { finding.write(to: &w) }
        w.arrayEnd()
        if let token = output.nextToken {
            w.key("nextToken")
            w.value(token)
        }
        w.objectEnd()
        return w.bytes
    }
}
