import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import ServiceCatalog
import Platform
import AWSWire

/// "Policy simulator", as AWS's policysim offers it: pick a user, group or
/// role (or paste policies), a service and its actions, resource ARNs and
/// context values; "Run Simulation" is IAM's SimulatePrincipalPolicy (or
/// SimulateCustomPolicy) as the signed-in principal — the same evaluator that
/// enforces every request — and each result names the statement that decided,
/// shown highlighted in its policy.
extension ConsoleApp {
    static let policySimulatorRoutes: [ConsoleRoute] = [
        .get("iam/policy-simulator") { app, request in await app.policySimulator(request, values: request.query) },
        .post("iam/policy-simulator") { app, request in
            guard request.carriesToken else { return app.forbidden(request) }
            return await app.policySimulator(request, values: request.fields, run: request.field("run") != nil)
        },
    ]

    /// The three kinds of entity the simulator's "Users, Groups, and Roles" lists, and custom policies.
    static let simulatedKinds: [(value: String, label: String)] = [
        ("users", "Users"), ("groups", "Groups"), ("roles", "Roles"), ("custom", "Custom policies"),
    ]

    func policySimulator(_ request: Request, values: [String: String], run: Bool = false) async -> ConsoleReply {
        let kind = Self.simulatedKinds.first { $0.value == values["kind"] }?.value ?? "users"
        let entity = values["entity"] ?? ""
        let service = values["service"] ?? ""
        let chosenActions = Set(request.form.filter { $0.0 == "action" }.map(\.1))
        var alerts: [Layout.Alert] = []

        // The entities to pick from.
        var entities: [(name: String, arn: String)] = []
        switch kind {
        case "users":
            switch await all(IAMOperation.ListUsers.self, [:], request, items: { $0.users }, marker: { $0.marker }) {
            case .success(let users): entities = users.map { ($0.userName ?? "", $0.arn) }
            case .failure(let error): alerts.append(.failure(error))
            }
        case "groups":
            switch await all(IAMOperation.ListGroups.self, [:], request, items: { $0.groups }, marker: { $0.marker }) {
            case .success(let groups): entities = groups.map { ($0.groupName, $0.arn) }
            case .failure(let error): alerts.append(.failure(error))
            }
        case "roles":
            switch await all(IAMOperation.ListRoles.self, [:], request, items: { $0.roles }, marker: { $0.marker }) {
            case .success(let roles): entities = roles.map { ($0.roleName, $0.arn) }
            case .failure(let error): alerts.append(.failure(error))
            }
        default: break
        }

        let catalogService = service.isEmpty ? nil : catalog?.service(service)
        var results: HTML = .empty
        if run {
            results = await simulate(
                request, kind: kind, entityArn: entities.first { $0.name == entity }?.arn, values: values, service: service,
                actions: chosenActions.sorted(), alerts: &alerts)
        }

        let csrf = request.session.csrfToken
        let kindOptions: [HTML] = Self.simulatedKinds.map { option in
            "<option value=\"\(option.value)\"\(option.value == kind ? HTML(trusted: " selected") : .empty)>\(option.label)</option>"
        }
        let entityChoices: [HTML] = entities.map { item in
            let checked: HTML = item.name == entity ? " checked" : .empty
            return "<li><label><input type=\"radio\" name=\"entity\" value=\"\(item.name)\"\(checked)> \(item.name)</label></li>"
        }
        let services: [HTML] = (catalog?.services ?? []).map { (prefix: $0.prefix, name: Self.consoleName($0.name)) }
            .sorted { $0.name.lowercased() < $1.name.lowercased() }
            .map { item in
                "<option value=\"\(item.prefix)\"\(item.prefix == service ? HTML(trusted: " selected") : .empty)>\(item.name)</option>"
            }
        let actionChoices: [HTML] = (catalogService?.actions ?? []).map { action in
            let checked: HTML = chosenActions.contains(action.name) ? " checked" : .empty
            return "<li><label><input type=\"checkbox\" name=\"action\" value=\"\(action.name)\"\(checked)> \(action.name)</label></li>"
        }
        let contextRows: [HTML] = (1...3).map { index in
            """
            <div class="context-row">
            <div class="field"><label for="context-key-\(index)">Context key \(index)</label><input id="context-key-\(index)" name="contextKey\(index)" type="text" placeholder="aws:SourceIp" value="\(values["contextKey\(index)"] ?? "")"></div>
            <div class="field"><label for="context-value-\(index)">Value \(index)</label><input id="context-value-\(index)" name="contextValue\(index)" type="text" value="\(values["contextValue\(index)"] ?? "")"></div>
            </div>
            """
        }
        let picker: HTML = kind == "custom"
            ? """
            <div class="field"><label for="custom-policy">Policy document</label>
            <textarea id="custom-policy" name="customPolicy" class="code short" spellcheck="false">\(values["customPolicy"] ?? "")</textarea></div>
            """
            : (entities.isEmpty ? "<p>None.</p>" : "<ul class=\"plain entity-list\" role=\"radiogroup\" aria-label=\"\(kind.capitalized)\">\(entityChoices)</ul>")
        return page(
            request, title: "Policy simulator", current: "/console/iam/policy-simulator",
            breadcrumbs: [("IAM", "/console/iam"), ("Policy simulator", nil)], alerts: alerts,
            body: """
                <h1>Policy simulator</h1>
                <form method="post" action="/console/iam/policy-simulator#results" class="simulator">
                <input type="hidden" name="csrf" value="\(csrf)">
                <div class="simulator-columns">
                <section class="panel"><header><h2>Users, Groups, and Roles</h2></header><div class="content">
                <div class="field"><label for="kind">Mode</label>
                <select id="kind" name="kind" data-autosubmit>\(kindOptions)</select></div>
                \(picker)
                </div></section>
                <section class="panel"><header><h2>Policy Simulator</h2></header><div class="content">
                <div class="field"><label for="service">Select service</label>
                <select id="service" name="service" data-autosubmit><option value="">Select service</option>\(services)</select></div>
                <fieldset class="field"><legend>Select actions</legend>
                \(actionChoices.isEmpty ? HTML("<p class=\"hint\">Choose a service to list its actions.</p>") : "<ul class=\"plain action-list\">\(actionChoices)</ul>")
                </fieldset>
                <div class="field"><label for="resources">Resource ARNs</label>
                <textarea id="resources" name="resources" class="short-text" placeholder="*">\(values["resources"] ?? "")</textarea>
                <span class="hint">One ARN per line; empty simulates *.</span></div>
                <fieldset class="field"><legend>Global Settings</legend>\(contextRows)</fieldset>
                <div class="actions"><button type="submit" name="run" value="1" class="primary">Run Simulation</button></div>
                </div></section>
                </div>
                </form>
                \(results)
                """)
    }

