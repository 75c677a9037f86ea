// The IAM policy grammar on arbitrary text, as each kind of policy and as a
// managed policy: parsing and validation never crash or trap, and a document
// that validates can be evaluated and simulated against requests made of its
// own strings (its first action and resource, its condition values as the
// request context), which drives wildcard matching and every condition
// operator's parsing of fuzzed values.
import FuzzSupport
import PolicyEngine

private let principal = EvaluationPrincipal.user(arn: "arn:aws:iam::123456789012:user/alice")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: Fuzz.bytes(data, size), as: UTF8.self)
    _ = PolicyDocument.size(of: text)
    for kind in PolicyKind.allCases {
        for managed in [false, true] where !managed || kind == .identity {
            let document: PolicyDocument
            do {
                document = try PolicyDocument.parse(text, kind: kind, requiresCurrentVersion: managed)
            } catch {
                Fuzz.require(!error.description.isEmpty, "an error without a message")
                continue
            }
            exercise(document)
        }
    }
    return 0
}

private func exercise(_ document: PolicyDocument) {
    _ = document.conditionKeys
    _ = document.contextKeys
    _ = document.principalReferences
    var values: [String: ContextValue] = [:]
    for clause in document.statements.flatMap(\.conditions) where values[clause.key] == nil {
        values[clause.key] = ContextValue(clause.values)
    }
    let context = RequestContext(values).merging(principal.globalContextKeys)
    for clause in document.statements.flatMap(\.conditions) {
        _ = clause.evaluate(in: context)
    }
    let attached = AttachedPolicy(id: "arn:aws:iam::123456789012:policy/fuzz", source: .userManaged, document: document)
    let policies = document.kind == .identity
        ? PolicySet(identity: IdentityPolicies(identityPolicies: [attached]))
        : PolicySet(identity: IdentityPolicies(), resourcePolicy: ResourcePolicy(policy: attached, ownerAccountID: "123456789012"))
    var requests = [AuthorizationRequest(principal: principal, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/key", context: context)]
    if let statement = document.statements.first, let action = statement.actions.values.first {
        requests.append(AuthorizationRequest(
            principal: principal, action: action, resource: statement.resources?.values.first ?? "*", context: context))
    }
    for request in requests {
        let decision = PolicyEvaluator.evaluate(request, policies: policies)
        let simulation = PolicyEvaluator.simulate(request, policies: policies)
        Fuzz.require(decision.outcome == simulation.decision.outcome, "evaluate and simulate disagree")
    }
}

@main
struct FuzzPolicyMain {
    static func main() {
        Fuzz.run(fuzzPolicy)
    }
}
