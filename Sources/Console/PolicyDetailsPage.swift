import AWSShapes
import JSON
import ServiceCatalog

/// A managed policy's page: its details, "Permissions defined in this
/// policy" (a summary by service and access level, or the JSON), the
/// entities it is attached to, and its versions.
extension ConsoleApp {
    public func policyDetails(_ request: Request) async -> ConsoleReply {
        let arn = request.query["arn"] ?? ""
        let crumbs: [(label: String, path: String?)] = [("IAM", "/console/iam"), ("Policies", "/console/iam/policies")]
        let policy: IAMShapes.Policy
        switch await call(IAMOperation.GetPolicy.self, ["PolicyArn": arn], request) {
        case .failure(let error):
            return page(request, title: "Policy | IAM", current: "/console/iam/policies", breadcrumbs: crumbs + [("Policy", nil)],
                        alerts: [.failure(error)], status: error.status, body: "<h1>Policy</h1>")
        case .success(let output):
            guard let found = output.policy else { return .redirect("/console/iam/policies") }
            policy = found
        }
        let name = policy.policyName ?? arn
        let tab = request.query["tab"] ?? "permissions"
        let content: HTML
        switch tab {
        case "entities": content = await policyEntities(arn, request)
        case "versions": content = await policyVersions(arn, request)
        default:
            let document: String? = switch await call(
                IAMOperation.GetPolicyVersion.self, ["PolicyArn": arn, "VersionId": policy.defaultVersionId ?? "v1"], request)
            {
            case .success(let output): output.policyVersion?.document
            case .failure: nil
            }
            content = permissionsDefined(document, json: request.query["view"] == "json", arn: arn)
        }
        let tabs: [HTML] = [("permissions", "Permissions"), ("entities", "Entities attached"), ("versions", "Policy versions")].map { id, label in
            "<a role=\"tab\" href=\"\(Self.policyPath(arn))&amp;tab=\(id)\" aria-selected=\"\(tab == id ? "true" : "false")\">\(label)</a>"
        }
        return page(
            request, title: "\(name) | IAM", current: "/console/iam/policies", breadcrumbs: crumbs + [(name, nil)],
            body: """
                <div class="page-header"><h1>\(name)</h1></div>
                <section class="panel"><header><h2>Policy details</h2></header><div class="content">
                <dl class="key-values">
                <div><dt>Type</dt><dd>\(PolicyType(policy).rawValue)</dd></div>
                <div><dt>Creation time</dt><dd>\(policy.createDate?.description ?? "-")</dd></div>
                <div><dt>Edited time</dt><dd>\(policy.updateDate?.description ?? "-")</dd></div>
                <div><dt>ARN</dt><dd>\(arn)</dd></div>
                <div><dt>Description</dt><dd>\(policy.description.flatMap(\.nonEmpty) ?? "-")</dd></div>
                </dl></div></section>
                <div class="tabs" role="tablist" aria-label="Policy details">\(tabs)</div>
                <div role="tabpanel">\(content)</div>
                """)
    }

    private func permissionsDefined(_ document: String?, json: Bool, arn: String) -> HTML {
        let toggle: HTML = json
            ? "<a class=\"button\" href=\"\(Self.policyPath(arn))\">Summary</a>"
            : "<a class=\"button\" href=\"\(Self.policyPath(arn))&amp;view=json\">JSON</a>"
        let body: HTML
        if json || document == nil {
            body = "<pre class=\"document\" aria-label=\"Policy document\">\(Self.pretty(document ?? ""))</pre>"
        } else {
            let rows: [HTML] = PolicySummary(document: document ?? "", catalog: catalog).rows.map { row in
                "<tr><td>\(row.effect)</td><td>\(row.service)</td><td>\(row.accessLevel)</td><td>\(row.resource)</td><td>\(row.condition)</td></tr>"
            }
            body = """
                <table class="list"><thead><tr><th scope="col">Effect</th><th scope="col">Service</th><th scope="col">Access level</th>\
                <th scope="col">Resource</th><th scope="col">Request condition</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"5\">No permissions</td></tr>" : rows.joined())</tbody></table>
                """
        }
        return """
            <section class="panel"><header><h2>Permissions defined in this policy</h2><div class="actions">\(toggle)</div></header>
            <div class="content">\(body)</div></section>
            """
    }

    private func policyEntities(_ arn: String, _ request: Request) async -> HTML {
        switch await call(IAMOperation.ListEntitiesForPolicy.self, ["PolicyArn": arn], request) {
        case .failure(let error):
            return Layout.Alert.failure(error).html
        case .success(let output):
            let rows: [HTML] = (output.policyRoles ?? []).map { "<tr><td><a href=\"\(Self.rolePath($0.roleName ?? ""))\">\($0.roleName)</a></td><td>Role</td></tr>" }
                + (output.policyUsers ?? []).map { "<tr><td>\($0.userName)</td><td>User</td></tr>" }
                + (output.policyGroups ?? []).map { "<tr><td>\($0.groupName)</td><td>Group</td></tr>" }
            return """
                <section class="panel"><header><h2>Entities attached (\(rows.count))</h2></header><div class="content">
                <table class="list"><thead><tr><th scope="col">Entity name</th><th scope="col">Entity type</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"2\">No entities attached</td></tr>" : rows.joined())</tbody></table>
                </div></section>
                """
        }
    }

