import AWSShapes
import AWSWire
import JSON
import ServiceKit

/// IAM › Roles: the list, the Create role wizard, and a role's page with its
/// Permissions, Trust relationships and Tags tabs.
extension ConsoleApp {
    static func rolePath(_ name: String, tab: String? = nil) -> String {
        "/console/iam/roles/details/" + XMLWriter.percentEncode(name) + (tab.map { "?tab=" + $0 } ?? "")
    }

    /// IAM › Roles.
    public func roles(_ request: Request) async -> ConsoleReply {
        let search = request.query["search"] ?? ""
        var alerts: [Layout.Alert] = []
        var matching: [IAMShapes.Role] = []
        switch await all(IAMOperation.ListRoles.self, [:], request, items: \.roles, marker: { $0.isTruncated == true ? $0.marker : nil }) {
        case .failure(let error): alerts.append(.failure(error))
        case .success(let roles):
            matching = roles.filter { search.isEmpty || $0.roleName.lowercased().contains(search.lowercased()) }
        }
        let (shown, pager) = paginate(matching, request: request, path: "/console/iam/roles")
        let rows: [HTML] = shown.map { role in
            """
            <tr><td><a href="\(Self.rolePath(role.roleName))">\(role.roleName)</a></td>\
            <td>\(Self.trustedEntities(role.assumeRolePolicyDocument).joined(separator: ", "))</td>\
            <td>\(Self.lastActivity(role.roleLastUsed))</td></tr>
            """
        }
        return page(
            request, title: "Roles | IAM", current: "/console/iam/roles", breadcrumbs: [("IAM", "/console/iam"), ("Roles", nil)],
            alerts: alerts,
            body: """
                <div class="page-header"><div><h1>Roles (\(matching.count))</h1>
                <p class="description">An IAM role is an identity you can create that has specific permissions with credentials that are valid for short durations. Roles can be assumed by entities that you trust.</p></div>
                <div class="actions"><a class="button primary" href="/console/iam/roles/create">Create role</a></div></div>
                <section class="panel"><div class="content">
                <form class="filters" method="get" action="/console/iam/roles" role="search">
                <input type="search" name="search" value="\(search)" aria-label="Search" placeholder="Search">
                <button type="submit">Search</button>
                </form>
                <table class="list"><thead><tr><th scope="col">Role name</th><th scope="col">Trusted entities</th><th scope="col">Last activity</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"3\">No roles to display</td></tr>" : rows.joined())</tbody></table>
                \(pager)
                </div></section>
                """)
    }

    /// How AWS's Roles list names who may assume a role: "AWS Service: ec2", "Account: 123456789012", "Identity Provider: …".
    static func trustedEntities(_ document: String?) -> [String] {
        guard let document, let root = try? JSONParser.parse(document) else { return [] }
        let statements = root["Statement"]?.arrayValue ?? (root["Statement"].map { [$0] } ?? [])
        var found: [String] = []
        func strings(_ value: JSONValue?) -> [String] {
            value?.arrayValue?.compactMap(\.stringValue) ?? value?.stringValue.map { [$0] } ?? []
        }
        for statement in statements {
            let principal = statement["Principal"]
            for service in strings(principal?["Service"]) {
                found.append("AWS Service: " + (service.hasSuffix(".amazonaws.com") ? String(service.dropLast(".amazonaws.com".count)) : service))
            }
            for aws in strings(principal?["AWS"]) {
                let parts = aws.split(separator: ":")
                found.append(parts.count >= 5 && parts[4].count == 12 ? "Account: \(parts[4])" : (aws == "*" ? "Anyone" : "Account: \(aws)"))
            }
            for federated in strings(principal?["Federated"]) {
                found.append("Identity Provider: " + (federated.split(separator: "/", maxSplits: 1).last.map(String.init) ?? federated))
            }
            if principal?.stringValue == "*" { found.append("Anyone") }
        }
        var seen: Set<String> = []
        return found.filter { seen.insert($0).inserted }
    }

    static func lastActivity(_ used: IAMShapes.RoleLastUsed?) -> String {
        guard let date = used?.lastUsedDate else { return "-" }
        return date.description + (used?.region.map { " (\($0))" } ?? "")
    }

