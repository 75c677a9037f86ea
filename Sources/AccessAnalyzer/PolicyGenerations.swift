import AWSShapes
import JSON
import PolicyGeneration
import ServiceKit
import Storage

/// IAM Access Analyzer's policy generation (`StartPolicyGeneration`,
/// `GetGeneratedPolicy`, `ListPolicyGenerations`, `CancelPolicyGeneration`,
/// docs/research/access-analyzer.md §1.3, §5), with Gatehouse's decision log
/// as the trail: every call the server authorized or refused is in it, with
/// its resource, so nothing needs CloudTrail.
///
/// A job completes as it starts (AWS's take minutes): it reads the calls
/// the principal (a role: its sessions) made in the window the request names,
/// `cloudTrailDetails.startTime` to `endTime` (or now), and keeps them, so a
/// later GetGeneratedPolicy answers the same policy whatever happens since.
/// The trail and access role are echoed as given: there is no CloudTrail to
/// read them from.
enum PolicyGenerations {
    static func register(in r: inout RestJSONService.Registrar, decisions: DecisionLog) {
        r.register(StartPolicyGeneration.self, StartPolicyGeneration.behaviour(decisions))
        r.register(GetGeneratedPolicy.self, GetGeneratedPolicy.behaviour)
        r.register(ListPolicyGenerations.self, ListPolicyGenerations.behaviour)
        r.register(CancelPolicyGeneration.self, CancelPolicyGeneration.behaviour)
    }

    /// The job `jobId` of the caller's account, if it is still kept.
    static func job(_ jobId: String, _ context: OperationContext, _ tx: Transaction) throws -> PolicyGenerationRecord {
        let since = context.now.secondsSince1970 - PolicyGenerationRecord.retention
        guard let job = try tx.fetch(PolicyGenerationRecord.self, key: jobId), job.accountId == context.accountId,
            job.startedOn >= since
        else {
            // The model lists no ResourceNotFoundException for these operations:
            // ValidationException is INFERRED, its text Gatehouse's (§5.5).
            throw AccessAnalyzerService.validationException(
                "No policy generation job \(jobId) was found.", reason: "fieldValidationFailed",
                fields: [("jobId", "Member must be the jobId of a policy generation started in the last seven days")])
        }
        return job
    }

    /// `arn:PARTITION:SERVICE::ACCOUNT:TYPE/NAME` (an empty region) with a
    /// `TYPE/` of `types` and a name of 1 to 576 characters: the model's
    /// patterns for principal, role and trail ARNs (§1.3).
    static func matches(_ arn: String, service: String, emptyRegion: Bool, types: [String]) -> Bool {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == service, !emptyRegion || parts[3].isEmpty else { return false }
        return types.contains { type in
            parts[5].hasPrefix(type + "/") && (1...576).contains(parts[5].count - type.count - 1)
        }
    }

    static func timestamp(_ seconds: Double) -> String { Timestamp(secondsSince1970: seconds).iso8601 }
}

// MARK: - StartPolicyGeneration

/// `PUT /policy/generation`: `{"jobId"}`, a lower-case UUID as AWS's (§5.1).
public enum StartPolicyGeneration: RestJSONOperation {
    public static let name = "StartPolicyGeneration"

    public struct Trail: Sendable, Equatable {
        public var cloudTrailArn: String
        public var regions: [String]
        public var allRegions: Bool?
    }

    public struct CloudTrailDetails: Sendable, Equatable {
        public var trails: [Trail]
        public var accessRole: String
        public var startTime: Double
        public var endTime: Double?
    }

    public struct Input: Sendable, Equatable {
        public var principalArn: String
        public var cloudTrail: CloudTrailDetails?
        public var clientToken: String?
    }

    public struct Output: Sendable, Equatable {
        public var jobId: String
    }

