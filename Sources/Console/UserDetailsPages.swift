import AWSShapes

/// IAM › Users › NAME: the summary and the Permissions, Groups, Tags and
/// Security credentials tabs, and the changes made from them.
extension ConsoleApp {
    /// IAM › Users › NAME, on one of its tabs.
    public func user(_ request: Request, name: String) async -> ConsoleReply {
        let crumbs: [(label: String, path: String?)] = [("IAM", "/console/iam"), ("Users", "/console/iam/users"), (name, nil)]
        let user: IAMShapes.User
        switch await call(IAMOperation.GetUser.self, ["UserName": name], request) {
        case .failure(let error):
            return page(request, title: "\(name) | IAM", current: "/console/iam/users", breadcrumbs: crumbs,
                        alerts: [.failure(error)], scripts: [.userPages], status: error.status, body: "<h1>\(name)</h1>")
        case .success(let output):
            user = output.user
        }
        let tab = request.query["tab"] ?? "permissions"
        let profile: IAMShapes.LoginProfile? = switch await call(IAMOperation.GetLoginProfile.self, ["UserName": name], request) {
        case .success(let output): output.loginProfile
        case .failure: nil
        }
        let mfa: [IAMShapes.MFADevice] = switch await call(IAMOperation.ListMFADevices.self, ["UserName": name], request) {
        case .success(let output): output.mfaDevices
        case .failure: []
        }
        let keys: [IAMShapes.AccessKeyMetadata] = switch await call(IAMOperation.ListAccessKeys.self, ["UserName": name], request) {
        case .success(let output): output.accessKeyMetadata
        case .failure: []
        }
        var keyItems: [HTML] = []
        for (i, key) in keys.enumerated() {
            let used = await keyLastUsed(key, request)
            keyItems.append("<div><dt>Access key \(i + 1)</dt><dd>\(key.accessKeyId ?? "") - \(key.status ?? "")<br><span class=\"hint\">\(used)</span></dd></div>")
        }
        if keyItems.isEmpty {
            keyItems.append("<div><dt>Access key 1</dt><dd><a href=\"\(Self.userPath(name))/access-keys/create\">Create access key</a></dd></div>")
        }
        let consoleAccess = profile == nil ? "Disabled" : (mfa.isEmpty ? "Enabled without MFA" : "Enabled with MFA")
        let tabs: [(String, String)] = [("permissions", "Permissions"), ("groups", "Groups"), ("tags", "Tags"), ("security_credentials", "Security credentials")]
        let tabLinks: [HTML] = tabs.map { id, label in
            "<a role=\"tab\" href=\"\(Self.userPath(name, tab: id))\" aria-selected=\"\(tab == id ? "true" : "false")\">\(label)</a>"
        }
        let content: HTML = switch tab {
        case "groups": await userGroupsTab(name, request)
        case "tags": await userTagsTab(name, request)
        case "security_credentials": await securityCredentialsTab(user, profile: profile, mfa: mfa, keys: keys, request)
        default: await userPermissionsTab(user, request)
        }
        return page(
            request, title: "\(name) | IAM", current: "/console/iam/users", breadcrumbs: crumbs, scripts: [.userPages],
            body: """
                <div class="page-header"><h1>\(name)</h1></div>
                <section class="panel"><header><h2>Summary</h2></header><div class="content">
                <dl class="key-values">
                <div><dt>ARN</dt><dd>\(user.arn)</dd></div>
                <div><dt>Console access</dt><dd>\(consoleAccess)</dd></div>
                \(keyItems)
                <div><dt>Created</dt><dd>\(user.createDate.description)</dd></div>
                <div><dt>Last console sign-in</dt><dd>\(profile == nil ? "-" : (user.passwordLastUsed.map(\.description) ?? "Never"))</dd></div>
                </dl>
                </div></section>
                <div class="tabs" role="tablist" aria-label="User details">\(tabLinks)</div>
                <div role="tabpanel">\(content)</div>
                """)
    }

