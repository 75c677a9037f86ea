import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import PolicyEngine
import AWSShapes

extension PolicyCommand {
    /// `gatehouse policy eval`: one request decided offline by the engine the
    /// server enforces with, the way the IAM policy simulator runs it.
    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Decide one request against policy files: allowed, explicitDeny or implicitDeny, and why.",
            discussion: """
                Prints the decision and the statements behind it (file, Sid, index, position): every \
                allow that applied when allowed, every deny that applied on an explicit deny. Statement \
                indexes count from 0.
                Context values are strings, as AWS passes them; each condition operator reads them as \
                it needs (numbers, dates, booleans, addresses). Repeat a key for a multi-valued key. \
                aws:CurrentTime, aws:EpochTime and the principal's global keys (aws:PrincipalArn, \
                aws:PrincipalAccount, aws:PrincipalType, aws:username) are supplied unless given.
                With sts:AssumeRole* actions the resource policy is read as the role's trust policy.
                Service control policies are not supported: the engine does not evaluate them.
                Exit status: 0 allowed, 1 denied (explicitly or implicitly), 2 when an option or a \
                policy file is invalid.
                """)

        @Option(name: .customLong("policy"), help: "An identity-based policy (repeatable).")
        var policies: [String] = []

        @Option(help: "A permissions boundary.")
        var boundary: String?

        @Option(help: "A resource-based policy (or, for sts:AssumeRole*, the role's trust policy).")
        var resourcePolicy: String?

        @Option(name: .customLong("session-policy"), help: "A session policy (repeatable).")
        var sessionPolicies: [String] = []

        @Option(help: "The action, e.g. s3:GetObject.")
        var action: String?

        @Option(help: "The resource ARN; * for actions without a resource type.")
        var resource: String = "*"

        @Option(help: "Who asks: an IAM user, role, assumed-role session, federated user or root ARN (default: a user of the resource's account).")
        var principal: String?

        @Option(name: .customLong("context"), help: "A context key and value, KEY=VALUE (repeatable; repeat a key for several values).")
        var contextEntries: [String] = []

        @Flag(help: "Print the decision as JSON.")
        var json = false

        func run() async throws {
            let outcome: (SimulationResult, AuthorizationRequest, [String: String])
            do {
                outcome = try evaluate()
            } catch let diagnostic as PolicyFile.Diagnostic {
                Console.error(diagnostic.description)
                throw ExitCode(2)
            } catch {
                Console.error("error: \(error)")
                throw ExitCode(2)
            }
            let (result, request, files) = outcome
            if json {
                Console.line(Self.json(result, request: request, files: files))
            } else {
                Self.describe(result, request: request, files: files).forEach(Console.line)
            }
            if !result.decision.isAllowed { throw ExitCode(1) }
        }

        struct UsageError: Error, CustomStringConvertible {
            let description: String
        }

        /// The simulation, the request it decided, and each policy id's file.
        func evaluate() throws -> (SimulationResult, AuthorizationRequest, [String: String]) {
            guard let action, !action.isEmpty else { throw UsageError(description: "--action is required") }
            guard !policies.isEmpty || resourcePolicy != nil || boundary != nil || !sessionPolicies.isEmpty else {
                throw UsageError(description: "name at least one policy (--policy, --resource-policy, --boundary or --session-policy)")
            }
            let resourceAccount = Self.account(inARN: resource)
            let caller: EvaluationPrincipal
            if let principal {
                guard let parsed = EvaluationPrincipal(arn: principal) else {
                    throw UsageError(description: "--principal \(principal) is not a user, role, assumed-role, federated-user or root ARN")
                }
                caller = parsed
            } else {
                caller = .user(arn: "arn:aws:iam::\(resourceAccount ?? "000000000000"):user/policy-eval")
            }
            var context = try RequestContext(assignments: contextEntries)
            let now = Date()
            var defaults = caller.globalContextKeys
            defaults["aws:CurrentTime"] = ContextValue(Timestamp(secondsSince1970: now.timeIntervalSince1970).iso8601)
            defaults["aws:EpochTime"] = ContextValue(String(Int64(now.timeIntervalSince1970)))
            context = context.merging(defaults)

            var files: [String: String] = [:]
            func load(_ path: String, _ id: String, kind: PolicyKind, source: AttachedPolicy.Source) throws -> AttachedPolicy {
                let file = try PolicyFile(path: path, kind: kind, requiresCurrentVersion: false)
                files[id] = path
                return AttachedPolicy(id: id, source: source, document: file.document)
            }
            let identity = try policies.enumerated().map { try load($1, "policy.\($0 + 1)", kind: .identity, source: .none) }
            let boundaryPolicy = try boundary.map { try load($0, "boundary", kind: .identity, source: .none) }
            let sessions = try sessionPolicies.enumerated().map { try load($1, "session.\($0 + 1)", kind: .identity, source: .none) }
            let isAssumeRole = action.lowercased().hasPrefix("sts:assumerole")
            let resourceBased = try resourcePolicy.map {
                try load($0, "resource", kind: isAssumeRole ? .trust : .resource, source: .resource)
            }
            let owner = resourceAccount ?? caller.accountID
            let set = PolicySet(
                identity: IdentityPolicies(identityPolicies: identity, permissionsBoundary: boundaryPolicy, sessionPolicies: sessions),
                resourcePolicy: resourceBased.map { ResourcePolicy(policy: $0, ownerAccountID: owner) })
            let request = AuthorizationRequest(
                principal: caller, action: action, resource: resource,
                resourceAccountID: owner.isEmpty ? nil : owner, context: context)
            return (PolicyEvaluator.simulate(request, policies: set), request, files)
        }

        // MARK: Output

        static func statementName(_ matched: MatchedStatement) -> String {
            matched.sid.map { "\"\($0)\" (index \(matched.statementIndex))" } ?? "index \(matched.statementIndex)"
        }

        static func describe(_ result: SimulationResult, request: AuthorizationRequest, files: [String: String]) -> [String] {
            let decision = result.decision
            var headline = decision.outcome.rawValue
            switch decision.outcome {
            case .allowed:
                headline = Console.paint(headline, .green)
                if decision.policyType == nil { headline += ": the root user is not limited by identity-based policies" }
            case .explicitDeny, .implicitDeny:
                headline = Console.paint(headline, .red)
                if let reason = decision.denialReason(action: request.action) { headline += ": \(reason)" }
            }
            var lines = ["\(headline)", "  \(request.principal.arn) → \(request.action) on \(request.resource)"]
            for matched in decision.matchedStatements {
                let file = files[matched.policyID] ?? matched.policyID
                let position = matched.span.map { ":\($0.start.line):\($0.start.column)" } ?? ""
                lines.append("  \(matched.effect.rawValue) statement \(statementName(matched)) in \(file)\(position) (\(matched.policyType.rawValue))")
            }
            if !result.missingContextValues.isEmpty {
                lines.append("  missing context values: \(result.missingContextValues.joined(separator: ", "))")
            }
            return lines
        }

        static func json(_ result: SimulationResult, request: AuthorizationRequest, files: [String: String]) -> String {
            let decision = result.decision
            var w = JSONWriter()
            w.objectStart()
            w.key("decision"); w.value(decision.outcome.rawValue)
            w.key("allowed"); w.value(decision.isAllowed)
            w.key("principal"); w.value(request.principal.arn)
            w.key("action"); w.value(request.action)
            w.key("resource"); w.value(request.resource)
            if let type = decision.policyType { w.key("policyType"); w.value(type.rawValue) }
            if let reason = decision.denialReason(action: request.action) { w.key("reason"); w.value(reason) }
            w.key("statements")
            w.arrayStart()
            for matched in decision.matchedStatements {
                w.objectStart()
                w.key("file"); w.value(files[matched.policyID] ?? matched.policyID)
                w.key("policyType"); w.value(matched.policyType.rawValue)
                w.key("effect"); w.value(matched.effect.rawValue)
                if let sid = matched.sid { w.key("sid"); w.value(sid) }
                w.key("index"); w.value(matched.statementIndex)
                if let span = matched.span {
                    w.key("line"); w.value(span.start.line)
                    w.key("column"); w.value(span.start.column)
                }
                w.objectEnd()
            }
            w.arrayEnd()
            w.key("missingContextValues")
            w.arrayStart()
            for key in result.missingContextValues { w.value(key) }
            w.arrayEnd()
            w.key("decisionsByPolicyType")
            w.objectStart()
            for (type, outcome) in result.decisionsByPolicyType.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                w.key(type.rawValue); w.value(outcome.rawValue)
            }
            w.objectEnd()
            w.objectEnd()
            return w.string
        }

        /// The account field of an ARN, when it is one.
        static func account(inARN arn: String) -> String? {
            let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count == 6, fields[0] == "arn", !fields[4].isEmpty else { return nil }
            return String(fields[4])
        }
    }
}