    // MARK: - Create role

    /// IAM › Roles › Create role: the three-step wizard (role-wizard.js).
    public func createRolePage(_ request: Request, previous: [(String, String)]? = nil, error: AWSError? = nil) async -> ConsoleReply {
        var w = JSONWriter()
        w.objectStart()
        w.key("accountId"); w.value(request.session.accountId)
        w.key("oidcProviders")
        w.arrayStart()
        if case .success(let listed) = await call(IAMOperation.ListOpenIDConnectProviders.self, [:], request) {
            for entry in listed.openIDConnectProviderList ?? [] {
                guard let arn = entry.arn,
                    case .success(let provider) = await call(IAMOperation.GetOpenIDConnectProvider.self, ["OpenIDConnectProviderArn": arn], request)
                else { continue }
                w.objectStart()
                w.key("arn"); w.value(arn)
                w.key("url"); w.value(provider.url ?? "")
                w.key("audiences")
                w.arrayStart()
                for audience in provider.clientIDList ?? [] { w.value(audience) }
                w.arrayEnd()
                w.objectEnd()
            }
        }
        w.arrayEnd()
        w.key("samlProviders")
        w.arrayStart()
        if case .success(let listed) = await call(IAMOperation.ListSAMLProviders.self, [:], request) {
            for entry in listed.samlProviderList ?? [] {
                guard let arn = entry.arn else { continue }
                w.objectStart()
                w.key("arn"); w.value(arn)
                w.key("name"); w.value(arn.split(separator: "/", maxSplits: 1).last.map(String.init) ?? arn)
                w.objectEnd()
            }
        }
        w.arrayEnd()
        w.key("initial")
        if let previous {
            w.objectStart()
            var grouped: [(String, [String])] = []
            for (name, value) in previous where name != "csrf" {
                if let i = grouped.firstIndex(where: { $0.0 == name }) { grouped[i].1.append(value) } else { grouped.append((name, [value])) }
            }
            for (name, values) in grouped {
                w.key(name)
                if values.count == 1 { w.value(values[0]) } else { w.arrayStart(); for v in values { w.value(v) }; w.arrayEnd() }
            }
            w.key("step"); w.value("review")
            w.objectEnd()
        } else {
            w.null()
        }
        w.objectEnd()
        return page(
            request, title: "Create role | IAM", current: "/console/iam/roles",
            breadcrumbs: [("IAM", "/console/iam"), ("Roles", "/console/iam/roles"), ("Create role", nil)],
            alerts: error.map { [.failure($0)] } ?? [], scripts: [.roleWizard], status: error?.status ?? 200,
            body: Self.scriptForm(
                id: "role-wizard", action: "/console/iam/roles/create", request,
                data: [("policies", "/console/iam/policies.json"), ("cancel", "/console/iam/roles")],
                json: ("role-wizard-data", w.string), what: "The role wizard"))
    }

