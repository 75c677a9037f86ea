import AWSShapes

/// IAM › User groups: the list, Create user group, and a group's page with
/// its Users and Permissions tabs.
extension ConsoleApp {
    static func groupPath(_ name: String, tab: String? = nil) -> String {
        "/console/iam/groups/details/" + XMLWriter.percentEncode(name) + (tab.map { "?tab=" + $0 } ?? "")
    }

    /// IAM › User groups.
    public func groups(_ request: Request) async -> ConsoleReply {
        let search = request.query["search"] ?? ""
        var alerts: [Layout.Alert] = []
        var matching: [IAMShapes.Group] = []
        switch await all(IAMOperation.ListGroups.self, [:], request, items: \.groups, marker: { $0.isTruncated == true ? $0.marker : nil }) {
        case .failure(let error): alerts.append(.failure(error))
        case .success(let groups):
            matching = groups.filter { search.isEmpty || $0.groupName.lowercased().contains(search.lowercased()) }
        }
        let (shown, pager) = paginate(matching, request: request, path: "/console/iam/groups")
        var rows: [HTML] = []
        for group in shown {
            let members: String = switch await call(IAMOperation.GetGroup.self, ["GroupName": group.groupName], request) {
            case .success(let output): String(output.users.count)
            case .failure: "-"
            }
            var defined = false
            if case .success(let attached) = await call(IAMOperation.ListAttachedGroupPolicies.self, ["GroupName": group.groupName], request) {
                defined = !(attached.attachedPolicies ?? []).isEmpty
            }
            if !defined, case .success(let inline) = await call(IAMOperation.ListGroupPolicies.self, ["GroupName": group.groupName], request) {
                defined = !inline.policyNames.isEmpty
            }
            rows.append("""
                <tr><td><a href="\(Self.groupPath(group.groupName))">\(group.groupName)</a></td><td>\(members)</td>\
                <td>\(defined ? "Defined" : "Not defined")</td><td>\(ago(group.createDate))</td></tr>
                """)
        }
        return page(
            request, title: "User groups | IAM", current: "/console/iam/groups", breadcrumbs: [("IAM", "/console/iam"), ("User groups", nil)],
            alerts: alerts,
            scripts: [.userPages],
            body: """
                <div class="page-header"><div><h1>User groups (\(matching.count))</h1>
                <p class="description">A user group is a collection of IAM users. Use groups to specify permissions for a collection of users.</p></div>
                <div class="actions"><a class="button primary" href="/console/iam/groups/create">Create group</a></div></div>
                <section class="panel"><div class="content">
                <form class="filters" method="get" action="/console/iam/groups" role="search">
                <input type="search" name="search" value="\(search)" aria-label="Search" placeholder="Search">
                <button type="submit">Search</button>
                </form>
                <table class="list"><thead><tr><th scope="col">Group name</th><th scope="col">Users</th><th scope="col">Permissions</th><th scope="col">Creation time</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"4\">No resources to display</td></tr>" : rows.joined())</tbody></table>
                \(pager)
                </div></section>
                """)
    }

    /// The account's users with checkboxes (ListUsers), or AWS's refusal.
    func userChoices(_ request: Request, selected: Set<String>, except: Set<String> = []) async -> HTML {
        switch await all(IAMOperation.ListUsers.self, [:], request, items: \.users, marker: { $0.isTruncated == true ? $0.marker : nil }) {
        case .failure(let error):
            return Layout.Alert.failure(error).html
        case .success(let users):
            let rows: [HTML] = users.compactMap(\.userName).filter { !except.contains($0) }.map { name in
                """
                <tr><td><input type="checkbox" name="UserName" value="\(name)" aria-label="\(name)"\
                \(selected.contains(name) ? HTML(trusted: " checked") : .empty)></td><td>\(name)</td></tr>
                """
            }
            return """
                <table class="list"><thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">User name</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"2\">No resources to display</td></tr>" : rows.joined())</tbody></table>
                """
        }
    }

