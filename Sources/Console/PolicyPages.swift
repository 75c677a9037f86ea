import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import PolicyEngine
import PolicyValidation
import ServiceCatalog

/// IAM › Policies: the list, a policy's page, Create policy, and the data
/// the policy editor and the role wizard fetch.
extension ConsoleApp {
    /// The console's three kinds of managed policy ("Filter by Type").
    enum PolicyType: String, CaseIterable {
        case awsManaged = "AWS managed"
        case customerManaged = "Customer managed"
        case jobFunction = "AWS managed - job function"

        init(_ policy: IAMShapes.Policy) {
            if policy.arn?.hasPrefix("arn:aws:iam::aws:policy/") ?? false {
                self = policy.path == "/job-function/" ? .jobFunction : .awsManaged
            } else {
                self = .customerManaged
            }
        }
    }

    static let pageSize = 50

    /// Every managed policy the caller may list (ListPolicies), or AWS's refusal.
    func managedPolicies(_ request: Request, scope: String = "All") async -> Result<[IAMShapes.Policy], AWSError> {
        await all(IAMOperation.ListPolicies.self, ["Scope": scope], request, items: { $0.policies ?? [] }, marker: { $0.isTruncated == true ? $0.marker : nil })
    }

    /// IAM › Policies.
    public func policies(_ request: Request) async -> ConsoleReply {
        let search = request.query["search"] ?? ""
        let type = request.query["type"].flatMap(PolicyType.init(rawValue:))
        let scope = switch type {
        case .customerManaged: "Local"
        case .awsManaged, .jobFunction: "AWS"
        case nil: "All"
        }
        let listed = await managedPolicies(request, scope: scope)
        var alerts: [Layout.Alert] = []
        var matching: [IAMShapes.Policy] = []
        switch listed {
        case .failure(let error): alerts.append(.failure(error))
        case .success(let policies):
            let wanted = search.lowercased()
            matching = policies.filter { policy in
                (type == nil || PolicyType(policy) == type)
                    && (wanted.isEmpty || (policy.policyName ?? "").lowercased().contains(wanted)
                        || (policy.description ?? "").lowercased().contains(wanted))
            }
            // Customer managed first, as AWS's list shows an account's own policies on top;
            // each part stays in the order ListPolicies gives (by name, ignoring case).
            let own = matching.filter { PolicyType($0) == .customerManaged }
            matching = own + matching.filter { PolicyType($0) != .customerManaged }
        }
        let (shown, pager) = paginate(matching, request: request, path: "/console/iam/policies")
        let rows: [HTML] = shown.map { policy in
            var used: [String] = []
            if let n = policy.attachmentCount, n > 0 { used.append("Permissions policy (\(n))") }
            if let n = policy.permissionsBoundaryUsageCount, n > 0 { used.append("Permissions boundary (\(n))") }
            return """
                <tr><td><a href="\(Self.policyPath(policy.arn ?? ""))">\(policy.policyName)</a></td>\
                <td>\(PolicyType(policy).rawValue)</td><td>\(used.isEmpty ? "None" : used.joined(separator: ", "))</td>\
                <td>\(policy.description ?? "")</td></tr>
                """
        }
        let options: [HTML] = [("", "All types")] .map { "<option value=\"\($0.0)\"\(type == nil ? HTML(trusted: " selected") : .empty)>\($0.1)</option>" }
            + PolicyType.allCases.map { t in
                "<option value=\"\(t.rawValue)\"\(type == t ? HTML(trusted: " selected") : .empty)>\(t.rawValue)</option>"
            }
        return page(
            request, title: "Policies | IAM", current: "/console/iam/policies", breadcrumbs: [("IAM", "/console/iam"), ("Policies", nil)],
            alerts: alerts,
            body: """
                <div class="page-header"><div><h1>Policies (\(matching.count))</h1>
                <p class="description">A policy is an object in AWS that defines permissions.</p></div>
                <div class="actions"><a class="button primary" href="/console/iam/policies/create">Create policy</a></div></div>
                <section class="panel"><div class="content">
                <form class="filters" method="get" action="/console/iam/policies" role="search">
                <input type="search" name="search" value="\(search)" aria-label="Search" placeholder="Filter policies by property or policy name and press enter">
                <div class="field"><label for="policy-type">Filter by Type</label>
                <select id="policy-type" name="type" data-autosubmit>\(options)</select></div>
                <button type="submit">Search</button>
                </form>
                <table class="list"><thead><tr><th scope="col">Policy name</th><th scope="col">Type</th><th scope="col">Used as</th><th scope="col">Description</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"4\">No policies to display</td></tr>" : rows.joined())</tbody></table>
                \(pager)
                </div></section>
                """)
    }