    public static func decode(_ request: RestJSONRequest) throws(AWSError) -> Input {
        var body = RequestMembers(request)
        let clientToken = try body.string("clientToken")
        var principalArn: String?
        switch request.body["policyGenerationDetails"] {
        case nil, .null?:
            body.violation("policyGenerationDetails", nil, "Member must not be null")
        case .object(let details)?:
            principalArn = try RequestMembers.string(details["principalArn"], "policyGenerationDetails.principalArn")
            if let arn = principalArn {
                if !PolicyGenerations.matches(arn, service: "iam", emptyRegion: true, types: ["role", "user"]) {
                    body.violation(
                        "policyGenerationDetails.principalArn", arn,
                        "Member must satisfy regular expression pattern: arn:[^:]*:iam::[^:]*:(role|user)/.{1,576}")
                }
            } else {
                body.violation("policyGenerationDetails.principalArn", nil, "Member must not be null")
            }
        case let other?:
            throw RequestMembers.cannotParse("policyGenerationDetails", "an object", other)
        }
        let cloudTrail = try cloudTrailDetails(request.body["cloudTrailDetails"], &body)
        try body.finish()
        guard let principalArn else { throw AccessAnalyzerService.validationException("InvalidInput", reason: "other") }
        return Input(principalArn: principalArn, cloudTrail: cloudTrail, clientToken: clientToken)
    }

    static func cloudTrailDetails(_ value: JSONValue?, _ body: inout RequestMembers) throws(AWSError) -> CloudTrailDetails? {
        let member = "cloudTrailDetails"
        guard let value, value != .null else { return nil }
        guard case .object(let details) = value else { throw RequestMembers.cannotParse(member, "an object", value) }
        let accessRole = try RequestMembers.string(details["accessRole"], "\(member).accessRole")
        if let accessRole {
            if !PolicyGenerations.matches(accessRole, service: "iam", emptyRegion: true, types: ["role"]) {
                body.violation(
                    "\(member).accessRole", accessRole, "Member must satisfy regular expression pattern: arn:[^:]*:iam::[^:]*:role/.{1,576}")
            }
        } else {
            body.violation("\(member).accessRole", nil, "Member must not be null")
        }
        let startTime = try time(details["startTime"], "\(member).startTime")
        if startTime == nil { body.violation("\(member).startTime", nil, "Member must not be null") }
        let endTime = try time(details["endTime"], "\(member).endTime")
        var trails: [Trail] = []
        switch details["trails"] {
        case nil, .null?:
            body.violation("\(member).trails", nil, "Member must not be null")
        case .array(let items)?:
            for (i, item) in items.enumerated() {
                let path = "\(member).trails.\(i + 1).member"
                guard case .object(let trail) = item else { throw RequestMembers.cannotParse("\(member).trails", "a list of objects", item) }
                guard let arn = try RequestMembers.string(trail["cloudTrailArn"], "\(path).cloudTrailArn") else {
                    body.violation("\(path).cloudTrailArn", nil, "Member must not be null")
                    continue
                }
                if !PolicyGenerations.matches(arn, service: "cloudtrail", emptyRegion: false, types: ["trail"]) {
                    body.violation(
                        "\(path).cloudTrailArn", arn,
                        "Member must satisfy regular expression pattern: arn:[^:]*:cloudtrail:[^:]*:[^:]*:trail/.{1,576}")
                }
                var allRegions: Bool?
                switch trail["allRegions"] {
                case nil, .null?: break
                case .bool(let flag)?: allRegions = flag
                case let other?: throw RequestMembers.cannotParse("\(path).allRegions", "a boolean", other)
                }
                trails.append(Trail(
                    cloudTrailArn: arn, regions: try RequestMembers.strings(trail["regions"], "\(path).regions"),
                    allRegions: allRegions))
            }
        case let other?:
            throw RequestMembers.cannotParse("\(member).trails", "a list", other)
        }
        guard let accessRole, let startTime else { return nil }
        return CloudTrailDetails(trails: trails, accessRole: accessRole, startTime: startTime, endTime: endTime)
    }