    /// IAM › User groups › Create user group.
    func createGroupPage(_ request: Request, alerts: [Layout.Alert] = [], status: Int = 200) async -> ConsoleReply {
        let users = await userChoices(request, selected: Set(Self.values(request, "UserName")))
        let policies = await policyChoices(request, selected: Set(Self.values(request, "PolicyArn")), id: "group-policies")
        return page(
            request, title: "Create user group | IAM", current: "/console/iam/groups",
            breadcrumbs: [("IAM", "/console/iam"), ("User groups", "/console/iam/groups"), ("Create user group", nil)],
            alerts: alerts, scripts: [.userPages], status: status,
            body: """
                <h1>Create user group</h1>
                <form method="post" action="/console/iam/groups/create">\(Self.token(request))
                <section class="panel"><header><h2>Name the group</h2></header><div class="content">
                <div class="field"><label for="group-name">User group name</label>
                <input id="group-name" name="GroupName" value="\(request.field("GroupName") ?? "")" autocomplete="off">
                <span class="hint">Maximum 128 characters. Use alphanumeric and '+=,.@-_' characters.</span></div>
                </div></section>
                <section class="panel"><header><h2>Add users to the group - Optional</h2></header><div class="content">\(users)</div></section>
                <section class="panel"><header><h2>Attach permissions policies - Optional</h2></header><div class="content">\(policies)</div></section>
                <div class="actions end"><a class="button" href="/console/iam/groups">Cancel</a><button type="submit" class="primary">Create user group</button></div>
                </form>
                """)
    }