    private func policyVersions(_ arn: String, _ request: Request) async -> HTML {
        switch await call(IAMOperation.ListPolicyVersions.self, ["PolicyArn": arn], request) {
        case .failure(let error):
            return Layout.Alert.failure(error).html
        case .success(let output):
            let rows: [HTML] = (output.versions ?? []).map { version in
                "<tr><td>\(version.versionId ?? "")\(version.isDefaultVersion == true ? " (Default)" : "")</td><td>\(version.createDate?.description ?? "-")</td></tr>"
            }
            return """
                <section class="panel"><header><h2>Policy versions (\(rows.count))</h2></header><div class="content">
                <table class="list"><thead><tr><th scope="col">Version</th><th scope="col">Creation time</th></tr></thead>
                <tbody>\(rows)</tbody></table></div></section>
                """
        }
    }
}

/// "Permissions defined in this policy": what a document grants or denies,
/// by service and access level, in the words of AWS's policy summary
/// ("Full access", "Full: List Limited: Read", "All resources").
struct PolicySummary {
    struct Row: Equatable {
        var effect: String
        var service: String
        var accessLevel: String
        var resource: String
        var condition: String
    }

    let rows: [Row]

    init(document: String, catalog: ServiceCatalog?) {
        guard let root = try? JSONParser.parse(document) else {
            rows = []
            return
        }
        let statements = root["Statement"]?.arrayValue ?? (root["Statement"].map { [$0] } ?? [])
        struct Group {
            var effect: String
            var service: String
            var total: [ServiceCatalog.AccessLevel: Int] = [:]
            var granted: [ServiceCatalog.AccessLevel: Set<String>] = [:]
            var everything = false
            var resources: [String] = []
            var conditions: [String] = []
        }
        var groups: [Group] = []
        func strings(_ value: JSONValue?) -> [String] {
            value?.arrayValue?.compactMap(\.stringValue) ?? value?.stringValue.map { [$0] } ?? []
        }
        for statement in statements {
            let effect = statement["Effect"]?.stringValue ?? "Allow"
            let resources = strings(statement["Resource"]) + strings(statement["NotResource"]).map { "Not " + $0 }
            let conditions = statement["Condition"]?.objectValue?.members.flatMap { $0.value.objectValue?.keys ?? [] } ?? []
            let actions = strings(statement["Action"])
            let negated = statement["NotAction"] != nil
            for action in negated ? strings(statement["NotAction"]) : actions {
                var key = action == "*" ? "All services" : String(action.split(separator: ":").first ?? "")
                var matched: [ServiceCatalog.Action] = []
                var service: ServiceCatalog.Service?
                if action != "*", let found = catalog?.actions(matching: action) {
                    key = ConsoleApp.consoleName(found.service.name)
                    matched = found.actions
                    service = found.service
                }
                if negated { key = "All services except " + key }
                var group = groups.first { $0.effect == effect && $0.service == key } ?? Group(effect: effect, service: key)
                if action == "*" || negated || service == nil {
                    group.everything = action == "*" || negated
                } else if let service {
                    for level in ServiceCatalog.AccessLevel.allCases {
                        group.total[level] = service.actions.filter { $0.accessLevel == level }.count
                    }
                    for a in matched { group.granted[a.accessLevel, default: []].insert(a.name) }
                }
                for r in resources where !group.resources.contains(r) { group.resources.append(r) }
                for c in conditions where !group.conditions.contains(c) { group.conditions.append(c) }
                if let i = groups.firstIndex(where: { $0.effect == effect && $0.service == key }) { groups[i] = group } else { groups.append(group) }
            }
        }
        rows = groups.map { group in
            let levels = ServiceCatalog.AccessLevel.allCases.filter { (group.total[$0] ?? 0) > 0 }
            let full = levels.filter { (group.granted[$0]?.count ?? 0) == group.total[$0] }
            let limited = levels.filter { let n = group.granted[$0]?.count ?? 0; return n > 0 && n < (group.total[$0] ?? 0) }
            let access: String
            if group.everything || (!levels.isEmpty && full.count == levels.count) {
                access = "Full access"
            } else if full.isEmpty && limited.isEmpty {
                access = group.total.isEmpty ? "Unknown service" : "None"
            } else {
                access = [full.isEmpty ? nil : "Full: " + full.map(\.rawValue).joined(separator: ", "),
                          limited.isEmpty ? nil : "Limited: " + limited.map(\.rawValue).joined(separator: ", ")]
                    .compactMap { $0 }.joined(separator: " ")
            }
            let resource = group.resources.contains("*") ? "All resources" : group.resources.joined(separator: ", ")
            return Row(
                effect: group.effect, service: group.service, accessLevel: access, resource: resource,
                condition: group.conditions.isEmpty ? "None" : group.conditions.joined(separator: ", "))
        }
    }
}