    /// A timestamp member: ISO 8601, as the model's `timestampFormat` says
    /// (epoch seconds are read too, as AWS's JSON services read them).
    static func time(_ value: JSONValue?, _ member: String) throws(AWSError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?:
            guard let time = Timestamp(iso8601: text) else { throw RequestMembers.cannotParse(member, "an ISO 8601 timestamp", .string(text)) }
            return time.secondsSince1970
        case .number(let number)?:
            return number.double
        case let other?:
            throw RequestMembers.cannotParse(member, "a timestamp", other)
        }
    }

    static func behaviour(_ decisions: DecisionLog) -> OperationBehaviour<Input, Output> {
        .standalone(access: AccessAnalyzerService.access(name)) { input, context in
            try start(input, calls: decisions.recent(limit: Int.max), context: context)
        }
    }

    /// Reads the calls and stores the finished job, in one transaction with
    /// the look-up of a retry's client token.
    static func start(_ input: Input, calls entries: [DecisionLog.Entry], context: OperationContext) throws -> Output {
        let now = context.now.secondsSince1970
        let end = input.cloudTrail?.endTime ?? now
        let start = input.cloudTrail?.startTime ?? -.infinity
        // The trail is the caller's account's: another account's principal made no call in it.
        let inAccount = input.principalArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)[4] == context.accountId
        let calls = inAccount ? entries.filter { $0.time <= end }.calls(by: input.principalArn, since: start) : []
        var job = PolicyGenerationRecord(
            jobId: context.ids.uuid().lowercased(), accountId: context.accountId, principalArn: input.principalArn,
            status: "SUCCEEDED", startedOn: now, completedOn: now, clientToken: input.clientToken,
            cloudTrail: input.cloudTrail.map { cloudTrailJSON($0, endTime: end) }, calls: GetGeneratedPolicy.stored(calls))
        do {
            // Checked as the job ends: a logged resource IAM refuses in a policy fails it.
            _ = try PolicyGenerator(resources: GetGeneratedPolicy.narrowed).generate(from: calls)
        } catch {
            (job.status, job.errorCode, job.errorMessage) = ("FAILED", "SERVICE_ERROR", error.description)
        }
        return try context.store.transaction(.write) { tx in
            if let token = input.clientToken,
                let earlier = try PolicyGenerationRecord.started(in: context.accountId, clientToken: token, in: tx),
                earlier.startedOn >= now - PolicyGenerationRecord.retention
            {
                return Output(jobId: earlier.jobId)
            }
            try tx.insert(job)
            return Output(jobId: job.jobId)
        }
    }

    /// `cloudTrailProperties` as GetGeneratedPolicy answers them: the trails
    /// (`regions` `[]` when none were named, as AWS's example shows), the window.
    static func cloudTrailJSON(_ details: CloudTrailDetails, endTime: Double) -> String {
        var w = JSONWriter()
        w.objectStart()
        w.key("trailProperties")
        w.arrayStart()
        for trail in details.trails {
            w.objectStart()
            w.key("cloudTrailArn"); w.value(trail.cloudTrailArn)
            w.key("regions")
            w.arrayStart()
            for region in trail.regions { w.value(region) }
            w.arrayEnd()
            if let all = trail.allRegions { w.key("allRegions"); w.value(all) }
            w.objectEnd()
        }
        w.arrayEnd()
        w.key("startTime"); w.value(PolicyGenerations.timestamp(details.startTime))
        w.key("endTime"); w.value(PolicyGenerations.timestamp(endTime))
        w.objectEnd()
        return w.string
    }

    public static func encode(_ output: Output) -> [UInt8] {
        var w = JSONWriter()
        w.objectStart()
        w.key("jobId"); w.value(output.jobId)
        w.objectEnd()
        return w.bytes
    }
}

// MARK: - GetGeneratedPolicy

/// `GET /policy/generation/{jobId}`: the job and its policy (§5.2).
///
/// Without `includeResourcePlaceholders`, AWS's form: every action in one
/// statement on `*`. With it, where AWS writes an ARN template per resource
/// type (`arn:aws:s3:::${BucketName}`) because CloudTrail rarely names the
/// resource, Gatehouse writes the ARNs the calls used — what the placeholders
/// stand for. `includeServiceLevelTemplate` adds nothing: every logged call
/// names its action, so no service is known only at the service level, and
/// `isComplete` is true.
public enum GetGeneratedPolicy: RestJSONOperation {
    public static let name = "GetGeneratedPolicy"
    static let narrowed = PolicyGenerator.Resources.used(maximum: 10)