    /// Runs the simulation and renders its results.
    private func simulate(
        _ request: Request, kind: String, entityArn: String?, values: [String: String], service: String, actions: [String],
        alerts: inout [Layout.Alert]
    ) async -> HTML {
        guard !actions.isEmpty else {
            alerts.append(.error("Select at least one action."))
            return .empty
        }
        var parameters: [String: String] = [:]
        for (index, action) in actions.enumerated() { parameters["ActionNames.member.\(index + 1)"] = "\(service):\(action)" }
        let resources = (values["resources"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
        for (index, arn) in resources.enumerated() { parameters["ResourceArns.member.\(index + 1)"] = arn }
        var entry = 0
        for index in 1...3 {
            guard let key = values["contextKey\(index)"]?.trimmingWhitespace(), !key.isEmpty else { continue }
            entry += 1
            parameters["ContextEntries.member.\(entry).ContextKeyName"] = key
            parameters["ContextEntries.member.\(entry).ContextKeyType"] = Self.contextType(key, catalog: catalog)
            parameters["ContextEntries.member.\(entry).ContextKeyValues.member.1"] = values["contextValue\(index)"] ?? ""
        }
        let outcome: Result<IAMShapes.SimulatePolicyResponse, AWSError>
        var documents: [String: String] = [:]
        if kind == "custom" {
            let text = values["customPolicy"] ?? ""
            parameters["PolicyInputList.member.1"] = text
            documents["PolicyInputList.1"] = text
            outcome = await call(IAMOperation.SimulateCustomPolicy.self, parameters, request)
        } else {
            guard let entityArn else {
                alerts.append(.error("Select a user, group or role."))
                return .empty
            }
            parameters["PolicySourceArn"] = entityArn
            outcome = await call(IAMOperation.SimulatePrincipalPolicy.self, parameters, request)
        }
        let evaluations: [IAMShapes.EvaluationResult]
        switch outcome {
        case .failure(let error):
            alerts.append(.failure(error))
            return Layout.Alert.failure(error).html
        case .success(let output):
            evaluations = output.evaluationResults ?? []
        }
        var rows: [HTML] = []
        var highlighted: [HTML] = []
        var shownPolicies: Set<String> = []
        for evaluation in evaluations {
            let perResource = evaluation.resourceSpecificResults ?? []
            let lines: [(resource: String, decision: String, statements: [IAMShapes.Statement], boundary: Bool?)] = perResource.isEmpty
                ? [(evaluation.evalResourceName ?? "*", evaluation.evalDecision, evaluation.matchedStatements ?? [],
                    evaluation.permissionsBoundaryDecisionDetail?.allowedByPermissionsBoundary)]
                : perResource.map {
                    ($0.evalResourceName, $0.evalResourceDecision, $0.matchedStatements ?? [],
                     $0.permissionsBoundaryDecisionDetail?.allowedByPermissionsBoundary)
                }
            for line in lines {
                let statements: [HTML] = line.statements.map { statement in
                    let id = statement.sourcePolicyId ?? "policy"
                    let anchor = "policy-" + Self.anchor(id)
                    let where_ = statement.startPosition.map { "line \($0.line ?? 0)" } ?? ""
                    return "<a href=\"#\(anchor)\">\(id)</a> \(where_)"
                }
                let allowed = line.decision == "allowed"
                let boundary: HTML = switch line.boundary {
                case true?: "allowed"
                case false?: "<span class=\"decision denied\">denied</span>"
                case nil: "—"
                }
                rows.append("""
                    <tr><td>\(service)</td><td>\(evaluation.evalActionName)</td><td class="arn">\(line.resource)</td>
                    <td><span class="decision \(allowed ? "allowed" : "denied")">\(allowed ? "allowed" : "denied")</span> <span class="hint">\(line.decision)</span></td>
                    <td>\(statements.isEmpty ? "—" : HTML.join(statements.map { "\($0)<br>" }))</td><td>\(boundary)</td></tr>
                    """)
                for statement in line.statements {
                    let id = statement.sourcePolicyId ?? "policy"
                    guard !shownPolicies.contains(id) else { continue }
                    shownPolicies.insert(id)
                    let text: String? = if let known = documents[id] { known } else {
                        await policyText(id: id, kind: kind, entityArn: entityArn, request)
                    }
                    let ranges = evaluations.flatMap { ev in
                        (ev.matchedStatements ?? []) + (ev.resourceSpecificResults ?? []).flatMap { $0.matchedStatements ?? [] }
                    }.filter { $0.sourcePolicyId == id }
                    highlighted.append(Self.highlightedPolicy(id: id, text: text, statements: ranges))
                }
            }
        }
        return """
            <section class="panel" id="results" aria-label="Results"><header><h2>Results</h2></header><div class="content">
            <table class="list"><thead><tr><th scope="col">Service</th><th scope="col">Action</th><th scope="col">Resource</th><th scope="col">Permission</th><th scope="col">Matched statements</th><th scope="col">Permissions boundary</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            </div></section>
            \(highlighted)
            """
    }

    /// A policy's text with the lines of the matched statements marked.
    static func highlightedPolicy(id: String, text: String?, statements: [IAMShapes.Statement]) -> HTML {
        guard let text else {
            return "<section class=\"panel\" id=\"policy-\(anchor(id))\"><header><h2>\(id)</h2></header><div class=\"content\"><p>The policy's text could not be read.</p></div></section>"
        }
        let marked = statements.compactMap { s -> ClosedRange<Int>? in
            guard let start = s.startPosition?.line, let end = s.endPosition?.line, start <= end else { return nil }
            return start...end
        }
        let lines: [HTML] = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            let number = index + 1
            let hit = marked.contains { $0.contains(number) }
            return "<span class=\"line\(hit ? " matched" : "")\"><span class=\"number\">\(number)</span>\(String(line))</span>\n"
        }
        return """
            <section class="panel" id="policy-\(anchor(id))"><header><h2>\(id)</h2></header><div class="content">
            <pre class="document numbered" aria-label="Policy \(id)">\(lines)</pre>
            </div></section>
            """
    }

    static func anchor(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    /// The text of a policy a simulation result names. IAM names an inline
    /// policy `user_USER_POLICY`, `group_GROUP_POLICY` or `role_ROLE_POLICY`
    /// (its type is "IAM Policy" whatever its kind), a managed policy by name.
    private func policyText(id: String, kind: String, entityArn: String?, _ request: Request) async -> String? {
        let entityName = entityArn.map { IAMShapes.nameFromArn($0) } ?? ""
        func inline(_ prefix: String) -> String? {
            id.hasPrefix(prefix) ? String(id.dropFirst(prefix.count)) : nil
        }
        if kind == "users", let name = inline("user_\(entityName)_"),
            case .success(let o) = await call(IAMOperation.GetUserPolicy.self, ["UserName": entityName, "PolicyName": name], request)
        {
            return Self.decoded(o.policyDocument)
        }
        if kind == "roles", let name = inline("role_\(entityName)_"),
            case .success(let o) = await call(IAMOperation.GetRolePolicy.self, ["RoleName": entityName, "PolicyName": name], request)
        {
            return Self.decoded(o.policyDocument)
        }
        if id.hasPrefix("group_") {
            var groups = [entityName]
            if kind == "users", case .success(let o) = await call(IAMOperation.ListGroupsForUser.self, ["UserName": entityName], request) {
                groups = o.groups.map(\.groupName)
            }
            for group in groups {
                if let name = inline("group_\(group)_"),
                    case .success(let o) = await call(IAMOperation.GetGroupPolicy.self, ["GroupName": group, "PolicyName": name], request)
                {
                    return Self.decoded(o.policyDocument)
                }
            }
        }
        // A managed policy, named by its name: the account's own first, then AWS's.
        let policies = (try? await managedPolicies(request).get()) ?? []
        let found = policies.filter { $0.policyName == id }.sorted { a, _ in !(a.arn ?? "").contains(":aws:policy/") }.first
        guard let arn = found?.arn, let version = found?.defaultVersionId else { return nil }
        if case .success(let o) = await call(IAMOperation.GetPolicyVersion.self, ["PolicyArn": arn, "VersionId": version], request) {
            return o.policyVersion?.document.map { Self.decoded($0) }
        }
        return nil
    }

    /// IAM returns documents URL-encoded.
    static func decoded(_ document: String) -> String { FormEncoding.percentDecode(document) }

    /// The type SimulatePolicy wants for a context key, from the catalog's global and service keys.
    static func contextType(_ key: String, catalog: ServiceCatalog?) -> String {
        let lower = key.lowercased()
        if lower == "aws:sourceip" { return "ip" }
        if lower == "aws:multifactorauthpresent" || lower == "aws:securetransport" { return "boolean" }
        if lower == "aws:currenttime" || lower == "aws:tokenissuetime" { return "date" }
        if lower == "aws:multifactorauthage" || lower == "aws:epochtime" { return "numeric" }
        return "string"
    }
}

extension IAMShapes {
    /// The last part of an IAM ARN's resource (`…:user/path/NAME` → `NAME`).
    static func nameFromArn(_ arn: String) -> String {
        String(arn.split(separator: "/").last ?? Substring(arn))
    }
}