    /// A policy's page in the console.
    static func policyPath(_ arn: String) -> String {
        "/console/iam/policies/details?arn=" + XMLWriter.percentEncode(arn)
    }

    /// The managed policies as the role wizard lists them, or AWS's refusal.
    public func policiesJSON(_ request: Request) async -> ConsoleReply {
        var w = JSONWriter()
        w.objectStart()
        switch await managedPolicies(request) {
        case .failure(let error):
            w.key("error"); w.value(error.said)
        case .success(let policies):
            w.key("policies")
            w.arrayStart()
            for policy in policies {
                w.objectStart()
                w.key("name"); w.value(policy.policyName ?? "")
                w.key("arn"); w.value(policy.arn ?? "")
                w.key("type"); w.value(PolicyType(policy).rawValue)
                w.key("description"); w.value(policy.description ?? "")
                w.objectEnd()
            }
            w.arrayEnd()
        }
        w.objectEnd()
        return .json(w.string)
    }

    // MARK: - Create policy

    /// Where the policy editor sends what it made: a managed policy (IAM ›
    /// Policies › Create policy) or a role's inline policy.
    struct EditorTarget {
        var action: String
        var cancel: String
        var validate: String
        var breadcrumbs: [(label: String, path: String?)]
        var current: String

        static let managedPolicy = EditorTarget(
            action: "/console/iam/policies/create", cancel: "/console/iam/policies", validate: "/console/iam/policy-validation",
            breadcrumbs: [("IAM", "/console/iam"), ("Policies", "/console/iam/policies"), ("Create policy", nil)],
            current: "/console/iam/policies")

        static func inline(role: String) -> EditorTarget {
            EditorTarget(
                action: ConsoleApp.rolePath(role) + "/inline", cancel: ConsoleApp.rolePath(role),
                validate: "/console/iam/policy-validation?kind=inline",
                breadcrumbs: [("IAM", "/console/iam"), ("Roles", "/console/iam/roles"), (role, ConsoleApp.rolePath(role)),
                              ("Create inline policy", nil)],
                current: "/console/iam/roles")
        }
    }

    /// IAM › Policies › Create policy: the policy editor (policy-editor.js).
    public func createPolicyPage(
        _ request: Request, document: String? = nil, name: String = "", description: String = "", tags: [(String, String)] = [],
        error: AWSError? = nil
    ) -> ConsoleReply {
        policyEditor(request, .managedPolicy, document: document, name: name, description: description, tags: tags, error: error)
    }

    func policyEditor(
        _ request: Request, _ target: EditorTarget, document: String? = nil, name: String = "", description: String = "",
        tags: [(String, String)] = [], error: AWSError? = nil
    ) -> ConsoleReply {
        var w = JSONWriter()
        w.objectStart()
        w.key("document"); if let document { w.value(document) } else { w.null() }
        w.key("policyName"); w.value(name)
        w.key("description"); w.value(description)
        w.key("tags")
        w.arrayStart()
        for (key, value) in tags {
            w.objectStart(); w.key("key"); w.value(key); w.key("value"); w.value(value); w.objectEnd()
        }
        w.arrayEnd()
        w.key("step"); w.value(error == nil ? "permissions" : "review")
        w.objectEnd()
        return page(
            request, title: "Create policy | IAM", current: target.current, breadcrumbs: target.breadcrumbs,
            alerts: error.map { [.failure($0)] } ?? [], scripts: [.policyEditor], status: error?.status ?? 200,
            body: Self.scriptForm(
                id: "policy-editor", action: target.action, request,
                data: [("account-id", request.session.accountId), ("catalog", "/console/catalog"), ("validate", target.validate),
                       ("cancel", target.cancel), ("submit-label", "Create policy")],
                json: ("policy-editor-initial", w.string), what: "The policy editor"))
    }