    /// "Used 2 days ago in us-east-1 by sts" / "Never used", for an access key.
    func keyLastUsed(_ key: IAMShapes.AccessKeyMetadata, _ request: Request) async -> String {
        guard case .success(let output) = await call(IAMOperation.GetAccessKeyLastUsed.self, ["AccessKeyId": key.accessKeyId ?? ""], request),
            let used = output.accessKeyLastUsed, let date = used.lastUsedDate
        else {
            let age = key.createDate.map { now - $0.secondsSince1970 } ?? 0
            return age < 86400 ? "Never used. Created today." : "Never used. Created \(ago(key.createDate))."
        }
        return "Used \(ago(date)). Service: \(used.serviceName). Region: \(used.region)."
    }

    private func userPermissionsTab(_ user: IAMShapes.User, _ request: Request) async -> HTML {
        let name = user.userName ?? ""
        var rows: [HTML] = []
        var problems: [HTML] = []
        func removeButton(_ action: String, _ field: String, _ value: String, _ label: String) -> HTML {
            """
            <form method="post" action="\(Self.userPath(name))/\(action)">\(Self.token(request))\
            <input type="hidden" name="\(field)" value="\(value)"><button type="submit" aria-label="Remove \(label)">Remove</button></form>
            """
        }
        switch await all(IAMOperation.ListAttachedUserPolicies.self, ["UserName": name], request, items: { $0.attachedPolicies ?? [] },
                         marker: { $0.isTruncated == true ? $0.marker : nil }) {
        case .failure(let error): problems.append(Layout.Alert.failure(error).html)
        case .success(let attached):
            for policy in attached {
                let arn = policy.policyArn ?? ""
                let type = arn.hasPrefix("arn:aws:iam::aws:policy/") ? "AWS managed" : "Customer managed"
                rows.append("""
                    <tr><td><a href="\(Self.policyPath(arn))">\(policy.policyName ?? "")</a></td><td>\(type)</td><td>Directly</td>\
                    <td>\(removeButton("detach", "PolicyArn", arn, policy.policyName ?? ""))</td></tr>
                    """)
            }
        }
        switch await all(IAMOperation.ListUserPolicies.self, ["UserName": name], request, items: \.policyNames,
                         marker: { $0.isTruncated == true ? $0.marker : nil }) {
        case .failure(let error): problems.append(Layout.Alert.failure(error).html)
        case .success(let names):
            for policyName in names {
                rows.append("<tr><td>\(policyName)</td><td>Customer inline</td><td>Directly</td><td>\(removeButton("inline/delete", "PolicyName", policyName, policyName))</td></tr>")
            }
        }
        // What the user's groups grant, as AWS lists it: "Attached via" the group.
        if case .success(let groups) = await call(IAMOperation.ListGroupsForUser.self, ["UserName": name], request) {
            for group in groups.groups {
                if case .success(let attached) = await call(IAMOperation.ListAttachedGroupPolicies.self, ["GroupName": group.groupName], request) {
                    for policy in attached.attachedPolicies ?? [] {
                        let arn = policy.policyArn ?? ""
                        let type = arn.hasPrefix("arn:aws:iam::aws:policy/") ? "AWS managed" : "Customer managed"
                        rows.append("""
                            <tr><td><a href="\(Self.policyPath(arn))">\(policy.policyName ?? "")</a></td><td>\(type)</td>\
                            <td>Group <a href="\(Self.groupPath(group.groupName))">\(group.groupName)</a></td><td></td></tr>
                            """)
                    }
                }
            }
        }
        let boundary: HTML = user.permissionsBoundary?.permissionsBoundaryArn.map { arn in
            """
            <p><a href="\(Self.policyPath(arn))">\(arn)</a></p>
            <form method="post" action="\(Self.userPath(name))/boundary/delete">\(Self.token(request))<button type="submit">Remove boundary</button></form>
            """
        } ?? "<p>Permissions boundary is not set.</p>"
        return """
            \(problems)
            <section class="panel">
            <header><div><h2>Permissions policies (\(rows.count))</h2><p>Permissions are defined by policies attached to the user directly or through groups.</p></div>
            <div class="actions"><a class="button primary" href="\(Self.userPath(name))/permissions/add">Add permissions</a></div></header>
            <div class="content">
            <table class="list"><thead><tr><th scope="col">Policy name</th><th scope="col">Type</th><th scope="col">Attached via</th>\
            <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"4\">No resources to display</td></tr>" : rows.joined())</tbody></table>
            </div></section>
            <section class="panel"><header><h2>Permissions boundary</h2></header><div class="content">\(boundary)</div></section>
            """
    }

