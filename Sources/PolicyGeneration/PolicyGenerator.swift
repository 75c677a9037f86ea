import JSON
import PolicyEngine

/// One authorization decision a principal's call was given, as the decision
/// log records it.
public struct ObservedCall: Sendable, Hashable {
    public enum Outcome: String, Sendable {
        case allowed, implicitDeny, explicitDeny
    }

    public var action: String
    public var resource: String
    public var outcome: Outcome

    public init(action: String, resource: String, outcome: Outcome) {
        (self.action, self.resource, self.outcome) = (action, resource, outcome)
    }
}

/// The callers whose calls make a principal's policy: the principal itself,
/// and for a role (`arn:aws:iam::ACCOUNT:role/PATH/NAME`) any of its sessions
/// (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`), as AWS generates a
/// role's policy from what its sessions did.
public struct PrincipalScope: Sendable {
    public let principal: String
    /// `arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/` for a role.
    private let sessionPrefix: String?

    public init(_ principal: String) {
        self.principal = principal
        let parts = principal.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if parts.count == 6, parts[2] == "iam", parts[5].hasPrefix("role/"), let name = parts[5].split(separator: "/").last {
            sessionPrefix = "arn:\(parts[1]):sts::\(parts[4]):assumed-role/\(name)/"
        } else {
            sessionPrefix = nil
        }
    }

    public func contains(_ caller: String) -> Bool {
        caller == principal || (sessionPrefix.map { caller.hasPrefix($0) } ?? false)
    }
}

/// IAM Access Analyzer's policy generation, from Gatehouse's own decision log
/// instead of CloudTrail: the least-privilege identity policy that would
/// have allowed every call a principal made.
///
/// As AWS's generated policies (GetGeneratedPolicy, docs/research/access-analyzer.md §5.2):
/// `Version`, then statements `SupportedServiceSid0…` of `Effect`, `Action`
/// (sorted, lower-case service prefix), `Resource`. Unlike AWS (which has
/// only the service's name for most calls) the log knows each call's
/// resource, so resources are narrowed to the ARNs used: one statement per
/// set of resources shared by its actions, a wildcard pattern when more than
/// `maximumResources` would be listed, `*` for calls on no resource. Asked
/// for `.any` resources, it writes AWS's default form: every action in one
/// statement on `*`.
public struct PolicyGenerator: Sendable {
    public struct Result: Sendable {
        /// The policy's JSON text, compact, as GetGeneratedPolicy's `policy`.
        public let policy: String
        public let document: PolicyDocument
        /// Calls that were refused and that this policy, attached alone, allows.
        public let coveredDenials: [ObservedCall]
        /// Calls refused by an explicit deny elsewhere: an Allow cannot change those.
        public let explicitlyDenied: [ObservedCall]
        /// The statements, in order, as `policy` writes them.
        public let statements: [Statement]

        /// The policy as documents of at most `maximumLength` characters, as
        /// AWS splits a generated policy over the 6,144-character limit of a
        /// managed policy (IAM User Guide, "IAM Access Analyzer policy
        /// generation"): whole statements, numbered from 0 in each document.
        /// A statement longer than the limit on its own is a document alone.
        public func policies(maximumLength: Int = 6_144) -> [String] {
            if policy.count <= maximumLength { return [policy] }
            var documents: [[Statement]] = [[]]
            for statement in statements {
                let candidate = documents[documents.count - 1] + [statement]
                if documents[documents.count - 1].isEmpty || PolicyGenerator.render(candidate).count <= maximumLength {
                    documents[documents.count - 1] = candidate
                } else {
                    documents.append([statement])
                }
            }
            return documents.map(PolicyGenerator.render)
        }
    }

    public struct Statement: Sendable, Equatable {
        public var actions: [String]
        public var resources: [String]
    }

    /// Which resources the statements name.
    public enum Resources: Sendable, Equatable {
        /// The ARNs the calls used; more than `maximum` for one statement become one pattern.
        case used(maximum: Int)
        /// `*` for every action (AWS's generated policy without resource placeholders).
        case any
    }

    public var resources: Resources

    public init(resources: Resources) {
        self.resources = resources
    }

    public init(maximumResources: Int = 10) {
        self.init(resources: .used(maximum: maximumResources))
    }

    /// A generated policy IAM would refuse: a logged resource that no policy
    /// may name (IAM's MalformedPolicyDocument message says which).
    public struct UnacceptablePolicy: Error, CustomStringConvertible {
        public let policy: String
        public let message: String
        public var description: String { "the generated policy is not one IAM accepts: \(message)" }
    }