    /// "Create user group": CreateGroup, then AddUserToGroup and AttachGroupPolicy for each choice.
    public func createGroup(_ request: Request) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let name = request.field("GroupName") ?? ""
        if case .failure(let error) = await call(IAMOperation.CreateGroup.self, ["GroupName": name], request) {
            return await createGroupPage(request, alerts: [.failure(error)], status: error.status)
        }
        flash(.success("\(name) user group created."), for: request.session)
        for user in Self.values(request, "UserName") {
            if case .failure(let error) = await call(IAMOperation.AddUserToGroup.self, ["GroupName": name, "UserName": user], request) {
                flash(.error("Group \(name) was created, but user \(user) was not added: \(error.said)"), for: request.session)
            }
        }
        for arn in Self.values(request, "PolicyArn") {
            if case .failure(let error) = await call(IAMOperation.AttachGroupPolicy.self, ["GroupName": name, "PolicyArn": arn], request) {
                flash(.error("Group \(name) was created, but policy \(arn) was not attached: \(error.said)"), for: request.session)
            }
        }
        return .redirect("/console/iam/groups")
    }

    // MARK: - A group's page

    public func group(_ request: Request, name: String) async -> ConsoleReply {
        let crumbs: [(label: String, path: String?)] = [("IAM", "/console/iam"), ("User groups", "/console/iam/groups"), (name, nil)]
        let output: IAMShapes.GetGroupResponse
        switch await call(IAMOperation.GetGroup.self, ["GroupName": name], request) {
        case .failure(let error):
            return page(request, title: "\(name) | IAM", current: "/console/iam/groups", breadcrumbs: crumbs,
                        alerts: [.failure(error)], scripts: [.userPages], status: error.status, body: "<h1>\(name)</h1>")
        case .success(let found): output = found
        }
        let tab = request.query["tab"] ?? "users"
        let base = Self.groupPath(name)
        let token = Self.token(request)
        let tabs: [(String, String)] = [("users", "Users"), ("permissions", "Permissions")]
        let tabLinks: [HTML] = tabs.map { id, label in
            "<a role=\"tab\" href=\"\(Self.groupPath(name, tab: id))\" aria-selected=\"\(tab == id ? "true" : "false")\">\(label)</a>"
        }
        let content: HTML
        if tab == "permissions" {
            var rows: [HTML] = []
            var problems: [HTML] = []
            switch await call(IAMOperation.ListAttachedGroupPolicies.self, ["GroupName": name, "MaxItems": "1000"], request) {
            case .failure(let error): problems.append(Layout.Alert.failure(error).html)
            case .success(let attached):
                for policy in attached.attachedPolicies ?? [] {
                    let arn = policy.policyArn ?? ""
                    let type = arn.hasPrefix("arn:aws:iam::aws:policy/") ? "AWS managed" : "Customer managed"
                    rows.append("""
                        <tr><td><a href="\(Self.policyPath(arn))">\(policy.policyName ?? "")</a></td><td>\(type)</td>\
                        <td><form method="post" action="\(base)/detach">\(token)<input type="hidden" name="PolicyArn" value="\(arn)">\
                        <button type="submit" aria-label="Remove \(policy.policyName ?? "")">Remove</button></form></td></tr>
                        """)
                }
            }
            switch await call(IAMOperation.ListGroupPolicies.self, ["GroupName": name, "MaxItems": "1000"], request) {
            case .failure(let error): problems.append(Layout.Alert.failure(error).html)
            case .success(let inline):
                for policyName in inline.policyNames {
                    rows.append("""
                        <tr><td>\(policyName)</td><td>Customer inline</td>\
                        <td><form method="post" action="\(base)/inline/delete">\(token)<input type="hidden" name="PolicyName" value="\(policyName)">\
                        <button type="submit" aria-label="Remove \(policyName)">Remove</button></form></td></tr>
                        """)
                }
            }
            content = """
                \(problems)
                <section class="panel"><header><h2>Permissions policies (\(rows.count))</h2>
                <div class="actions"><a class="button primary" href="\(base)/attach">Add permissions</a></div></header>
                <div class="content"><table class="list"><thead><tr><th scope="col">Policy name</th><th scope="col">Type</th>\
                <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"3\">No resources to display</td></tr>" : rows.joined())</tbody></table></div></section>
                """
        } else {
            let rows: [HTML] = output.users.map { user in
                let userName = user.userName ?? ""
                return """
                    <tr><td><a href="\(Self.userPath(userName))">\(userName)</a></td><td>\(ago(user.createDate))</td>\
                    <td><form method="post" action="\(base)/users/remove">\(token)<input type="hidden" name="UserName" value="\(userName)">\
                    <button type="submit" aria-label="Remove \(userName)">Remove</button></form></td></tr>
                    """
            }
            content = """
                <section class="panel"><header><h2>Users in this group (\(rows.count))</h2>
                <div class="actions"><a class="button primary" href="\(base)/users/add">Add users</a></div></header>
                <div class="content"><table class="list"><thead><tr><th scope="col">User name</th><th scope="col">Creation time</th>\
                <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"3\">No resources to display</td></tr>" : rows.joined())</tbody></table></div></section>
                """
        }
        return page(
            request, title: "\(name) | IAM", current: "/console/iam/groups", breadcrumbs: crumbs,
            scripts: [.userPages],
            body: """
                <div class="page-header"><h1>\(name)</h1>
                <div class="actions"><a class="button" href="\(base)/delete">Delete</a></div></div>
                <section class="panel"><header><h2>Summary</h2></header><div class="content"><dl class="key-values">
                <div><dt>User group name</dt><dd>\(output.group.groupName)</dd></div>
                <div><dt>Creation time</dt><dd>\(output.group.createDate.description)</dd></div>
                <div><dt>ARN</dt><dd>\(output.group.arn)</dd></div>
                </dl></div></section>
                <div class="tabs" role="tablist" aria-label="User group details">\(tabLinks)</div>
                <div role="tabpanel">\(content)</div>
                """)
    }

    func groupChange<Op: QueryOperation>(
        _ request: Request, group: String, tab: String, _ operation: Op.Type, _ parameters: [String: String], done: String
    ) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        switch await call(operation, parameters, request) {
        case .failure(let error): flash(.failure(error), for: request.session)
        case .success: flash(.success(done), for: request.session)
        }
        return .redirect(Self.groupPath(group, tab: tab))
    }

    /// "Add users": the users not in the group, with checkboxes.
    public func addGroupUsersPage(_ request: Request, group: String) async -> ConsoleReply {
        let members: [String] = switch await call(IAMOperation.GetGroup.self, ["GroupName": group], request) {
        case .success(let output): output.users.compactMap(\.userName)
        case .failure: []
        }
        let users = await userChoices(request, selected: [], except: Set(members))
        return page(
            request, title: "Add users | IAM", current: "/console/iam/groups",
            breadcrumbs: [("IAM", "/console/iam"), ("User groups", "/console/iam/groups"), (group, Self.groupPath(group)), ("Add users", nil)],
            scripts: [.userPages],
            body: """
                <h1>Add users to \(group)</h1>
                <form method="post" action="\(Self.groupPath(group))/users/add">\(Self.token(request))
                <section class="panel"><header><h2>Other users in this account</h2></header><div class="content">\(users)</div></section>
                <div class="actions end"><a class="button" href="\(Self.groupPath(group))">Cancel</a><button type="submit" class="primary">Add users</button></div>
                </form>
                """)
    }

    public func addGroupUsers(_ request: Request, group: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        var added = 0
        for user in Self.values(request, "UserName") {
            switch await call(IAMOperation.AddUserToGroup.self, ["GroupName": group, "UserName": user], request) {
            case .failure(let error): flash(.failure(error), for: request.session)
            case .success: added += 1
            }
        }
        if added > 0 { flash(.success("\(added) user\(added == 1 ? "" : "s") added to this group."), for: request.session) }
        return .redirect(Self.groupPath(group, tab: "users"))
    }

    /// "Add permissions" → attach policies to the group.
    public func attachGroupPoliciesPage(_ request: Request, group: String) async -> ConsoleReply {
        let policies = await policyChoices(request, selected: [], id: "group-policies")
        return page(
            request, title: "Attach policies | IAM", current: "/console/iam/groups",
            breadcrumbs: [("IAM", "/console/iam"), ("User groups", "/console/iam/groups"), (group, Self.groupPath(group)), ("Attach policies", nil)],
            scripts: [.userPages],
            body: """
                <h1>Attach permission policies to \(group)</h1>
                <form method="post" action="\(Self.groupPath(group))/attach">\(Self.token(request))
                <section class="panel"><header><h2>Other permissions policies</h2></header><div class="content">\(policies)</div></section>
                <div class="actions end"><a class="button" href="\(Self.groupPath(group, tab: "permissions"))">Cancel</a><button type="submit" class="primary">Attach policies</button></div>
                </form>
                """)
    }

    public func attachGroupPolicies(_ request: Request, group: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        var attached = 0
        for arn in Self.values(request, "PolicyArn") {
            switch await call(IAMOperation.AttachGroupPolicy.self, ["GroupName": group, "PolicyArn": arn], request) {
            case .failure(let error): flash(.failure(error), for: request.session)
            case .success: attached += 1
            }
        }
        if attached > 0 { flash(.success("Policies attached to this group."), for: request.session) }
        return .redirect(Self.groupPath(group, tab: "permissions"))
    }

    /// "Delete": confirm by typing the group's name.
    func deleteGroupPage(_ request: Request, group: String, alerts: [Layout.Alert] = [], status: Int = 200) -> ConsoleReply {
        page(
            request, title: "Delete user group | IAM", current: "/console/iam/groups",
            breadcrumbs: [("IAM", "/console/iam"), ("User groups", "/console/iam/groups"), (group, Self.groupPath(group)), ("Delete", nil)],
            alerts: alerts, scripts: [.userPages], status: status,
            body: """
                <h1>Delete \(group)?</h1>
                <form method="post" action="\(Self.groupPath(group))/delete">\(Self.token(request))
                <section class="panel"><div class="content">
                <p>Deleting this user group removes its users from it and its permissions from them, then deletes the group. This cannot be undone.</p>
                <div class="field"><label for="confirm-group">To confirm deletion, enter the user group name in the text input field.</label>
                <input id="confirm-group" name="Confirm" autocomplete="off"></div>
                <div class="actions"><a class="button" href="\(Self.groupPath(group))">Cancel</a><button type="submit" class="primary">Delete</button></div>
                </div></section></form>
                """)
    }

    /// What AWS's console does to delete a group: remove its users, detach
    /// and delete its policies, then DeleteGroup. It stops at the first
    /// refusal and says what was already done.
    public func deleteGroup(_ request: Request, group: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        guard request.field("Confirm") == group else {
            return deleteGroupPage(request, group: group, alerts: [.error("Enter the user group name to confirm deletion.")], status: 400)
        }
        var done: [String] = []
        func refused(_ error: AWSError) -> ConsoleReply {
            flash(.failure(error), for: request.session)
            if !done.isEmpty { flash(.info("Already done before the refusal: " + done.joined(separator: "; ") + "."), for: request.session) }
            return .redirect(Self.groupPath(group))
        }
        if case .success(let output) = await call(IAMOperation.GetGroup.self, ["GroupName": group], request) {
            for user in output.users.compactMap(\.userName) {
                if case .failure(let error) = await call(IAMOperation.RemoveUserFromGroup.self, ["GroupName": group, "UserName": user], request) {
                    return refused(error)
                }
                done.append("removed user \(user)")
            }
        }
        if case .success(let attached) = await call(IAMOperation.ListAttachedGroupPolicies.self, ["GroupName": group, "MaxItems": "1000"], request) {
            for arn in (attached.attachedPolicies ?? []).compactMap(\.policyArn) {
                if case .failure(let error) = await call(IAMOperation.DetachGroupPolicy.self, ["GroupName": group, "PolicyArn": arn], request) {
                    return refused(error)
                }
                done.append("detached \(arn)")
            }
        }
        if case .success(let inline) = await call(IAMOperation.ListGroupPolicies.self, ["GroupName": group, "MaxItems": "1000"], request) {
            for policyName in inline.policyNames {
                if case .failure(let error) = await call(IAMOperation.DeleteGroupPolicy.self, ["GroupName": group, "PolicyName": policyName], request) {
                    return refused(error)
                }
                done.append("deleted inline policy \(policyName)")
            }
        }
        if case .failure(let error) = await call(IAMOperation.DeleteGroup.self, ["GroupName": group], request) {
            return refused(error)
        }
        flash(.success("User group \(group) deleted."), for: request.session)
        return .redirect("/console/iam/groups")
    }
}