    /// "Create role": CreateRole, then each AttachRolePolicy, then for an EC2
    /// role the instance profile of the same name that AWS's console makes
    /// (CreateInstanceProfile, AddRoleToInstanceProfile) — each as the
    /// signed-in principal, as the console's own calls are.
    public func createRole(_ request: Request) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let name = request.field("RoleName") ?? ""
        var parameters = ["RoleName": name, "AssumeRolePolicyDocument": request.field("AssumeRolePolicyDocument") ?? ""]
        for field in ["Description", "PermissionsBoundary", "MaxSessionDuration"] {
            if let value = request.field(field), !value.isEmpty { parameters[field] = value }
        }
        parameters.merge(Self.tagParameters(Self.tags(in: request))) { $1 }
        if case .failure(let error) = await call(IAMOperation.CreateRole.self, parameters, request) {
            return await createRolePage(request, previous: request.form, error: error)
        }
        var problems: [String] = []
        let policies = request.form.filter { $0.0.hasPrefix("PolicyArns.member.") }.map(\.1).filter { !$0.isEmpty }
        for arn in policies {
            if case .failure(let error) = await call(IAMOperation.AttachRolePolicy.self, ["RoleName": name, "PolicyArn": arn], request) {
                problems.append(error.said)
            }
        }
        if request.field("TrustedEntityType") == "AWS service", request.field("Service") == "ec2.amazonaws.com" {
            switch await call(IAMOperation.CreateInstanceProfile.self, ["InstanceProfileName": name], request) {
            case .failure(let error):
                problems.append(error.said)
            case .success:
                if case .failure(let error) = await call(
                    IAMOperation.AddRoleToInstanceProfile.self, ["InstanceProfileName": name, "RoleName": name], request)
                {
                    problems.append(error.said)
                }
            }
        }
        flash(.success("Role \(name) created."), for: request.session)
        for problem in problems { flash(.error(problem), for: request.session) }
        return .redirect("/console/iam/roles")
    }

    // MARK: - A role's page

    /// IAM › Roles › NAME, on one of its tabs.
    public func role(_ request: Request, name: String) async -> ConsoleReply {
        let alerts: [Layout.Alert] = []
        let role: IAMShapes.Role
        switch await call(IAMOperation.GetRole.self, ["RoleName": name], request) {
        case .failure(let error):
            return page(
                request, title: "\(name) | IAM", current: "/console/iam/roles",
                breadcrumbs: [("IAM", "/console/iam"), ("Roles", "/console/iam/roles"), (name, nil)], alerts: alerts + [.failure(error)],
                status: error.status, body: "<h1>\(name)</h1>")
        case .success(let output):
            role = output.role
        }
        let tab = request.query["tab"] ?? "permissions"
        let profiles: [IAMShapes.InstanceProfile] = switch await call(IAMOperation.ListInstanceProfilesForRole.self, ["RoleName": name], request) {
        case .success(let output): output.instanceProfiles
        case .failure: []
        }
        let tabs: [(String, String)] = [("permissions", "Permissions"), ("trust", "Trust relationships"), ("tags", "Tags")]
        let tabLinks: [HTML] = tabs.map { id, label in
            "<a role=\"tab\" href=\"\(Self.rolePath(name, tab: id))\" aria-selected=\"\(tab == id ? "true" : "false")\">\(label)</a>"
        }
        let content: HTML = switch tab {
        case "trust": trustTab(role, request)
        case "tags": await tagsTab(role, request)
        default: await permissionsTab(role, request)
        }
        return page(
            request, title: "\(name) | IAM", current: "/console/iam/roles",
            breadcrumbs: [("IAM", "/console/iam"), ("Roles", "/console/iam/roles"), (name, nil)], alerts: alerts,
            body: """
                <div class="page-header"><h1>\(role.roleName)</h1></div>
                <section class="panel"><header><h2>Summary</h2></header><div class="content">
                <dl class="key-values">
                <div><dt>Creation date</dt><dd>\(role.createDate.description)</dd></div>
                <div><dt>ARN</dt><dd>\(role.arn)</dd></div>
                <div><dt>Last activity</dt><dd>\(Self.lastActivity(role.roleLastUsed))</dd></div>
                <div><dt>Maximum session duration</dt><dd>\(Self.duration(role.maxSessionDuration ?? 3600))</dd></div>
                <div><dt>Instance profile ARN</dt><dd>\(profiles.map(\.arn).joined(separator: ", ").nonEmpty ?? "-")</dd></div>
                <div><dt>Description</dt><dd>\(role.description.flatMap(\.nonEmpty) ?? "-")</dd></div>
                </dl>
                </div></section>
                <div class="tabs" role="tablist" aria-label="Role details">\(tabLinks)</div>
                <div role="tabpanel">\(content)</div>
                """)
    }

    static func duration(_ seconds: Int) -> String {
        let hours = seconds / 3600
        let minutes = (seconds % 3600) / 60
        return minutes == 0 ? "\(hours) hour\(hours == 1 ? "" : "s")" : "\(hours) hours \(minutes) minutes"
    }

    private func permissionsTab(_ role: IAMShapes.Role, _ request: Request) async -> HTML {
        var rows: [HTML] = []
        var problems: [HTML] = []
        switch await all(
            IAMOperation.ListAttachedRolePolicies.self, ["RoleName": role.roleName], request, items: { $0.attachedPolicies ?? [] },
            marker: { $0.isTruncated == true ? $0.marker : nil })
        {
        case .failure(let error): problems.append(Layout.Alert.failure(error).html)
        case .success(let attached):
            for policy in attached {
                let arn = policy.policyArn ?? ""
                let type = arn.hasPrefix("arn:aws:iam::aws:policy/") ? "AWS managed" : "Customer managed"
                rows.append("""
                    <tr><td><a href="\(Self.policyPath(arn))">\(policy.policyName)</a></td><td>\(type)</td>\
                    <td><form method="post" action="\(Self.rolePath(role.roleName))/detach">\
                    <input type="hidden" name="csrf" value="\(request.session.csrfToken)"><input type="hidden" name="PolicyArn" value="\(arn)">\
                    <button type="submit" aria-label="Remove \(policy.policyName ?? "")">Remove</button></form></td></tr>
                    """)
            }
        }
        switch await all(
            IAMOperation.ListRolePolicies.self, ["RoleName": role.roleName], request, items: \.policyNames,
            marker: { $0.isTruncated == true ? $0.marker : nil })
        {
        case .failure(let error): problems.append(Layout.Alert.failure(error).html)
        case .success(let names):
            for policyName in names {
                rows.append("""
                    <tr><td>\(policyName)</td><td>Customer inline</td>\
                    <td><form method="post" action="\(Self.rolePath(role.roleName))/inline/delete">\
                    <input type="hidden" name="csrf" value="\(request.session.csrfToken)"><input type="hidden" name="PolicyName" value="\(policyName)">\
                    <button type="submit" aria-label="Remove \(policyName)">Remove</button></form></td></tr>
                    """)
            }
        }
        let boundary: HTML = role.permissionsBoundary?.permissionsBoundaryArn.map { arn in
            """
            <section class="panel"><header><h2>Permissions boundary</h2></header><div class="content">
            <p><a href="\(Self.policyPath(arn))">\(arn)</a></p>
            <form method="post" action="\(Self.rolePath(role.roleName))/boundary/delete">
            <input type="hidden" name="csrf" value="\(request.session.csrfToken)"><button type="submit">Remove boundary</button></form>
            </div></section>
            """
        } ?? .empty
        return """
            \(problems)
            <section class="panel">
            <header><div><h2>Permissions policies (\(rows.count))</h2><p>You can attach up to 10 managed policies.</p></div>
            <div class="actions"><a class="button" href="\(Self.rolePath(role.roleName))/attach">Attach policies</a>\
            <a class="button" href="\(Self.rolePath(role.roleName))/inline">Create inline policy</a></div></header>
            <div class="content">
            <table class="list"><thead><tr><th scope="col">Policy name</th><th scope="col">Type</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"3\">No resources to display</td></tr>" : rows.joined())</tbody></table>
            </div></section>
            \(boundary)
            <section class="panel">
            <header><div><h2>Generate policy based on CloudTrail events</h2>\
            <p>You can generate a new policy based on the access activity for this role, then customize, create, and attach it to this role. \
            Gatehouse reads the activity from its own decision log, not from CloudTrail.</p></div>
            <div class="actions"><form method="post" action="\(Self.rolePath(role.roleName))/generated-policy">\
            <input type="hidden" name="csrf" value="\(request.session.csrfToken)">\
            <button type="submit">Generate policy</button></form></div></header>
            </section>
            """
    }

    /// "Generate policy": StartPolicyGeneration for the role as the signed-in
    /// principal (a job, listed by ListPolicyGenerations, as AWS's console
    /// starts one), then the job's page.
    public func generatePolicy(_ request: Request, role name: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let breadcrumbs: [(String, String?)] = [("IAM", "/console/iam"), ("Roles", "/console/iam/roles"), (name, Self.rolePath(name)), ("Generated policy", nil)]
        let failed = { (error: AWSError) in
            self.page(request, title: "Generated policy | IAM", current: "/console/iam/roles", breadcrumbs: breadcrumbs,
                      alerts: [.failure(error)], status: error.status, body: "<h1>Generated policy</h1>")
        }
        let role: IAMShapes.Role
        switch await call(IAMOperation.GetRole.self, ["RoleName": name], request) {
        case .failure(let error): return failed(error)
        case .success(let output): role = output.role
        }
        var body = JSONWriter()
        body.objectStart()
        body.key("policyGenerationDetails")
        body.objectStart()
        body.key("principalArn"); body.value(role.arn)
        body.objectEnd()
        body.objectEnd()
        switch await callAccessAnalyzer("PUT", "/policy/generation", body: body.string, request) {
        case .failure(let error): return failed(error)
        case .success(let started):
            return .redirect(Self.rolePath(name) + "/generated-policy?job=" + FormEncoding.uriEncode(started["jobId"]?.stringValue ?? ""))
        }
    }

    /// A policy generation job's policy (GetGeneratedPolicy with the
    /// resources the calls used), ready to be created as a managed policy.
    public func generatedPolicyPage(_ request: Request, role name: String) async -> ConsoleReply {
        let breadcrumbs: [(String, String?)] = [("IAM", "/console/iam"), ("Roles", "/console/iam/roles"), (name, Self.rolePath(name)), ("Generated policy", nil)]
        let job = request.query["job"] ?? ""
        let result: JSONValue
        switch await callAccessAnalyzer(
            "GET", "/policy/generation/" + FormEncoding.uriEncode(job), query: ["includeResourcePlaceholders": "true"], request)
        {
        case .failure(let error):
            return page(request, title: "Generated policy | IAM", current: "/console/iam/roles", breadcrumbs: breadcrumbs,
                        alerts: [.failure(error)], status: error.status, body: "<h1>Generated policy</h1>")
        case .success(let answer):
            result = answer
        }
        let policies = result["generatedPolicyResult"]?["generatedPolicies"]?.arrayValue?.compactMap { $0["policy"]?.stringValue } ?? []
        let status = result["jobDetails"]?["status"]?.stringValue ?? ""
        let content: HTML
        if status != "SUCCEEDED" {
            let why = result["jobDetails"]?["jobError"]?["message"]?.stringValue ?? status
            content = "<p class=\"empty\">The policy generation did not succeed: \(why)</p>"
        } else if policies.isEmpty {
            content = "<p class=\"empty\">No activity: \(name)'s sessions made no call among the decisions the server keeps.</p>"
        } else {
            let documents: [HTML] = policies.map { "<pre class=\"document\" aria-label=\"Generated policy\">\(Self.pretty($0))</pre>" }
            content = "\(documents.joined())"
        }
        let body: HTML = """
            <div class="page-header"><h1>Generated policy</h1></div>
            <section class="panel"><header><div><h2>Policy for \(name)</h2>\
            <p>The least-privilege policy for the calls this role's sessions made, among the decisions the server keeps: \
            actions grouped by the resources they used. Job \(job).</p></div></header>
            <div class="content">\(content)</div></section>
            """
        return page(request, title: "Generated policy | IAM", current: "/console/iam/roles", breadcrumbs: breadcrumbs, alerts: [], body: body)
    }

    private func trustTab(_ role: IAMShapes.Role, _ request: Request) -> HTML {
        """
        <section class="panel">
        <header><div><h2>Trusted entities</h2><p>Entities that can assume this role under specified conditions.</p></div>
        <div class="actions"><a class="button" href="\(Self.rolePath(role.roleName))/trust">Edit trust policy</a></div></header>
        <div class="content"><pre class="document" aria-label="Trust policy">\(Self.pretty(role.assumeRolePolicyDocument ?? ""))</pre></div>
        </section>
        """
    }

    private func tagsTab(_ role: IAMShapes.Role, _ request: Request) async -> HTML {
        let tags: [IAMShapes.Tag]
        switch await call(IAMOperation.ListRoleTags.self, ["RoleName": role.roleName], request) {
        case .failure(let error): return Layout.Alert.failure(error).html
        case .success(let output): tags = output.tags
        }
        let rows: [HTML] = tags.map { "<tr><td>\($0.key)</td><td>\($0.value)</td></tr>" }
        return """
            <section class="panel">
            <header><h2>Tags (\(tags.count))</h2><div class="actions"><a class="button" href="\(Self.rolePath(role.roleName))/tags">Manage tags</a></div></header>
            <div class="content"><table class="list"><thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"2\">No tags associated with the resource.</td></tr>" : rows.joined())</tbody></table></div>
            </section>
            """
    }

    /// A policy document as AWS's console shows it: indented, or as stored when it is not JSON.
    static func pretty(_ document: String) -> String {
        guard let value = try? JSONParser.parse(document) else { return document }
        return value.pretty()
    }

    // MARK: - Changes from a role's page

    /// Detach a managed policy (DetachRolePolicy).
    public func detachRolePolicy(_ request: Request, role: String) async -> ConsoleReply {
        await change(request, role: role, tab: "permissions", IAMOperation.DetachRolePolicy.self,
                     ["RoleName": role, "PolicyArn": request.field("PolicyArn") ?? ""], done: "Policy detached.")
    }

    /// Delete an inline policy (DeleteRolePolicy).
    public func deleteRoleInlinePolicy(_ request: Request, role: String) async -> ConsoleReply {
        await change(request, role: role, tab: "permissions", IAMOperation.DeleteRolePolicy.self,
                     ["RoleName": role, "PolicyName": request.field("PolicyName") ?? ""], done: "Inline policy removed.")
    }

    /// Remove the permissions boundary (DeleteRolePermissionsBoundary).
    public func deleteRoleBoundary(_ request: Request, role: String) async -> ConsoleReply {
        await change(request, role: role, tab: "permissions", IAMOperation.DeleteRolePermissionsBoundary.self,
                     ["RoleName": role], done: "Permissions boundary removed.")
    }

    private func change<Op: QueryOperation>(
        _ request: Request, role: String, tab: String, _ operation: Op.Type, _ parameters: [String: String], done: String
    ) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        switch await call(operation, parameters, request) {
        case .failure(let error): flash(.failure(error), for: request.session)
        case .success: flash(.success(done), for: request.session)
        }
        return .redirect(Self.rolePath(role, tab: tab))
    }

    /// Create inline policy: the policy editor, for PutRolePolicy.
    public func inlinePolicyPage(_ request: Request, role: String) -> ConsoleReply {
        policyEditor(request, .inline(role: role))
    }

    /// "Create policy" for a role: PutRolePolicy as the signed-in principal.
    public func putRoleInlinePolicy(_ request: Request, role: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let name = request.field("PolicyName") ?? ""
        let document = request.field("PolicyDocument") ?? ""
        if case .failure(let error) = await call(
            IAMOperation.PutRolePolicy.self, ["RoleName": role, "PolicyName": name, "PolicyDocument": document], request)
        {
            return policyEditor(request, .inline(role: role), document: document, name: name, error: error)
        }
        flash(.success("Policy \(name) created."), for: request.session)
        return .redirect(Self.rolePath(role, tab: "permissions"))
    }

    /// Attach policies: every managed policy with a checkbox.
    public func attachPoliciesPage(_ request: Request, role: String) async -> ConsoleReply {
        var alerts: [Layout.Alert] = []
        var rows: [HTML] = []
        switch await managedPolicies(request) {
        case .failure(let error): alerts.append(.failure(error))
        case .success(let policies):
            let search = (request.query["search"] ?? "").lowercased()
            for policy in policies where search.isEmpty || (policy.policyName ?? "").lowercased().contains(search) {
                rows.append("""
                    <tr><td><input type="checkbox" name="PolicyArn" value="\(policy.arn ?? "")" aria-label="\(policy.policyName ?? "")"></td>\
                    <td>\(policy.policyName)</td><td>\(PolicyType(policy).rawValue)</td><td>\(policy.description ?? "")</td></tr>
                    """)
            }
        }
        return page(
            request, title: "Attach policies | IAM", current: "/console/iam/roles",
            breadcrumbs: [("IAM", "/console/iam"), ("Roles", "/console/iam/roles"), (role, Self.rolePath(role)), ("Attach policies", nil)],
            alerts: alerts,
            body: """
                <h1>Attach policy to \(role)</h1>
                <form class="filters" method="get" action="\(Self.rolePath(role))/attach" role="search">
                <input type="search" name="search" value="\(request.query["search"] ?? "")" aria-label="Search" placeholder="Filter policies by name">
                <button type="submit">Search</button></form>
                <form method="post" action="\(Self.rolePath(role))/attach">
                <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
                <section class="panel"><header><h2>Other permissions policies</h2></header><div class="content">
                <table class="list"><thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">Policy name</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead>
                <tbody>\(rows)</tbody></table></div></section>
                <div class="actions"><a class="button" href="\(Self.rolePath(role))">Cancel</a><button type="submit" class="primary">Add permissions</button></div>
                </form>
                """)
    }

    /// "Add permissions": AttachRolePolicy for each policy checked.
    public func attachRolePolicies(_ request: Request, role: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        var attached = 0
        for (field, arn) in request.form where field == "PolicyArn" {
            switch await call(IAMOperation.AttachRolePolicy.self, ["RoleName": role, "PolicyArn": arn], request) {
            case .failure(let error): flash(.failure(error), for: request.session)
            case .success: attached += 1
            }
        }
        if attached > 0 { flash(.success("Policy was successfully attached to role."), for: request.session) }
        return .redirect(Self.rolePath(role, tab: "permissions"))
    }

    /// Edit trust policy.
    public func trustPolicyPage(_ request: Request, role: String, document: String? = nil, error: AWSError? = nil) async -> ConsoleReply {
        var text = document
        if text == nil, case .success(let output) = await call(IAMOperation.GetRole.self, ["RoleName": role], request) {
            text = Self.pretty(output.role.assumeRolePolicyDocument ?? "")
        }
        return page(
            request, title: "Edit trust policy | IAM", current: "/console/iam/roles",
            breadcrumbs: [("IAM", "/console/iam"), ("Roles", "/console/iam/roles"), (role, Self.rolePath(role)), ("Edit trust policy", nil)],
            alerts: error.map { [.failure($0)] } ?? [], status: error?.status ?? 200,
            body: """
                <h1>Edit trust policy</h1>
                <form method="post" action="\(Self.rolePath(role))/trust">
                <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
                <section class="panel"><div class="content">
                <div class="field"><label for="trust-policy">Trust policy</label>
                <textarea id="trust-policy" class="code" name="PolicyDocument" spellcheck="false">\(text ?? "")</textarea></div>
                </div></section>
                <div class="actions"><a class="button" href="\(Self.rolePath(role, tab: "trust"))">Cancel</a><button type="submit" class="primary">Update policy</button></div>
                </form>
                """)
    }

    /// "Update policy": UpdateAssumeRolePolicy.
    public func updateTrustPolicy(_ request: Request, role: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let document = request.field("PolicyDocument") ?? ""
        if case .failure(let error) = await call(IAMOperation.UpdateAssumeRolePolicy.self, ["RoleName": role, "PolicyDocument": document], request) {
            return await trustPolicyPage(request, role: role, document: document, error: error)
        }
        flash(.success("Trust policy updated."), for: request.session)
        return .redirect(Self.rolePath(role, tab: "trust"))
    }

    /// Manage tags: the role's tags as editable rows.
    public func roleTagsPage(_ request: Request, role: String) async -> ConsoleReply {
        let tags: [IAMShapes.Tag] = switch await call(IAMOperation.ListRoleTags.self, ["RoleName": role], request) {
        case .success(let output): output.tags
        case .failure: []
        }
        let rows: [HTML] = (tags + [IAMShapes.Tag(key: "", value: "")]).enumerated().map { i, tag in
            """
            <div class="filters"><div class="field"><label for="tag-key-\(i + 1)">Key</label>\
            <input id="tag-key-\(i + 1)" name="Tags.member.\(i + 1).Key" value="\(tag.key)"></div>\
            <div class="field"><label for="tag-value-\(i + 1)">Value - optional</label>\
            <input id="tag-value-\(i + 1)" name="Tags.member.\(i + 1).Value" value="\(tag.value)"></div></div>
            """
        }
        return page(
            request, title: "Manage tags | IAM", current: "/console/iam/roles",
            breadcrumbs: [("IAM", "/console/iam"), ("Roles", "/console/iam/roles"), (role, Self.rolePath(role)), ("Manage tags", nil)],
            body: """
                <h1>Manage tags</h1>
                <form method="post" action="\(Self.rolePath(role))/tags">
                <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
                <section class="panel"><div class="content"><p class="hint">Clear a key to remove its tag; fill the empty row to add one.</p>\(rows)</div></section>
                <div class="actions"><a class="button" href="\(Self.rolePath(role, tab: "tags"))">Cancel</a><button type="submit" class="primary">Save changes</button></div>
                </form>
                """)
    }

    /// "Save changes": UntagRole for the keys removed, TagRole for the rest.
    public func saveRoleTags(_ request: Request, role: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let wanted = Self.tags(in: request)
        let current: [IAMShapes.Tag] = switch await call(IAMOperation.ListRoleTags.self, ["RoleName": role], request) {
        case .success(let output): output.tags
        case .failure: []
        }
        let removed = current.map(\.key).filter { key in !wanted.contains { $0.0 == key } }
        if !removed.isEmpty {
            var parameters = ["RoleName": role]
            for (i, key) in removed.enumerated() { parameters["TagKeys.member.\(i + 1)"] = key }
            if case .failure(let error) = await call(IAMOperation.UntagRole.self, parameters, request) {
                flash(.failure(error), for: request.session)
                return .redirect(Self.rolePath(role, tab: "tags"))
            }
        }
        if !wanted.isEmpty {
            let parameters = Self.tagParameters(wanted).merging(["RoleName": role]) { $1 }
            if case .failure(let error) = await call(IAMOperation.TagRole.self, parameters, request) {
                flash(.failure(error), for: request.session)
                return .redirect(Self.rolePath(role, tab: "tags"))
            }
        }
        flash(.success("Tags saved."), for: request.session)
        return .redirect(Self.rolePath(role, tab: "tags"))
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension ConsoleApp {
    static let roleRoutes: [ConsoleRoute] = {
        let role = "iam/roles/details/:role"
        return [
            .get("iam/roles") { app, request in await app.roles(request) },
            .get("iam/roles/create") { app, request in await app.createRolePage(request) },
            .post("iam/roles/create") { app, request in await app.createRole(request) },
            .get(role) { app, request in await app.role(request, name: request.parameter("role")) },
            .post(role + "/detach") { app, request in await app.detachRolePolicy(request, role: request.parameter("role")) },
            .post(role + "/inline/delete") { app, request in await app.deleteRoleInlinePolicy(request, role: request.parameter("role")) },
            .post(role + "/boundary/delete") { app, request in await app.deleteRoleBoundary(request, role: request.parameter("role")) },
            .get(role + "/attach") { app, request in await app.attachPoliciesPage(request, role: request.parameter("role")) },
            .post(role + "/attach") { app, request in await app.attachRolePolicies(request, role: request.parameter("role")) },
            .get(role + "/inline") { app, request in app.inlinePolicyPage(request, role: request.parameter("role")) },
            .post(role + "/inline") { app, request in await app.putRoleInlinePolicy(request, role: request.parameter("role")) },
            .get(role + "/trust") { app, request in await app.trustPolicyPage(request, role: request.parameter("role")) },
            .post(role + "/trust") { app, request in await app.updateTrustPolicy(request, role: request.parameter("role")) },
            .get(role + "/tags") { app, request in await app.roleTagsPage(request, role: request.parameter("role")) },
            .post(role + "/tags") { app, request in await app.saveRoleTags(request, role: request.parameter("role")) },
            .post(role + "/generated-policy") { app, request in await app.generatePolicy(request, role: request.parameter("role")) },
            .get(role + "/generated-policy") { app, request in await app.generatedPolicyPage(request, role: request.parameter("role")) },
        ]
    }()
}