    private func userGroupsTab(_ name: String, _ request: Request) async -> HTML {
        let groups: [IAMShapes.Group]
        switch await all(IAMOperation.ListGroupsForUser.self, ["UserName": name], request, items: \.groups,
                         marker: { $0.isTruncated == true ? $0.marker : nil }) {
        case .failure(let error): return Layout.Alert.failure(error).html
        case .success(let found): groups = found
        }
        let rows: [HTML] = groups.map { group in
            """
            <tr><td><a href="\(Self.groupPath(group.groupName))">\(group.groupName)</a></td><td>\(ago(group.createDate))</td>\
            <td><form method="post" action="\(Self.userPath(name))/groups/remove">\(Self.token(request))\
            <input type="hidden" name="GroupName" value="\(group.groupName)"><button type="submit" aria-label="Remove from \(group.groupName)">Remove</button></form></td></tr>
            """
        }
        return """
            <section class="panel">
            <header><h2>User groups membership (\(groups.count))</h2>
            <div class="actions"><a class="button primary" href="\(Self.userPath(name))/groups/add">Add user to groups</a></div></header>
            <div class="content"><table class="list"><thead><tr><th scope="col">Group name</th><th scope="col">Creation time</th>\
            <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"3\">No resources to display</td></tr>" : rows.joined())</tbody></table></div>
            </section>
            """
    }

    private func userTagsTab(_ name: String, _ request: Request) async -> HTML {
        let tags: [IAMShapes.Tag]
        switch await call(IAMOperation.ListUserTags.self, ["UserName": name], request) {
        case .failure(let error): return Layout.Alert.failure(error).html
        case .success(let output): tags = output.tags
        }
        let rows: [HTML] = tags.map { "<tr><td>\($0.key)</td><td>\($0.value)</td></tr>" }
        return """
            <section class="panel">
            <header><h2>Tags (\(tags.count))</h2><div class="actions"><a class="button" href="\(Self.userPath(name))/tags">Manage tags</a></div></header>
            <div class="content"><table class="list"><thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"2\">No tags associated with the resource.</td></tr>" : rows.joined())</tbody></table></div>
            </section>
            """
    }

    // MARK: - Changes from a user's page