    /// "Create policy": CreatePolicy as the signed-in principal, with the fields the editor posts.
    public func createPolicy(_ request: Request) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let name = request.field("PolicyName") ?? ""
        let description = request.field("Description") ?? ""
        let document = request.field("PolicyDocument") ?? ""
        let tags = Self.tags(in: request)
        var parameters = ["PolicyName": name, "PolicyDocument": document]
        if !description.isEmpty { parameters["Description"] = description }
        parameters.merge(Self.tagParameters(tags)) { $1 }
        switch await call(IAMOperation.CreatePolicy.self, parameters, request) {
        case .failure(let error):
            return createPolicyPage(request, document: document, name: name, description: description, tags: tags, error: error)
        case .success:
            flash(.success("Policy \(name) created."), for: request.session)
            return .redirect("/console/iam/policies")
        }
    }

    /// Tags as IAM's query parameters (`Tags.member.N.Key` / `.Value`).
    static func tagParameters(_ tags: [(String, String)]) -> [String: String] {
        var parameters: [String: String] = [:]
        for (i, tag) in tags.enumerated() {
            parameters["Tags.member.\(i + 1).Key"] = tag.0
            parameters["Tags.member.\(i + 1).Value"] = tag.1
        }
        return parameters
    }

    /// The tags a form lists as `Tags.member.N.Key` / `.Value`, in order, without empty keys.
    static func tags(in request: Request) -> [(String, String)] {
        var found: [(Int, String, String)] = []
        for (name, value) in request.form where name.hasPrefix("Tags.member.") && name.hasSuffix(".Key") {
            let index = name.dropFirst("Tags.member.".count).dropLast(".Key".count)
            guard let n = Int(index), !value.isEmpty else { continue }
            found.append((n, value, request.field("Tags.member.\(n).Value") ?? ""))
        }
        return found.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
    }

    /// The JSON editor's checks: IAM's verdict (`errors`: what CreatePolicy or
    /// CreateRole would refuse, which blocks "Next") and IAM Access Analyzer's
    /// findings (`findings`: the editor's Security / Errors / Warnings /
    /// Suggestions tabs, as AWS's console shows them), each where it is.
    public func validatePolicy(_ request: Request) -> ConsoleReply {
        // A managed policy must say Version 2012-10-17; an inline one may omit it; a trust policy has its own grammar.
        let kind: PolicyKind = request.query["kind"] == "trust" ? .trust : .identity
        let requiresCurrentVersion = request.query["kind"] == nil
        guard request.carriesToken else { return .json(#"{"errors":[{"line":1,"column":1,"message":"Reload the page: the form's security token is missing."}],"findings":[]}"#, status: 403) }
        let text = request.field("PolicyDocument") ?? ""
        var errors: [PolicyCheck.Finding] = []
        do {
            _ = try PolicyCheck(text: text, kind: kind, requiresCurrentVersion: requiresCurrentVersion)
        } catch {
            errors = [error]
        }
        let findings = PolicyValidator(catalog: catalog).validate(
            text, policyType: kind == .trust ? .resource : .identity, resourceType: kind == .trust ? .roleTrustPolicy : nil)
        var w = JSONWriter()
        w.objectStart()
        w.key("errors")
        w.arrayStart()
        for error in errors {
            w.objectStart()
            w.key("line"); w.value(error.line)
            w.key("column"); w.value(error.column)
            w.key("message"); w.value(error.message)
            w.objectEnd()
        }
        w.arrayEnd()
        w.key("findings")
        w.arrayStart()
        for finding in findings {
            let start = finding.locations.first?.start
            w.objectStart()
            w.key("type"); w.value(finding.findingType.rawValue)
            w.key("code"); w.value(finding.issueCode)
            w.key("message"); w.value(finding.findingDetails)
            // The editor counts columns from 1, as AWS's console shows them ("Ln 4, Col 5").
            w.key("line"); w.value(start?.line ?? 1)
            w.key("column"); w.value((start?.column ?? 0) + 1)
            w.objectEnd()
        }
        w.arrayEnd()
        w.objectEnd()
        return .json(w.string)
    }

    // MARK: - The service catalog for the editor

    /// Every service: prefix and the name the console shows.
    public func catalogServices() -> ConsoleReply {
        var w = JSONWriter()
        w.arrayStart()
        for service in (catalog?.services ?? []).map({ (prefix: $0.prefix, name: Self.consoleName($0.name)) })
            .sorted(by: { $0.name.lowercased() < $1.name.lowercased() })
        {
            w.objectStart()
            w.key("prefix"); w.value(service.prefix)
            w.key("name"); w.value(service.name)
            w.objectEnd()
        }
        w.arrayEnd()
        return ConsoleReply.json(w.string).keptByBrowser()
    }

    /// One service's actions, resource types and condition keys, as the catalog stores them.
    public func catalogService(_ prefix: String) -> ConsoleReply? {
        guard let entry = catalog?.entry(prefix), let name = (try? JSONParser.parse(String(entry)))?["name"]?.stringValue else { return nil }
        var encoded = JSONWriter()
        encoded.value(name)
        var renamed = JSONWriter()
        renamed.value(Self.consoleName(name))
        guard let range = entry.firstRange(of: "\"name\":" + encoded.string) else { return nil }
        return ConsoleReply.json(String(entry[..<range.lowerBound]) + "\"name\":" + renamed.string + entry[range.upperBound...]).keptByBrowser()
    }

    /// AWS's console names services without "Amazon " or "AWS ": "Elastic Container Registry".
    static func consoleName(_ name: String) -> String {
        for prefix in ["Amazon ", "AWS "] where name.hasPrefix(prefix) { return String(name.dropFirst(prefix.count)) }
        return name
    }

    /// A form its page's script builds (the policy editor, the role wizard):
    /// the session's CSRF token, the script's settings as `data-` attributes,
    /// its data as JSON that no value can break out of.
    static func scriptForm(
        id: String, action: String, _ request: Request, data: [(String, String)], json: (id: String, text: String), what: String
    ) -> HTML {
        let attributes: [HTML] = data.map { " data-\($0.0)=\"\($0.1)\"" }
        return """
            <form id="\(id)" method="post" action="\(action)" data-csrf="\(request.session.csrfToken)"\(attributes)>
            <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
            <script type="application/json" id="\(json.id)">\(json: json.text)</script>
            <noscript><div class="alert error">\(what) needs JavaScript.</div></noscript>
            </form>
            """
    }

    // MARK: - Paging

    /// The page of `items` the query asks for, and the pager under the table.
    func paginate<T>(_ items: [T], request: Request, path: String) -> ([T], HTML) {
        let pages = max(1, (items.count + Self.pageSize - 1) / Self.pageSize)
        let current = min(max(1, Int(request.query["page"] ?? "") ?? 1), pages)
        let shown = Array(items.dropFirst((current - 1) * Self.pageSize).prefix(Self.pageSize))
        guard pages > 1 else { return (shown, .empty) }
        func link(_ page: Int, _ label: String) -> HTML {
            var query = request.query
            query["page"] = String(page)
            let href = path + "?" + query.sorted { $0.key < $1.key }.map { "\($0.key)=\(XMLWriter.percentEncode($0.value))" }.joined(separator: "&")
            return "<a class=\"button\" href=\"\(href)\">\(label)</a>"
        }
        return (shown, """
            <nav class="pagination" aria-label="Pages">\(current > 1 ? link(current - 1, "Previous page") : .empty)
            <span>Page \(current) of \(pages)</span>\(current < pages ? link(current + 1, "Next page") : .empty)</nav>
            """)
    }
}

extension ConsoleReply {
    func keptByBrowser() -> ConsoleReply {
        var reply = self
        reply.cacheable = true
        return reply
    }
}

extension ConsoleApp {
    static let policyRoutes: [ConsoleRoute] = [
        .get("iam/policies") { app, request in await app.policies(request) },
        .get("iam/policies.json") { app, request in await app.policiesJSON(request) },
        .get("iam/policies/create") { app, request in app.createPolicyPage(request) },
        .post("iam/policies/create") { app, request in await app.createPolicy(request) },
        .post("iam/policy-validation") { app, request in app.validatePolicy(request) },
        .get("iam/policies/details") { app, request in await app.policyDetails(request) },
        .get("catalog/services") { app, _ in app.catalogServices() },
        .get("catalog/services/:prefix") { app, request in
            app.catalogService(request.parameter("prefix")) ?? .json(#"{"error":"no such service"}"#, status: 404)
        },
    ]
}
