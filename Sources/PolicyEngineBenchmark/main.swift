// Decisions per second for a principal with 20 managed policies of 10
// statements each (wildcards and conditions), on one core; and Access
// Analyzer's policy validation of a 6 KB policy (reading the service catalog
// from seed/, so run it from the repository's root). Build with
// `swift build -c release` before trusting the figures.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import PolicyEngine
import PolicyValidation
import Platform
import ServiceCatalog

let account = "123456789012"
let services = ["s3", "ec2", "dynamodb", "sqs", "sns", "ecr", "lambda", "logs", "kms", "iam"]

/// A resource ARN in the shape each service uses (S3 and IAM ARNs carry no region).
func arn(_ service: String, _ name: String, region: String = "us-east-1") -> String {
    switch service {
    case "s3": "arn:aws:s3:::\(name)"
    case "iam": "arn:aws:iam::\(account):user/\(name)"
    default: "arn:aws:\(service):\(region):\(account):\(name)"
    }
}

func statement(policy p: Int, index s: Int) -> String {
    let service = services[s]
    if s == 9 {
        return #"{"Sid":"Deny\#(p)","Effect":"Deny","Action":"\#(service):Delete*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"admin"}}}"#
    }
    var conditions: [String] = []
    if s % 2 == 1 {
        conditions.append(#""StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]},"Bool":{"aws:SecureTransport":"true"}"#)
    }
    if s % 3 == 0 {
        conditions.append(#""IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}"#)
    }
    let condition = conditions.isEmpty ? "" : #","Condition":{\#(conditions.joined(separator: ","))}"#
    return #"{"Sid":"S\#(p)x\#(s)","Effect":"Allow","Action":["\#(service):Get*","\#(service):List*","\#(service):Describe*","\#(service):Put\#(p)*"],"Resource":["\#(arn(service, "res-\(p)/*"))","\#(arn(service, "shared-\(p)-*", region: "*"))"]\#(condition)}"#
}

let policies = (0..<20).map { p in
    let text = #"{"Version":"2012-10-17","Statement":[\#((0..<10).map { statement(policy: p, index: $0) }.joined(separator: ","))]}"#
    let document = try! PolicyDocument.parse(text, kind: .identity, requiresCurrentVersion: true)
    return AttachedPolicy(id: "arn:aws:iam::\(account):policy/P\(p)", source: .userManaged, document: document)
}
let policySet = PolicySet(identity: IdentityPolicies(identityPolicies: policies))
let principal = EvaluationPrincipal.user(arn: "arn:aws:iam::\(account):user/alice")
let context = principal.globalContextKeys.merging([
    "aws:RequestedRegion": "us-east-1", "aws:SecureTransport": "true", "aws:SourceIp": "10.1.2.3",
    "aws:PrincipalTag/team": "dev", "aws:CurrentTime": "2025-01-01T00:00:00Z",
])

struct Workload {
    let name: String
    let request: AuthorizationRequest
    let expected: Decision.Outcome
}

let workloads = [
    Workload(
        name: "allow found early",
        request: AuthorizationRequest(principal: principal, action: "s3:GetObject",
                                      resource: arn("s3", "res-0/key"), context: context),
        expected: .allowed),
    Workload(
        name: "implicit deny after scanning everything",
        request: AuthorizationRequest(principal: principal, action: "s3:GetObject",
                                      resource: arn("s3", "other/key"), context: context),
        expected: .implicitDeny),
    Workload(
        name: "allow in the last policy, with conditions",
        request: AuthorizationRequest(principal: principal, action: "ec2:DescribeInstances",
                                      resource: arn("ec2", "res-19/i-1"), context: context),
        expected: .allowed),
    Workload(
        name: "allow in the last policy, no conditions",
        request: AuthorizationRequest(principal: principal, action: "dynamodb:GetItem",
                                      resource: arn("dynamodb", "res-19/table"), context: context),
        expected: .allowed),
    Workload(
        name: "explicit deny with a negated condition",
        request: AuthorizationRequest(principal: principal, action: "iam:DeleteUser", resource: "*", context: context),
        expected: .explicitDeny),
    Workload(
        name: "unknown service (index miss)",
        request: AuthorizationRequest(principal: principal, action: "glacier:ListVaults", resource: "*", context: context),
        expected: .implicitDeny),
]

/// Optional second argument: run only workloads whose name contains it.
let filter = CommandLine.arguments.dropFirst(2).first

func measure(_ name: String, iterations: Int, _ body: () -> Int) {
    if let filter, !name.contains(filter) { return }
    var sink = 0
    for _ in 0..<(iterations / 10) { sink &+= body() }
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        for _ in 0..<iterations { sink &+= body() }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(iterations) / seconds
    let nanos = seconds / Double(iterations) * 1e9
    let padded = name.rightPadded(to: 52)
    print("\(padded) \(rate.fixed(0).leftPadded(to: 12)) decisions/s  \(nanos.fixed(1).leftPadded(to: 7)) ns/decision  (\(sink % 7))")
}

let iterations = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 2_000_000
print("PolicyEngine benchmark: 20 managed policies x 10 statements, \(iterations) decisions per workload, one thread")
for workload in workloads {
    let outcome = PolicyEvaluator.evaluate(workload.request, policies: policySet).outcome
    precondition(outcome == workload.expected, "\(workload.name): got \(outcome)")
    measure("evaluate: " + workload.name, iterations: iterations) {
        PolicyEvaluator.evaluate(workload.request, policies: policySet).isAllowed ? 1 : 0
    }
}
for workload in workloads.prefix(3) {
    measure("simulate: " + workload.name, iterations: iterations / 10) {
        PolicyEvaluator.simulate(workload.request, policies: policySet).matchedStatements.count
    }
}
let actions = (0..<64).map { "s3:Get\($0)Object" }
var next = 0
measure("evaluate: 64 rotating actions", iterations: iterations) {
    next = (next + 1) & 63
    var request = workloads[0].request
    request.action = actions[next]
    return PolicyEvaluator.evaluate(request, policies: policySet).isAllowed ? 1 : 0
}

// Access Analyzer's ValidatePolicy on a policy of ~6 KB (IAM's managed-policy
// limit is 6,144 characters), pretty-printed as the console writes it:
// statements of real actions (the catalog's) on account-scoped resources,
// some with conditions; a policy with no findings, as most are.
if let catalogText = try? PlainFile.reading("seed/service-catalog.json").readToEnd() {
    let catalog = ServiceCatalog(text: String(decoding: catalogText, as: UTF8.self))
    var statements: [String] = []
    var text = ""
    while text.utf8.count < 6_000 {
        let index = statements.count, service = services[index % services.count]
        let names = catalog.service(service)?.actions.prefix(8 + index).suffix(8).map { #""\#(service):\#($0.name)""# } ?? []
        let condition = index % 2 == 0 ? #","Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}"# : ""
        let resource = arn(service, "app-\(index)/*")
        statements.append(#"{"Sid":"S\#(index)","Effect":"Allow","Action":[\#(names.joined(separator: ","))],"Resource":["\#(resource)"]\#(condition)}"#)
        text = (try? JSONParser.parse(#"{"Version":"2012-10-17","Statement":[\#(statements.joined(separator: ","))]}"#).pretty()) ?? ""
    }
    let validator = PolicyValidator(catalog: catalog)
    let findings = validator.validate(text, policyType: .identity)
    print("validate: \(text.utf8.count) bytes, \(statements.count) statements, \(findings.count) findings \(findings.map(\.issueCode))")
    let rounds = max(1, iterations / 2_000)
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        var sink = 0
        for _ in 0..<rounds { sink &+= validator.validate(text, policyType: .identity).count }
        precondition(sink == rounds * findings.count)
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let millis = seconds / Double(rounds) * 1000
    print("\("validate: 6 KB identity policy".rightPadded(to: 52)) \(millis.fixed(3).leftPadded(to: 12)) ms/policy")
} else {
    print("validate: skipped (run from the repository's root, where seed/service-catalog.json is)")
}