    /// nil when there is no call to allow.
    public func generate(from calls: some Sequence<ObservedCall>) throws(UnacceptablePolicy) -> Result? {
        var resourcesByAction: [String: Set<String>] = [:]
        var distinct: Set<ObservedCall> = []
        for call in calls where distinct.insert(call).inserted && call.outcome != .explicitDeny {
            resourcesByAction[Self.normalized(call.action), default: []].insert(call.resource.isEmpty ? "*" : call.resource)
        }
        guard !resourcesByAction.isEmpty else { return nil }

        // Actions that share their resources share a statement.
        var actionsByResources: [[String]: [String]] = [:]
        for (action, resources) in resourcesByAction {
            actionsByResources[narrow(resources), default: []].append(action)
        }
        let statements = actionsByResources
            .map { Statement(actions: $0.value.sorted(), resources: $0.key) }
            // An action is in one statement only, so its first action orders it.
            .sorted { ($0.actions.first ?? "") < ($1.actions.first ?? "") }

        let policy = Self.render(statements)
        let document: PolicyDocument
        do {
            document = try PolicyDocument.parse(policy, kind: .identity, requiresCurrentVersion: true)
        } catch {
            throw UnacceptablePolicy(policy: policy, message: error.message)
        }

        // Replayed: what the policy allows, attached alone, among the refused calls.
        let policies = PolicySet(identity: IdentityPolicies(identityPolicies: [
            AttachedPolicy(id: "generated", source: .userManaged, document: document)
        ]))
        let principal = EvaluationPrincipal.user(arn: "arn:aws:iam::000000000000:user/generated")
        var covered: [ObservedCall] = [], explicit: [ObservedCall] = []
        for call in distinct.filter({ $0.outcome != .allowed }).sorted(by: { ($0.action, $0.resource) < ($1.action, $1.resource) }) {
            if call.outcome == .explicitDeny {
                explicit.append(call)
                continue
            }
            let request = AuthorizationRequest(principal: principal, action: call.action, resource: call.resource, context: [:])
            if PolicyEvaluator.evaluate(request, policies: policies).isAllowed { covered.append(call) }
        }
        return Result(policy: policy, document: document, coveredDenials: covered, explicitlyDenied: explicit, statements: statements)
    }

    /// The compact JSON of a policy of these statements, `SupportedServiceSid0…`.
    static func render(_ statements: [Statement]) -> String {
        var w = JSONWriter()
        w.objectStart()
        w.key("Version"); w.value("2012-10-17")
        w.key("Statement")
        w.arrayStart()
        for (index, statement) in statements.enumerated() {
            w.objectStart()
            w.key("Sid"); w.value("SupportedServiceSid\(index)")
            w.key("Effect"); w.value("Allow")
            w.key("Action")
            writeList(statement.actions, to: &w)
            w.key("Resource")
            writeList(statement.resources, to: &w)
            w.objectEnd()
        }
        w.arrayEnd()
        w.objectEnd()
        return w.string
    }

    /// `ecr:BatchGetImage` with its service prefix lower-cased, as AWS writes actions.
    static func normalized(_ action: String) -> String {
        guard let colon = action.firstIndex(of: ":") else { return action }
        return action[..<colon].lowercased() + action[colon...]
    }

    /// The resources a statement names for `used`: `*` when any call was on no
    /// resource, the ARNs themselves when few, else the pattern that covers them.
    func narrow(_ used: Set<String>) -> [String] {
        guard case .used(let maximumResources) = resources, !used.contains("*") else { return ["*"] }
        if used.count <= maximumResources { return used.sorted() }
        return [Self.pattern(covering: used.sorted())]
    }

    /// The longest common prefix of the ARNs followed by `*`.
    static func pattern(covering arns: [String]) -> String {
        guard var prefix = arns.first.map(Array.init) else { return "*" }
        for arn in arns.dropFirst() {
            let characters = Array(arn)
            var length = 0
            while length < min(prefix.count, characters.count), prefix[length] == characters[length] { length += 1 }
            prefix = Array(prefix[..<length])
        }
        // A pattern cannot contain what would itself read as a wildcard.
        if let wildcard = prefix.firstIndex(where: { $0 == "*" || $0 == "?" }) { prefix = Array(prefix[..<wildcard]) }
        return String(prefix) + "*"
    }

    private static func writeList(_ values: [String], to w: inout JSONWriter) {
        if values.count == 1 {
            w.value(values[0])
            return
        }
        w.arrayStart()
        for value in values { w.value(value) }
        w.arrayEnd()
    }
}