    public struct Input: Sendable, Equatable {
        public var jobId: String
        public var includeResourcePlaceholders: Bool
    }

    public struct Output: Sendable, Equatable {
        public var job: PolicyGenerationRecord
        /// Nil unless the job succeeded.
        public var policies: [String]?
    }

    public static func decode(_ request: RestJSONRequest) throws(AWSError) -> Input {
        var body = RequestMembers(request)
        let placeholders = body.boolean(query: "includeResourcePlaceholders")
        _ = body.boolean(query: "includeServiceLevelTemplate")
        try body.finish()
        return Input(jobId: request.pathParameters["jobId"] ?? "", includeResourcePlaceholders: placeholders ?? false)
    }

    static let behaviour = OperationBehaviour<Input, Output>.standalone(access: AccessAnalyzerService.access(name)) { input, context in
        let job = try context.store.transaction(.read) { tx in try PolicyGenerations.job(input.jobId, context, tx) }
        guard job.status == "SUCCEEDED" else { return Output(job: job, policies: nil) }
        let generator = PolicyGenerator(resources: input.includeResourcePlaceholders ? narrowed : .any)
        let policies = try generator.generate(from: calls(stored: job.calls))?.policies() ?? []
        return Output(job: job, policies: policies)
    }

    /// The calls a job read, one JSON array `[action, resource, outcome]` each.
    static func stored(_ calls: [ObservedCall]) -> String {
        var w = JSONWriter()
        w.arrayStart()
        for call in Set(calls).sorted(by: { ($0.action, $0.resource, $0.outcome.rawValue) < ($1.action, $1.resource, $1.outcome.rawValue) }) {
            w.arrayStart()
            w.value(call.action); w.value(call.resource); w.value(call.outcome.rawValue)
            w.arrayEnd()
        }
        w.arrayEnd()
        return w.string
    }

    static func calls(stored text: String) throws -> [ObservedCall] {
        try JSONParser.parse(text).arrayValue?.compactMap { item in
            guard let fields = item.arrayValue, fields.count == 3, let action = fields[0].stringValue,
                let resource = fields[1].stringValue, let outcome = fields[2].stringValue.flatMap(ObservedCall.Outcome.init)
            else { return nil }
            return ObservedCall(action: action, resource: resource, outcome: outcome)
        } ?? []
    }

    public static func encode(_ output: Output) -> [UInt8] {
        let job = output.job
        var w = JSONWriter(capacity: 512 + (output.policies?.reduce(0) { $0 + $1.count + 16 } ?? 0))
        w.objectStart()
        w.key("jobDetails")
        ListPolicyGenerations.write(job, to: &w, principal: false)
        w.key("generatedPolicyResult")
        w.objectStart()
        w.key("properties")
        w.objectStart()
        if job.status == "SUCCEEDED" { w.key("isComplete"); w.value(true) }
        w.key("principalArn"); w.value(job.principalArn)
        if let trail = job.cloudTrail, let properties = try? JSONParser.parse(trail) {
            w.key("cloudTrailProperties"); w.value(properties)
        }
        w.objectEnd()
        if let policies = output.policies {
            w.key("generatedPolicies")
            w.arrayStart()
            for policy in policies {
                w.objectStart()
                w.key("policy"); w.value(policy)
                w.objectEnd()
            }
            w.arrayEnd()
        }
        w.objectEnd()
        w.objectEnd()
        return w.bytes
    }
}

// MARK: - ListPolicyGenerations

/// `GET /policy/generation`: the account's jobs of the last seven days,
/// newest first (§5.3), paged by `maxResults` and an opaque `nextToken`.
public enum ListPolicyGenerations: RestJSONOperation {
    public static let name = "ListPolicyGenerations"

    public struct Input: Sendable, Equatable {
        public var principalArn: String?
        public var maxResults: Int?
        public var nextToken: String?
    }

    public struct Output: Sendable, Equatable {
        public var jobs: [PolicyGenerationRecord]
        public var nextToken: String?
    }