    /// One IAM change from the user's page, then back to a tab with AWS's answer.
    func userChange<Op: QueryOperation>(
        _ request: Request, user: String, tab: String, _ operation: Op.Type, _ parameters: [String: String], done: String
    ) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        switch await call(operation, parameters, request) {
        case .failure(let error): flash(.failure(error), for: request.session)
        case .success: flash(.success(done), for: request.session)
        }
        return .redirect(Self.userPath(user, tab: tab))
    }

    /// "Add permissions": Add user to group, or Attach policies directly.
    public func addUserPermissionsPage(_ request: Request, user: String) async -> ConsoleReply {
        let option = request.query["option"] ?? "groups"
        let groups = await groupChoices(request, selected: [])
        let policies = await policyChoices(request, selected: [], id: "user-policies")
        func checked(_ value: String) -> HTML { option == value ? " checked" : .empty }
        return page(
            request, title: "Add permissions | IAM", current: "/console/iam/users",
            breadcrumbs: [("IAM", "/console/iam"), ("Users", "/console/iam/users"), (user, Self.userPath(user)), ("Add permissions", nil)],
            scripts: [.userPages],
            body: """
                <h1>Add permissions</h1>
                <form method="post" action="\(Self.userPath(user))/permissions/add">\(Self.token(request))
                <section class="panel"><header><h2>Permissions options</h2></header><div class="content">
                <fieldset class="choices tiles-choice"><legend class="visually-hidden">Permissions options</legend>
                <div class="choice"><input type="radio" id="option-groups" name="PermissionsOption" value="groups"\(checked("groups"))>
                <label for="option-groups">Add user to group</label></div>
                <div class="choice"><input type="radio" id="option-policies" name="PermissionsOption" value="policies"\(checked("policies"))>
                <label for="option-policies">Attach policies directly</label></div>
                </fieldset></div></section>
                <section class="panel" data-show-when="PermissionsOption=groups"><header><h2>User groups</h2></header><div class="content">\(groups)</div></section>
                <section class="panel" data-show-when="PermissionsOption=policies"><header><h2>Other permissions policies</h2></header><div class="content">\(policies)</div></section>
                <div class="actions end"><a class="button" href="\(Self.userPath(user))">Cancel</a><button type="submit" class="primary">Add permissions</button></div>
                </form>
                """)
    }

    /// AddUserToGroup or AttachUserPolicy for each box checked under the option chosen.
    public func addUserPermissions(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        var added = 0
        if request.field("PermissionsOption") == "policies" {
            for arn in Self.values(request, "PolicyArn") {
                switch await call(IAMOperation.AttachUserPolicy.self, ["UserName": user, "PolicyArn": arn], request) {
                case .failure(let error): flash(.failure(error), for: request.session)
                case .success: added += 1
                }
            }
            if added > 0 { flash(.success("Policy was successfully attached to user."), for: request.session) }
        } else {
            for group in Self.values(request, "GroupName") {
                switch await call(IAMOperation.AddUserToGroup.self, ["UserName": user, "GroupName": group], request) {
                case .failure(let error): flash(.failure(error), for: request.session)
                case .success: added += 1
                }
            }
            if added > 0 { flash(.success("User added to group."), for: request.session) }
        }
        return .redirect(Self.userPath(user, tab: "permissions"))
    }

    /// "Add user to groups": the groups the user is not in.
    public func addUserToGroupsPage(_ request: Request, user: String) async -> ConsoleReply {
        let current: [String] = switch await call(IAMOperation.ListGroupsForUser.self, ["UserName": user], request) {
        case .success(let output): output.groups.map(\.groupName)
        case .failure: []
        }
        let groups = await groupChoices(request, selected: [], except: Set(current))
        return page(
            request, title: "Add user to groups | IAM", current: "/console/iam/users",
            breadcrumbs: [("IAM", "/console/iam"), ("Users", "/console/iam/users"), (user, Self.userPath(user)), ("Add user to groups", nil)],
            scripts: [.userPages],
            body: """
                <h1>Add user to groups</h1>
                <form method="post" action="\(Self.userPath(user))/groups/add">\(Self.token(request))
                <section class="panel"><header><h2>User groups</h2></header><div class="content">\(groups)</div></section>
                <div class="actions end"><a class="button" href="\(Self.userPath(user, tab: "groups"))">Cancel</a><button type="submit" class="primary">Add user to groups</button></div>
                </form>
                """)
    }

    public func addUserToGroups(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        var added = 0
        for group in Self.values(request, "GroupName") {
            switch await call(IAMOperation.AddUserToGroup.self, ["UserName": user, "GroupName": group], request) {
            case .failure(let error): flash(.failure(error), for: request.session)
            case .success: added += 1
            }
        }
        if added > 0 { flash(.success("User added to \(added) group\(added == 1 ? "" : "s")."), for: request.session) }
        return .redirect(Self.userPath(user, tab: "groups"))
    }

    /// Manage tags: the user's tags as editable rows.
    public func userTagsPage(_ request: Request, user: String) async -> ConsoleReply {
        let tags: [IAMShapes.Tag] = switch await call(IAMOperation.ListUserTags.self, ["UserName": user], request) {
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
            request, title: "Manage tags | IAM", current: "/console/iam/users",
            breadcrumbs: [("IAM", "/console/iam"), ("Users", "/console/iam/users"), (user, Self.userPath(user)), ("Manage tags", nil)],
            scripts: [.userPages],
            body: """
                <h1>Manage tags</h1>
                <form method="post" action="\(Self.userPath(user))/tags">\(Self.token(request))
                <section class="panel"><div class="content"><p class="hint">Clear a key to remove its tag; fill the empty row to add one.</p>\(rows)</div></section>
                <div class="actions end"><a class="button" href="\(Self.userPath(user, tab: "tags"))">Cancel</a><button type="submit" class="primary">Save changes</button></div>
                </form>
                """)
    }

    /// "Save changes": TagUser first (IAM checks every new key and value
    /// before writing), then UntagUser for the keys removed.
    public func saveUserTags(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let wanted = Self.tags(in: request)
        let current: [IAMShapes.Tag] = switch await call(IAMOperation.ListUserTags.self, ["UserName": user], request) {
        case .success(let output): output.tags
        case .failure: []
        }
        if !wanted.isEmpty {
            let parameters = Self.tagParameters(wanted).merging(["UserName": user]) { $1 }
            if case .failure(let error) = await call(IAMOperation.TagUser.self, parameters, request) {
                flash(.failure(error), for: request.session)
                return .redirect(Self.userPath(user, tab: "tags"))
            }
        }
        let removed = current.map(\.key).filter { key in !wanted.contains { $0.0 == key } }
        if !removed.isEmpty {
            var parameters = ["UserName": user]
            for (i, key) in removed.enumerated() { parameters["TagKeys.member.\(i + 1)"] = key }
            if case .failure(let error) = await call(IAMOperation.UntagUser.self, parameters, request) {
                flash(.failure(error), for: request.session)
                return .redirect(Self.userPath(user, tab: "tags"))
            }
        }
        flash(.success("Tags saved."), for: request.session)
        return .redirect(Self.userPath(user, tab: "tags"))
    }
}