extension ConsoleApp {
    static let groupRoutes: [ConsoleRoute] = {
        let group = "iam/groups/details/:group"
        return [
            .get("iam/groups") { app, request in await app.groups(request) },
            .get("iam/groups/create") { app, request in await app.createGroupPage(request) },
            .post("iam/groups/create") { app, request in await app.createGroup(request) },
            .get(group) { app, request in await app.group(request, name: request.parameter("group")) },
            .get(group + "/users/add") { app, request in await app.addGroupUsersPage(request, group: request.parameter("group")) },
            .post(group + "/users/add") { app, request in await app.addGroupUsers(request, group: request.parameter("group")) },
            .post(group + "/users/remove") { app, request in
                let name = request.parameter("group")
                let user = request.field("UserName") ?? ""
                return await app.groupChange(request, group: name, tab: "users", IAMOperation.RemoveUserFromGroup.self,
                                             ["GroupName": name, "UserName": user], done: "User \(user) removed from this group.")
            },
            .get(group + "/attach") { app, request in await app.attachGroupPoliciesPage(request, group: request.parameter("group")) },
            .post(group + "/attach") { app, request in await app.attachGroupPolicies(request, group: request.parameter("group")) },
            .post(group + "/detach") { app, request in
                let name = request.parameter("group")
                return await app.groupChange(request, group: name, tab: "permissions", IAMOperation.DetachGroupPolicy.self,
                                             ["GroupName": name, "PolicyArn": request.field("PolicyArn") ?? ""], done: "Policy removed.")
            },
            .post(group + "/inline/delete") { app, request in
                let name = request.parameter("group")
                return await app.groupChange(request, group: name, tab: "permissions", IAMOperation.DeleteGroupPolicy.self,
                                             ["GroupName": name, "PolicyName": request.field("PolicyName") ?? ""], done: "Inline policy removed.")
            },
            .get(group + "/delete") { app, request in app.deleteGroupPage(request, group: request.parameter("group")) },
            .post(group + "/delete") { app, request in await app.deleteGroup(request, group: request.parameter("group")) },
        ]
    }()
}