    public static func decode(_ request: RestJSONRequest) throws(AWSError) -> Input {
        var body = RequestMembers(request)
        let principalArn = request.query["principalArn"]
        if let arn = principalArn, !PolicyGenerations.matches(arn, service: "iam", emptyRegion: true, types: ["role", "user"]) {
            body.violation("principalArn", arn, "Member must satisfy regular expression pattern: arn:[^:]*:iam::[^:]*:(role|user)/.{1,576}")
        }
        let maxResults = body.maxResults()
        try body.finish()
        return Input(principalArn: principalArn, maxResults: maxResults, nextToken: request.query["nextToken"])
    }

    static let behaviour = OperationBehaviour<Input, Output>.standalone(access: AccessAnalyzerService.access(name)) { input, context in
        let since = context.now.secondsSince1970 - PolicyGenerationRecord.retention
        var jobs = try context.store.transaction(.read) { tx in
            try PolicyGenerationRecord.started(in: context.accountId, since: since, principalArn: input.principalArn, in: tx)
        }
        if let token = input.nextToken {
            // The token names the last job of the previous page: jobs started since do not shift the pages.
            guard let index = jobs.firstIndex(where: { Self.token(after: $0) == token }) else {
                throw AccessAnalyzerService.validationException(
                    "Invalid nextToken: it does not belong to this listing.", reason: "fieldValidationFailed",
                    fields: [("nextToken", "Member must be a token from the previous page of this listing")])
            }
            jobs.removeFirst(index + 1)
        }
        guard let limit = input.maxResults, jobs.count > limit else { return Output(jobs: jobs, nextToken: nil) }
        let page = Array(jobs.prefix(limit))
        return Output(jobs: page, nextToken: page.last.map(Self.token(after:)))
    }

    /// Gatehouse's token format (§6 item 8): the last listed job's id.
    static func token(after job: PolicyGenerationRecord) -> String { Base64.encode(Array("v1.\(job.jobId)".utf8)) }

    /// `{jobId, principalArn, status, startedOn, completedOn}` (JobDetails
    /// leaves out the principal and adds `jobError`).
    static func write(_ job: PolicyGenerationRecord, to w: inout JSONWriter, principal: Bool) {
        w.objectStart()
        w.key("jobId"); w.value(job.jobId)
        if principal { w.key("principalArn"); w.value(job.principalArn) }
        w.key("status"); w.value(job.status)
        w.key("startedOn"); w.value(PolicyGenerations.timestamp(job.startedOn))
        if let completed = job.completedOn { w.key("completedOn"); w.value(PolicyGenerations.timestamp(completed)) }
        if !principal, let code = job.errorCode {
            w.key("jobError")
            w.objectStart()
            w.key("code"); w.value(code)
            w.key("message"); w.value(job.errorMessage ?? "")
            w.objectEnd()
        }
        w.objectEnd()
    }

    public static func encode(_ output: Output) -> [UInt8] {
        var w = JSONWriter(capacity: 64 + output.jobs.count * 200)
        w.objectStart()
        w.key("policyGenerations")
        w.arrayStart()
        for job in output.jobs { write(job, to: &w, principal: true) }
        w.arrayEnd()
        if let token = output.nextToken { w.key("nextToken"); w.value(token) }
        w.objectEnd()
        return w.bytes
    }
}

// MARK: - CancelPolicyGeneration

/// `PUT /policy/generation/{jobId}`: 200 with an empty body (§5.3). A job
/// completes as it starts, so there is never one to stop: a finished job
/// stays as it ended (AWS's answer for a finished job is not on record).
public enum CancelPolicyGeneration: RestJSONOperation {
    public static let name = "CancelPolicyGeneration"

    public struct Input: Sendable, Equatable {
        public var jobId: String
    }

    public struct Output: Sendable, Equatable {}

    public static func decode(_ request: RestJSONRequest) throws(AWSError) -> Input {
        Input(jobId: request.pathParameters["jobId"] ?? "")
    }

    static let behaviour = OperationBehaviour<Input, Output>.standalone(access: AccessAnalyzerService.access(name)) { input, context in
        _ = try context.store.transaction(.read) { tx in try PolicyGenerations.job(input.jobId, context, tx) }
        return Output()
    }

    public static func encode(_ output: Output) -> [UInt8] { [] }
}
