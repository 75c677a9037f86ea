import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// IAM › Users: the list, the Create user wizard (Specify user details, Set
/// permissions, Review and create) and the "Retrieve password" page that
/// follows it. A user's own page is UserDetailsPages.swift; its Security
/// credentials tab is SecurityCredentialsPages.swift.
extension ConsoleApp {
    static func userPath(_ name: String, tab: String? = nil) -> String {
        "/console/iam/users/details/" + XMLWriter.percentEncode(name) + (tab.map { "?tab=" + $0 } ?? "")
    }

    /// The session's CSRF token as a form field.
    static func token(_ request: Request) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(request.session.csrfToken)\">"
    }

    /// "5 minutes ago", as AWS's lists show ages.
    func ago(_ time: Timestamp?) -> String {
        guard let time else { return "-" }
        let seconds = max(0, now - time.secondsSince1970)
        func unit(_ n: Int, _ name: String) -> String { "\(n) \(name)\(n == 1 ? "" : "s") ago" }
        switch seconds {
        case ..<60: return "Now"
        case ..<3600: return unit(Int(seconds / 60), "minute")
        case ..<86400: return unit(Int(seconds / 3600), "hour")
        default: return unit(Int(seconds / 86400), "day")
        }
    }

    /// Whole days since `time` ("0 days", "1 day", "12 days"), as Password age reads.
    func days(since time: Timestamp) -> String {
        let n = Int(max(0, now - time.secondsSince1970) / 86400)
        return "\(n) day\(n == 1 ? "" : "s")"
    }

    /// A CSV file as a `data:` URL for a download link: made in the page that
    /// shows the secret, so the console never keeps it to serve it later.
    static func csvDataURL(_ rows: [[String]]) -> String {
        func field(_ value: String) -> String {
            value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + value.replacing("\"", with: "\"\"") + "\"" : value
        }
        let text = rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        return "data:text/csv;charset=utf-8," + XMLWriter.percentEncode(text)
    }

    /// The sign-in URL IAM users of this account use.
    var signInURL: String { "http://\(advertisedHost)/console" }

    // MARK: - Users list

    /// One row of the Users list: what AWS's list shows, from the user's own list operations.
    private func userRow(_ user: IAMShapes.User, _ request: Request) async -> HTML {
        let name = user.userName ?? ""
        let groups: [String] = switch await call(IAMOperation.ListGroupsForUser.self, ["UserName": name], request) {
        case .success(let output): output.groups.map(\.groupName)
        case .failure: []
        }
        let mfa: [IAMShapes.MFADevice] = switch await call(IAMOperation.ListMFADevices.self, ["UserName": name], request) {
        case .success(let output): output.mfaDevices
        case .failure: []
        }
        let profile: IAMShapes.LoginProfile? = switch await call(IAMOperation.GetLoginProfile.self, ["UserName": name], request) {
        case .success(let output): output.loginProfile
        case .failure: nil
        }
        let keys: [IAMShapes.AccessKeyMetadata] = switch await call(IAMOperation.ListAccessKeys.self, ["UserName": name], request) {
        case .success(let output): output.accessKeyMetadata
        case .failure: []
        }
        var lastActivity = user.passwordLastUsed
        for key in keys {
            if case .success(let used) = await call(IAMOperation.GetAccessKeyLastUsed.self, ["AccessKeyId": key.accessKeyId ?? ""], request),
                let date = used.accessKeyLastUsed?.lastUsedDate, lastActivity.map({ date > $0 }) ?? true
            {
                lastActivity = date
            }
        }
        let keyCells: [HTML] = keys.map { "<div>\($0.status ?? "") - \($0.accessKeyId ?? "")</div>" }
        let mfaText = mfa.isEmpty ? "-" : mfa.map { $0.serialNumber.contains(":mfa/") ? "Virtual" : "Hardware" }.joined(separator: ", ")
        return """
            <tr><td><a href="\(Self.userPath(name))">\(name)</a></td><td>\(user.path ?? "/")</td>\
            <td>\(groups.isEmpty ? "-" : groups.joined(separator: ", "))</td><td>\(lastActivity == nil ? "Never" : ago(lastActivity))</td>\
            <td>\(mfaText)</td><td>\(profile.map { days(since: $0.createDate) } ?? "-")</td>\
            <td>\(profile == nil ? "-" : (user.passwordLastUsed == nil ? "Never" : ago(user.passwordLastUsed)))</td>\
            <td>\(keyCells.isEmpty ? "-" : keyCells.joined())</td><td>\(ago(user.createDate))</td></tr>
            """
    }

    /// IAM › Users.
    public func users(_ request: Request) async -> ConsoleReply {
        let search = request.query["search"] ?? ""
        var alerts: [Layout.Alert] = []
        var matching: [IAMShapes.User] = []
        switch await all(IAMOperation.ListUsers.self, [:], request, items: \.users, marker: { $0.isTruncated == true ? $0.marker : nil }) {
        case .failure(let error): alerts.append(.failure(error))
        case .success(let users):
            matching = users.filter { search.isEmpty || ($0.userName ?? "").lowercased().contains(search.lowercased()) }
        }
        let (shown, pager) = paginate(matching, request: request, path: "/console/iam/users")
        // Each row asks IAM four or five questions of its own, as AWS's console does; the rows ask at once.
        let rows: [HTML] = await withTaskGroup(of: (Int, HTML).self) { group in
            for (index, user) in shown.enumerated() { group.addTask { (index, await self.userRow(user, request)) } }
            var rows = [HTML](repeating: .empty, count: shown.count)
            for await (index, row) in group { rows[index] = row }
            return rows
        }
        let headers = ["User name", "Path", "Groups", "Last activity", "MFA", "Password age", "Console last sign-in", "Access key ID", "Creation time"]
        let headerCells: [HTML] = headers.map { "<th scope=\"col\">\($0)</th>" }
        return page(
            request, title: "Users | IAM", current: "/console/iam/users", breadcrumbs: [("IAM", "/console/iam"), ("Users", nil)],
            alerts: alerts,
            scripts: [.userPages],
            body: """
                <div class="page-header"><div><h1>Users (\(matching.count))</h1>
                <p class="description">An IAM user is an identity with long-term credentials that is used to interact with AWS in an account.</p></div>
                <div class="actions"><a class="button primary" href="/console/iam/users/create">Create user</a></div></div>
                <section class="panel"><div class="content">
                <form class="filters" method="get" action="/console/iam/users" role="search">
                <input type="search" name="search" value="\(search)" aria-label="Search" placeholder="Search">
                <button type="submit">Search</button>
                </form>
                <div class="table-scroll"><table class="list"><thead><tr>\(headerCells)</tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"9\">No resources to display</td></tr>" : rows.joined())</tbody></table></div>
                \(pager)
                </div></section>
                """)
    }

    // MARK: - Create user

    /// The fields each wizard step shows; the other steps' fields ride along hidden.
    static let wizardFields: [String: [String]] = [
        "details": ["UserName", "ConsoleAccess", "PasswordType", "Password", "PasswordResetRequired"],
        "permissions": ["PermissionsOption", "GroupName", "PolicyArn"],
        "review": [],
    ]

    /// The form's fields that belong to other steps, as hidden inputs.
    static func carried(_ request: Request, except step: String) -> HTML {
        let own = Set(wizardFields[step] ?? [])
        let fields: [HTML] = request.form.filter { name, _ in
            name != "csrf" && name != "step" && !own.contains(name) && !(step == "review" && name.hasPrefix("Tags.member."))
        }.map { name, value in "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">" }
        return fields.joined()
    }

    static func values(_ request: Request, _ name: String) -> [String] {
        request.form.filter { $0.0 == name }.map(\.1)
    }

    /// The wizard's step list, as AWS draws it on the left.
    static func wizardSteps(_ current: Int) -> HTML {
        let steps = ["Specify user details", "Set permissions", "Review and create"]
        let items: [HTML] = steps.enumerated().map { i, name in
            "<li\(i == current ? HTML(trusted: " aria-current=\"step\" class=\"current\"") : .empty)><span class=\"step-number\">Step \(i + 1)</span><span class=\"step-name\">\(name)</span></li>"
        }
        return "<nav class=\"wizard-steps\" aria-label=\"Steps\"><ol>\(items)</ol></nav>"
    }

    /// IAM › Users › Create user, at one of its steps.
    func createUserPage(_ request: Request, step: String = "details", alerts: [Layout.Alert] = [], status: Int = 200) async -> ConsoleReply {
        let fresh = request.field("UserName") == nil
        let body: HTML
        switch step {
        case "permissions": body = await permissionsStep(request)
        case "review": body = await reviewStep(request)
        default: body = detailsStep(request, fresh: fresh)
        }
        let index = ["details": 0, "permissions": 1, "review": 2][step] ?? 0
        return page(
            request, title: "Create user | IAM", current: "/console/iam/users",
            breadcrumbs: [("IAM", "/console/iam"), ("Users", "/console/iam/users"), ("Create user", nil)],
            alerts: alerts, scripts: [.userPages], status: status,
            body: """
                <div class="wizard">\(Self.wizardSteps(index))
                <form class="wizard-main" method="post" action="/console/iam/users/create">\(Self.token(request))
                \(Self.carried(request, except: step))
                \(body)
                </form></div>
                """)
    }

    private func detailsStep(_ request: Request, fresh: Bool) -> HTML {
        let console = request.field("ConsoleAccess") == "true"
        let custom = request.field("PasswordType") == "custom"
        let reset = fresh || request.field("PasswordResetRequired") == "true"
        func checked(_ on: Bool) -> HTML { on ? " checked" : .empty }
        return """
            <h1>Specify user details</h1>
            <section class="panel"><header><h2>User details</h2></header><div class="content">
            <div class="field"><label for="user-name">User name</label>
            <input id="user-name" name="UserName" value="\(request.field("UserName") ?? "")" autocomplete="off">
            <span class="hint">The user name can have up to 64 characters. Valid characters: A-Z, a-z, 0-9, and + = , . @ _ - (hyphen)</span></div>
            <div class="choice"><input type="checkbox" id="console-access" name="ConsoleAccess" value="true"\(checked(console))>
            <label for="console-access">Provide user access to the AWS Management Console - optional</label></div>
            <div data-show-when="ConsoleAccess=true">
            <fieldset class="choices"><legend>Console password</legend>
            <div class="choice"><input type="radio" id="password-auto" name="PasswordType" value="autogenerated"\(checked(!custom))>
            <label for="password-auto">Autogenerated password</label><span class="hint">You can view the password after you create the user.</span></div>
            <div class="choice"><input type="radio" id="password-custom" name="PasswordType" value="custom"\(checked(custom))>
            <label for="password-custom">Custom password</label></div>
            <div class="field nested" data-show-when="PasswordType=custom"><label for="custom-password">Custom password</label>
            <input type="password" id="custom-password" name="Password" value="\(request.field("Password") ?? "")" autocomplete="new-password">
            <span class="hint">Must meet the account's password policy.</span></div>
            </fieldset>
            <div class="choice"><input type="checkbox" id="password-reset" name="PasswordResetRequired" value="true"\(checked(reset))>
            <label for="password-reset">Users must create a new password at next sign-in - Recommended</label></div>
            <p class="hint">Users automatically get the IAMUserChangePassword policy to allow them to change their own password.</p>
            </div>
            </div></section>
            <div class="actions end"><a class="button" href="/console/iam/users">Cancel</a>\
            <button type="submit" class="primary" name="step" value="permissions">Next</button></div>
            """
    }

    /// A managed policy table with checkboxes and a filter (user-pages.js), every policy on one page.
    func policyChoices(_ request: Request, selected: Set<String>, id: String) async -> HTML {
        switch await managedPolicies(request) {
        case .failure(let error):
            return Layout.Alert.failure(error).html
        case .success(var policies):
            policies.sort { a, b in
                let (ta, tb) = (PolicyType(a) == .customerManaged ? 0 : 1, PolicyType(b) == .customerManaged ? 0 : 1)
                return ta != tb ? ta < tb : (a.policyName ?? "").lowercased() < (b.policyName ?? "").lowercased()
            }
            let rows: [HTML] = policies.map { policy in
                let arn = policy.arn ?? ""
                return """
                    <tr><td><input type="checkbox" name="PolicyArn" value="\(arn)" aria-label="\(policy.policyName ?? "")"\
                    \(selected.contains(arn) ? HTML(trusted: " checked") : .empty)></td>\
                    <td>\(policy.policyName ?? "")</td><td>\(PolicyType(policy).rawValue)</td></tr>
                    """
            }
            return """
                <div class="filters"><input type="search" data-filter="\(id)" aria-label="Search policies" placeholder="Filter policies by name"></div>
                <div class="table-scroll tall"><table class="list" id="\(id)"><thead><tr><th scope="col"><span class="visually-hidden">Select</span></th>\
                <th scope="col">Policy name</th><th scope="col">Type</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """
        }
    }

    /// The account's groups with checkboxes (ListGroups), or AWS's refusal.
    func groupChoices(_ request: Request, selected: Set<String>, except: Set<String> = []) async -> HTML {
        switch await all(IAMOperation.ListGroups.self, [:], request, items: \.groups, marker: { $0.isTruncated == true ? $0.marker : nil }) {
        case .failure(let error):
            return Layout.Alert.failure(error).html
        case .success(let groups):
            let rows: [HTML] = groups.filter { !except.contains($0.groupName) }.map { group in
                """
                <tr><td><input type="checkbox" name="GroupName" value="\(group.groupName)" aria-label="\(group.groupName)"\
                \(selected.contains(group.groupName) ? HTML(trusted: " checked") : .empty)></td>\
                <td><a href="\(Self.groupPath(group.groupName))">\(group.groupName)</a></td><td>\(ago(group.createDate))</td></tr>
                """
            }
            return """
                <table class="list"><thead><tr><th scope="col"><span class="visually-hidden">Select</span></th>\
                <th scope="col">Group name</th><th scope="col">Creation time</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"3\">No resources to display</td></tr>" : rows.joined())</tbody></table>
                """
        }
    }

    private func permissionsStep(_ request: Request) async -> HTML {
        let option = request.field("PermissionsOption") ?? "groups"
        func checked(_ value: String) -> HTML { option == value ? " checked" : .empty }
        let groups = await groupChoices(request, selected: Set(Self.values(request, "GroupName")))
        let policies = await policyChoices(request, selected: Set(Self.values(request, "PolicyArn")), id: "user-policies")
        return """
            <h1>Set permissions</h1>
            <section class="panel"><header><div><h2>Permissions options</h2></div></header><div class="content">
            <fieldset class="choices tiles-choice"><legend class="visually-hidden">Permissions options</legend>
            <div class="choice"><input type="radio" id="option-groups" name="PermissionsOption" value="groups"\(checked("groups"))>
            <label for="option-groups">Add user to group</label><span class="hint">Add user to an existing group, or create a new group. We recommend using groups to manage user permissions by job function.</span></div>
            <div class="choice"><input type="radio" id="option-policies" name="PermissionsOption" value="policies"\(checked("policies"))>
            <label for="option-policies">Attach policies directly</label><span class="hint">Attach a managed policy directly to a user. As a best practice, we recommend attaching policies to a group instead.</span></div>
            </fieldset></div></section>
            <section class="panel" data-show-when="PermissionsOption=groups"><header><h2>User groups</h2></header><div class="content">\(groups)</div></section>
            <section class="panel" data-show-when="PermissionsOption=policies"><header><h2>Permissions policies</h2></header><div class="content">\(policies)</div></section>
            <div class="actions end"><a class="button" href="/console/iam/users">Cancel</a>\
            <button type="submit" name="step" value="details">Previous</button>\
            <button type="submit" class="primary" name="step" value="review">Next</button></div>
            """
    }

    /// What the wizard will do: the groups and policies of the option chosen.
    /// With a password to reset, AWS's console also attaches IAMUserChangePassword, so the user can reset it.
    static func chosen(_ request: Request) -> (groups: [String], policies: [String]) {
        let option = request.field("PermissionsOption") ?? "groups"
        var (groups, policies) = option == "policies" ? ([], values(request, "PolicyArn")) : (values(request, "GroupName"), [])
        if request.field("ConsoleAccess") == "true", request.field("PasswordResetRequired") == "true", !policies.contains(changePasswordPolicy) {
            policies.append(changePasswordPolicy)
        }
        return (groups, policies)
    }

    private func reviewStep(_ request: Request) async -> HTML {
        let console = request.field("ConsoleAccess") == "true"
        let (groups, policies) = Self.chosen(request)
        var rows: [HTML] = groups.map { "<tr><td>\($0)</td><td>Group</td><td>Permissions group</td></tr>" }
        rows += policies.map { arn in
            let name = arn.split(separator: "/").last.map(String.init) ?? arn
            let type = arn.hasPrefix("arn:aws:iam::aws:policy/") ? "AWS managed" : "Customer managed"
            return "<tr><td>\(name)</td><td>\(type)</td><td>Permissions policy</td></tr>"
        }
        var tags = Self.tags(in: request)
        tags.append(("", ""))
        let tagRows: [HTML] = tags.enumerated().map { i, tag in
            """
            <div class="filters"><div class="field"><label for="tag-key-\(i + 1)">Key</label>\
            <input id="tag-key-\(i + 1)" name="Tags.member.\(i + 1).Key" value="\(tag.0)"></div>\
            <div class="field"><label for="tag-value-\(i + 1)">Value - optional</label>\
            <input id="tag-value-\(i + 1)" name="Tags.member.\(i + 1).Value" value="\(tag.1)"></div></div>
            """
        }
        let password = !console ? "None" : (request.field("PasswordType") == "custom" ? "Custom password" : "Autogenerated password")
        return """
            <h1>Review and create</h1>
            <p class="description">Review your choices. After you create the user, you can view and download the autogenerated password, if enabled.</p>
            <section class="panel"><header><h2>User details</h2></header><div class="content"><dl class="key-values">
            <div><dt>User name</dt><dd>\(request.field("UserName") ?? "")</dd></div>
            <div><dt>Console password type</dt><dd>\(password)</dd></div>
            <div><dt>Require password reset</dt><dd>\(console && request.field("PasswordResetRequired") == "true" ? "Yes" : "No")</dd></div>
            </dl></div></section>
            <section class="panel"><header><h2>Permissions summary</h2></header><div class="content">
            <table class="list"><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Used as</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"3\">No resources to display</td></tr>" : rows.joined())</tbody></table>
            </div></section>
            <section class="panel"><header><div><h2>Tags - optional</h2><p>Tags are key-value pairs you can add to AWS resources to help identify, organize, or search for resources.</p></div></header>
            <div class="content">\(tagRows)<button type="submit" name="step" value="review">Add new tag</button></div></section>
            <div class="actions end"><a class="button" href="/console/iam/users">Cancel</a>\
            <button type="submit" name="step" value="permissions">Previous</button>\
            <button type="submit" class="primary" name="step" value="create">Create user</button></div>
            """
    }

    /// The wizard's buttons: each step posts every field so far; "Create user" makes the user.
    public func createUserStep(_ request: Request) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let step = request.field("step") ?? "details"
        if step != "details" {
            // What can be checked before anything is written.
            var problems: [String] = []
            if (request.field("UserName") ?? "").isEmpty { problems.append("User name is required.") }
            if request.field("ConsoleAccess") == "true", request.field("PasswordType") == "custom", (request.field("Password") ?? "").isEmpty {
                problems.append("Custom password is required.")
            }
            if !problems.isEmpty {
                return await createUserPage(request, step: "details", alerts: problems.map { .error($0) }, status: 400)
            }
        }
        if step == "create" { return await createUser(request) }
        return await createUserPage(request, step: step)
    }

    /// The password policy that applies: the account's, or nil for IAM's default.
    func passwordPolicy(_ request: Request) async -> Result<IAMShapes.PasswordPolicy?, AWSError> {
        switch await call(IAMOperation.GetAccountPasswordPolicy.self, [:], request) {
        case .success(let output): .success(output.passwordPolicy)
        case .failure(let error) where error.code == "NoSuchEntity": .success(nil)
        case .failure(let error): .failure(error)
        }
    }

    /// A password the policy accepts: at least 16 characters (more if the
    /// policy asks) with upper and lower case letters, digits and AWS's symbols.
    func generatePassword(_ policy: IAMShapes.PasswordPolicy?) -> String {
        let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), lower = Array("abcdefghijkmnopqrstuvwxyz"), digits = Array("23456789")
        let symbols = Array("!@#$%^&*()_+-=[]{}|")
        let all = upper + lower + digits + symbols
        let length = max(16, policy?.minimumPasswordLength ?? 8)
        let random = environment.ids.randomBytes(length * 2)
        var characters: [Character] = [upper, lower, digits, symbols].enumerated().map { i, set in set[Int(random[i]) % set.count] }
        for i in characters.count..<length { characters.append(all[Int(random[i]) % all.count]) }
        // Shuffle with the remaining random bytes so the kinds are not always first.
        for i in stride(from: characters.count - 1, to: 0, by: -1) {
            characters.swapAt(i, Int(random[length + i]) % (i + 1))
        }
        return String(characters)
    }

    static let changePasswordPolicy = "arn:aws:iam::aws:policy/IAMUserChangePassword"

    /// "Create user": CreateUser (with the tags), then CreateLoginProfile —
    /// and if IAM refuses the password, DeleteUser, so that a refused
    /// password leaves no user — then AddUserToGroup or AttachUserPolicy for
    /// each choice. A later refusal is shown with what was done.
    func createUser(_ request: Request) async -> ConsoleReply {
        let name = request.field("UserName") ?? ""
        let console = request.field("ConsoleAccess") == "true"
        var password = request.field("PasswordType") == "custom" ? (request.field("Password") ?? "") : ""
        if console && password.isEmpty {
            switch await passwordPolicy(request) {
            case .failure(let error): return await createUserPage(request, step: "review", alerts: [.failure(error)], status: error.status)
            case .success(let policy): password = generatePassword(policy)
            }
        }
        let parameters = Self.tagParameters(Self.tags(in: request)).merging(["UserName": name]) { $1 }
        if case .failure(let error) = await call(IAMOperation.CreateUser.self, parameters, request) {
            return await createUserPage(request, step: "review", alerts: [.failure(error)], status: error.status)
        }
        if console {
            let reset = request.field("PasswordResetRequired") == "true" ? "true" : "false"
            if case .failure(let error) = await call(
                IAMOperation.CreateLoginProfile.self, ["UserName": name, "Password": password, "PasswordResetRequired": reset], request)
            {
                let undone = await call(IAMOperation.DeleteUser.self, ["UserName": name], request)
                let note: Layout.Alert = switch undone {
                case .success: .info("The user was not created: IAM refused its console password, so the console deleted the user it had just created.")
                case .failure(let deleteError):
                    .error("User \(name) was created without console access, and could not be deleted again: \(deleteError.said)")
                }
                return await createUserPage(request, step: "review", alerts: [.failure(error), note], status: error.status)
            }
        }
        var done: [Layout.Alert] = [.success("User created successfully")]
        let (groups, policies) = Self.chosen(request)
        for group in groups {
            if case .failure(let error) = await call(IAMOperation.AddUserToGroup.self, ["UserName": name, "GroupName": group], request) {
                done.append(.error("User \(name) was created, but was not added to group \(group): \(error.said)"))
            }
        }
        for arn in policies {
            if case .failure(let error) = await call(IAMOperation.AttachUserPolicy.self, ["UserName": name, "PolicyArn": arn], request) {
                done.append(.error("User \(name) was created, but policy \(arn) was not attached: \(error.said)"))
            }
        }
        guard console else {
            for alert in done { flash(alert, for: request.session) }
            return .redirect("/console/iam/users")
        }
        return retrievePasswordPage(request, userName: name, password: password, alerts: done, back: "/console/iam/users")
    }

    /// "Retrieve password": the sign-in URL, user name and password, shown
    /// once, with the CSV AWS's console offers (made here, kept nowhere).
    func retrievePasswordPage(_ request: Request, userName: String, password: String, alerts: [Layout.Alert], back: String) -> ConsoleReply {
        let csv = Self.csvDataURL([["User name", "Password", "Console sign-in URL"], [userName, password, signInURL]])
        return page(
            request, title: "Retrieve password | IAM", current: "/console/iam/users",
            breadcrumbs: [("IAM", "/console/iam"), ("Users", "/console/iam/users"), ("Retrieve password", nil)], alerts: alerts,
            scripts: [.userPages],
            body: """
                <h1>Retrieve password</h1>
                <p class="description">You can view and download the user's password below. This is the only time you can view and download this password.</p>
                <section class="panel"><header><h2>Console sign-in details</h2></header><div class="content"><dl class="key-values">
                <div><dt>Console sign-in URL</dt><dd><a href="\(signInURL)">\(signInURL)</a></dd></div>
                <div><dt>User name</dt><dd>\(userName)</dd></div>
                <div><dt>Console password</dt><dd><details class="secret"><summary>Show</summary><code aria-label="Console password">\(password)</code></details></dd></div>
                </dl></div></section>
                <div class="actions end"><a class="button" download="\(userName)_credentials.csv" href="\(csv)">Download .csv file</a>\
                <a class="button primary" href="\(back)">Return to users list</a></div>
                """)
    }
}

extension ConsoleApp {
    static let userRoutes: [ConsoleRoute] = [
        .get("iam/users") { app, request in await app.users(request) },
        .get("iam/users/create") { app, request in await app.createUserPage(request) },
        .post("iam/users/create") { app, request in await app.createUserStep(request) },
    ] + userDetailsRoutes + securityCredentialsRoutes
}
