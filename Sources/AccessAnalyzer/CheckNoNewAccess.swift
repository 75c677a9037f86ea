import AWSShapes
import PolicyEngine
import ServiceCatalog
import ServiceKit

/// `POST /policy/check-no-new-access`: whether a modified policy grants
/// access its existing version does not (docs/research/access-analyzer.md §1.3, §4).
public enum CheckNoNewAccess: RestJSONOperation {
    public static let name = "CheckNoNewAccess"

    public struct Input: Sendable, Equatable {
        public var newPolicyDocument: String
        public var existingPolicyDocument: String
        public var policyType: AccessCheckPolicyType
    }

    public typealias Output = CheckResult

    public static func decode(_ request: RestJSONRequest) throws(AWSError) -> Input {
        var body = RequestMembers(request)
        let new = try body.required("newPolicyDocument")
        let existing = try body.required("existingPolicyDocument")
        let policyType = body.oneOf("policyType", try body.required("policyType"), AccessCheckPolicyType.self)
        try body.finish()
        guard let new, let existing, let policyType else { throw AccessAnalyzerService.validationException("InvalidInput", reason: "other") }
        return Input(newPolicyDocument: new, existingPolicyDocument: existing, policyType: policyType)
    }

    static let behaviour = OperationBehaviour<Input, Output>.standalone(
        access: AccessAnalyzerService.access(name),
        handler: { input, context in try check(input, catalog: context.environment.services.catalog) })

    /// FAIL text and reason CONFIRMED; the PASS text is INFERRED (§4.2).
    static let pass = "The modified permissions do not grant new access compared to your existing policy."
    static let fail = "The modified permissions grant new access compared to your existing policy."

    static func check(_ input: Input, catalog: ServiceCatalog?) throws(AWSError) -> Output {
        let kind = input.policyType.kind
        let new = try CustomPolicyChecks.parse(input.newPolicyDocument, kind: kind, member: "newPolicyDocument")
        let existing = try CustomPolicyChecks.parse(input.existingPolicyDocument, kind: kind, member: "existingPolicyDocument")
        let statements = newAccess(new, existing: existing, access: PolicyAccess(catalog: catalog))
        return statements.isEmpty
            ? CheckResult(passed: true, message: pass, reasons: [])
            : CheckResult(passed: false, message: fail, reasons: statements.map { CheckReason("New access in the statement with", $0) })
    }

    /// The new policy's Allow statements that may grant access the existing
    /// policy does not.
    ///
    /// An Allow is old access when each of its action patterns (a `NotAction`
    /// statement as a whole) is covered by one existing Allow whose actions
    /// include it, whose resources include the statement's, whose principals
    /// include the statement's (resource policies), and whose conditions are
    /// no stricter (a subset of the statement's clauses: conditions are ANDed).
    /// Splitting by action lets a statement that merges two existing ones pass.
    /// It is new access, even if covered, when it meets an existing Deny the
    /// new policy dropped. Denies added by the new policy are not credited:
    /// only ever reducing access, ignoring them can only turn a PASS into a
    /// FAIL. Conditions are compared as written, not by meaning — the
    /// approximation errs towards FAIL, as a gate should.
    static func newAccess(_ new: PolicyDocument, existing: PolicyDocument, access: PolicyAccess) -> [PolicyStatement] {
        let allows = existing.statements.filter { $0.effect == .allow }
        let droppedDenies = existing.statements.filter { deny in
            deny.effect == .deny && !new.statements.contains { PolicyAccess.sameRule($0, deny) }
        }
        return new.statements.filter { statement in
            guard statement.effect == .allow else { return false }
            let actions = PolicyAccess.Values(statement.actions)
            let resources = PolicyAccess.Values(statement.resources)
            let pieces = actions.isNegated ? [actions] : actions.patterns.map { PolicyAccess.Values(patterns: [$0]) }
            let covered = pieces.allSatisfy { piece in
                allows.contains { old in
                    access.covers(PolicyAccess.Values(old.actions), piece, .action)
                        && access.covers(PolicyAccess.Values(old.resources), resources, .resource)
                        && PolicyAccess.principalsCover(old, statement)
                        && PolicyAccess.conditionsNoStricter(old, than: statement)
                }
            }
            let undenied = droppedDenies.contains { deny in
                access.intersects(PolicyAccess.Values(deny.actions), actions, .action)
                    && access.intersects(PolicyAccess.Values(deny.resources), resources, .resource)
            }
            return !covered || undenied
        }
    }

    public static func encode(_ output: Output) -> [UInt8] { output.encode() }
}