extension ConsoleApp {
    static let userDetailsRoutes: [ConsoleRoute] = {
        let user = "iam/users/details/:user"
        return [
            .get(user) { app, request in await app.user(request, name: request.parameter("user")) },
            .post(user + "/detach") { app, request in
                let name = request.parameter("user")
                return await app.userChange(request, user: name, tab: "permissions", IAMOperation.DetachUserPolicy.self,
                                            ["UserName": name, "PolicyArn": request.field("PolicyArn") ?? ""], done: "Policy removed.")
            },
            .post(user + "/inline/delete") { app, request in
                let name = request.parameter("user")
                return await app.userChange(request, user: name, tab: "permissions", IAMOperation.DeleteUserPolicy.self,
                                            ["UserName": name, "PolicyName": request.field("PolicyName") ?? ""], done: "Inline policy removed.")
            },
            .post(user + "/boundary/delete") { app, request in
                let name = request.parameter("user")
                return await app.userChange(request, user: name, tab: "permissions", IAMOperation.DeleteUserPermissionsBoundary.self,
                                            ["UserName": name], done: "Permissions boundary removed.")
            },
            .get(user + "/permissions/add") { app, request in await app.addUserPermissionsPage(request, user: request.parameter("user")) },
            .post(user + "/permissions/add") { app, request in await app.addUserPermissions(request, user: request.parameter("user")) },
            .get(user + "/groups/add") { app, request in await app.addUserToGroupsPage(request, user: request.parameter("user")) },
            .post(user + "/groups/add") { app, request in await app.addUserToGroups(request, user: request.parameter("user")) },
            .post(user + "/groups/remove") { app, request in
                let name = request.parameter("user")
                let group = request.field("GroupName") ?? ""
                return await app.userChange(request, user: name, tab: "groups", IAMOperation.RemoveUserFromGroup.self,
                                            ["UserName": name, "GroupName": group], done: "User removed from group \(group).")
            },
            .get(user + "/tags") { app, request in await app.userTagsPage(request, user: request.parameter("user")) },
            .post(user + "/tags") { app, request in await app.saveUserTags(request, user: request.parameter("user")) },
        ]
    }()
}
