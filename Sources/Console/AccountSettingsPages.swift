import AWSShapes

/// IAM › Account settings (the password policy) and the account alias
/// that the IAM dashboard creates and edits.
extension ConsoleApp {
    /// The rules a password policy sets, in AWS's words.
    static func policyRules(_ policy: IAMShapes.PasswordPolicy?) -> [String] {
        guard let policy else {
            return [
                "Minimum password length is 8 characters",
                "Include a minimum of three of the following mix of character types: uppercase, lowercase, numbers, and ! @ # $ % ^ & * ( ) _ + - = [ ] { } | ' symbols",
                "Must not be identical to your AWS account name or email address",
            ]
        }
        var rules = ["Password minimum length: \(policy.minimumPasswordLength ?? 6) characters"]
        if policy.requireUppercaseCharacters == true { rules.append("Require at least one uppercase letter from the Latin alphabet (A-Z)") }
        if policy.requireLowercaseCharacters == true { rules.append("Require at least one lowercase letter from the Latin alphabet (a-z)") }
        if policy.requireNumbers == true { rules.append("Require at least one number") }
        if policy.requireSymbols == true { rules.append("Require at least one non-alphanumeric character (! @ # $ % ^ & * ( ) _ + - = [ ] { } | ')") }
        if let age = policy.maxPasswordAge { rules.append("Password expires in \(age) day(s)") } else { rules.append("Never expire password") }
        if policy.hardExpiry == true { rules.append("Password expiration requires administrator reset") }
        rules.append(policy.allowUsersToChangePassword == true ? "Allow users to change their own password" : "Users cannot change their own password")
        if let reuse = policy.passwordReusePrevention { rules.append("Remember last \(reuse) password(s) and prevent reuse") }
        return rules
    }

    /// IAM › Account settings.
    public func accountSettings(_ request: Request) async -> ConsoleReply {
        let content: HTML
        switch await passwordPolicy(request) {
        case .failure(let error):
            content = Layout.Alert.failure(error).html
        case .success(let policy):
            let items: [HTML] = Self.policyRules(policy).map { "<li>\($0)</li>" }
            content = """
                <p>\(policy == nil ? "This AWS account uses the following default password policy:" : "This AWS account uses the following custom password policy:")</p>
                <ul class="rules">\(items)</ul>
                """
        }
        return page(
            request, title: "Account settings | IAM", current: "/console/iam/account-settings",
            breadcrumbs: [("IAM", "/console/iam"), ("Account settings", nil)],
            scripts: [.userPages],
            body: """
                <h1>Account settings</h1>
                <section class="panel"><header><div><h2>Password policy</h2>
                <p>The password policy sets the requirements for the passwords of IAM users in this account.</p></div>
                <div class="actions"><a class="button" href="/console/iam/account-settings/password-policy">Edit</a></div></header>
                <div class="content">\(content)</div></section>
                """)
    }

    /// "Edit password policy": IAM default or Custom, with AWS's fields.
    func passwordPolicyPage(_ request: Request, alerts: [Layout.Alert] = [], status: Int = 200) async -> ConsoleReply {
        var values: [String: String] = [:]
        if request.form.isEmpty {
            if case .success(let policy?) = await passwordPolicy(request) {
                values["PolicyType"] = "custom"
                values["MinimumPasswordLength"] = String(policy.minimumPasswordLength ?? 6)
                let flags: [(String, Bool?)] = [
                    ("RequireUppercaseCharacters", policy.requireUppercaseCharacters), ("RequireLowercaseCharacters", policy.requireLowercaseCharacters),
                    ("RequireNumbers", policy.requireNumbers), ("RequireSymbols", policy.requireSymbols), ("HardExpiry", policy.hardExpiry),
                    ("AllowUsersToChangePassword", policy.allowUsersToChangePassword),
                ]
                for (name, on) in flags where on == true { values[name] = "true" }
                if let age = policy.maxPasswordAge { values["ExpirePasswords"] = "true"; values["MaxPasswordAge"] = String(age) }
                if let reuse = policy.passwordReusePrevention { values["PreventReuse"] = "true"; values["PasswordReusePrevention"] = String(reuse) }
            }
        } else {
            for (name, value) in request.form where name != "csrf" { values[name] = value }
        }
        let custom = values["PolicyType"] == "custom"
        func checked(_ on: Bool) -> HTML { on ? " checked" : .empty }
        func box(_ name: String, _ label: String) -> HTML {
            """
            <div class="choice"><input type="checkbox" id="\(name)" name="\(name)" value="true"\(checked(values[name] == "true"))>\
            <label for="\(name)">\(label)</label></div>
            """
        }
        return page(
            request, title: "Edit password policy | IAM", current: "/console/iam/account-settings",
            breadcrumbs: [("IAM", "/console/iam"), ("Account settings", "/console/iam/account-settings"), ("Edit password policy", nil)],
            alerts: alerts, scripts: [.userPages], status: status,
            body: """
                <h1>Edit password policy</h1>
                <form method="post" action="/console/iam/account-settings/password-policy">\(Self.token(request))
                <section class="panel"><header><h2>Password policy</h2></header><div class="content">
                <fieldset class="choices"><legend class="visually-hidden">Password policy</legend>
                <div class="choice"><input type="radio" id="policy-default" name="PolicyType" value="default"\(checked(!custom))><label for="policy-default">IAM default</label>\
                <span class="hint">Apply default password requirements.</span></div>
                <div class="choice"><input type="radio" id="policy-custom" name="PolicyType" value="custom"\(checked(custom))><label for="policy-custom">Custom</label>\
                <span class="hint">Apply customized password requirements.</span></div>
                </fieldset>
                <div data-show-when="PolicyType=custom">
                <div class="field"><label for="MinimumPasswordLength">Password minimum length</label>
                <input type="number" id="MinimumPasswordLength" name="MinimumPasswordLength" min="6" max="128" value="\(values["MinimumPasswordLength"] ?? "8")">
                <span class="hint">Enforce a minimum length of characters. Needs to be between 6 and 128.</span></div>
                <fieldset class="choices"><legend>Password strength</legend>
                \(box("RequireUppercaseCharacters", "Require at least one uppercase letter from the Latin alphabet (A-Z)"))
                \(box("RequireLowercaseCharacters", "Require at least one lowercase letter from the Latin alphabet (a-z)"))
                \(box("RequireNumbers", "Require at least one number"))
                \(box("RequireSymbols", "Require at least one non-alphanumeric character (! @ # $ % ^ & * ( ) _ + - = [ ] { } | ')"))
                </fieldset>
                <fieldset class="choices"><legend>Other requirements</legend>
                \(box("ExpirePasswords", "Turn on password expiration"))
                <div class="field nested inline" data-show-when="ExpirePasswords=true"><label for="MaxPasswordAge">Expire passwords in</label>
                <span><input type="number" id="MaxPasswordAge" name="MaxPasswordAge" min="1" max="1095" value="\(values["MaxPasswordAge"] ?? "90")"> day(s)</span></div>
                \(box("HardExpiry", "Password expiration requires administrator reset"))
                \(box("AllowUsersToChangePassword", "Allow users to change their own password"))
                \(box("PreventReuse", "Prevent password reuse"))
                <div class="field nested inline" data-show-when="PreventReuse=true"><label for="PasswordReusePrevention">Remember</label>
                <span><input type="number" id="PasswordReusePrevention" name="PasswordReusePrevention" min="1" max="24" value="\(values["PasswordReusePrevention"] ?? "5")"> password(s)</span></div>
                </fieldset>
                </div>
                </div></section>
                <div class="actions end"><a class="button" href="/console/iam/account-settings">Cancel</a><button type="submit" class="primary">Save changes</button></div>
                </form>
                """)
    }

    /// "Save changes": DeleteAccountPasswordPolicy for IAM default (none to
    /// delete is already the default), else UpdateAccountPasswordPolicy.
    public func savePasswordPolicy(_ request: Request) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        if request.field("PolicyType") != "custom" {
            switch await call(IAMOperation.DeleteAccountPasswordPolicy.self, [:], request) {
            case .failure(let error) where error.code != "NoSuchEntity":
                return await passwordPolicyPage(request, alerts: [.failure(error)], status: error.status)
            default: break
            }
        } else {
            var parameters = ["MinimumPasswordLength": request.field("MinimumPasswordLength") ?? ""]
            for name in ["RequireUppercaseCharacters", "RequireLowercaseCharacters", "RequireNumbers", "RequireSymbols", "HardExpiry",
                         "AllowUsersToChangePassword"] {
                parameters[name] = request.field(name) == "true" ? "true" : "false"
            }
            if request.field("ExpirePasswords") == "true" { parameters["MaxPasswordAge"] = request.field("MaxPasswordAge") ?? "" }
            if request.field("PreventReuse") == "true" { parameters["PasswordReusePrevention"] = request.field("PasswordReusePrevention") ?? "" }
            if case .failure(let error) = await call(IAMOperation.UpdateAccountPasswordPolicy.self, parameters, request) {
                return await passwordPolicyPage(request, alerts: [.failure(error)], status: error.status)
            }
        }
        flash(.success("Password policy updated."), for: request.session)
        return .redirect("/console/iam/account-settings")
    }

    // MARK: - Account alias

    /// "Create" / "Edit" the account alias from the IAM dashboard.
    func accountAliasPage(_ request: Request, alerts: [Layout.Alert] = [], status: Int = 200) async -> ConsoleReply {
        let current: String? = switch await call(IAMOperation.ListAccountAliases.self, [:], request) {
        case .success(let output): output.accountAliases.first
        case .failure: nil
        }
        let title = current == nil ? "Create alias" : "Edit account alias"
        return page(
            request, title: "\(title) | IAM", current: "/console/iam", breadcrumbs: [("IAM", "/console/iam"), (title, nil)],
            alerts: alerts, scripts: [.userPages], status: status,
            body: """
                <h1>\(title)</h1>
                <form method="post" action="/console/iam/account-alias">\(Self.token(request))
                <section class="panel"><div class="content">
                <div class="field"><label for="alias">Preferred alias</label>
                <input id="alias" name="AccountAlias" value="\(request.field("AccountAlias") ?? current ?? "")" autocomplete="off">
                <span class="hint">Must be not more than 63 characters. Valid characters are a-z, 0-9, and - (hyphen).</span></div>
                <p>New sign-in URL: \(signInURL) (IAM users may type the alias instead of the account ID)</p>
                </div></section>
                <div class="actions end"><a class="button" href="/console/iam">Cancel</a><button type="submit" class="primary">Save changes</button></div>
                </form>
                """)
    }

    /// "Save changes": CreateAccountAlias (which replaces the old alias).
    public func saveAccountAlias(_ request: Request) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        if case .failure(let error) = await call(IAMOperation.CreateAccountAlias.self, ["AccountAlias": request.field("AccountAlias") ?? ""], request) {
            return await accountAliasPage(request, alerts: [.failure(error)], status: error.status)
        }
        flash(.success("Account alias saved."), for: request.session)
        return .redirect("/console/iam")
    }

    /// "Delete": DeleteAccountAlias.
    public func deleteAccountAlias(_ request: Request) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        switch await call(IAMOperation.DeleteAccountAlias.self, ["AccountAlias": request.field("AccountAlias") ?? ""], request) {
        case .failure(let error): flash(.failure(error), for: request.session)
        case .success: flash(.success("Account alias deleted."), for: request.session)
        }
        return .redirect("/console/iam")
    }
}

extension ConsoleApp {
    static let accountSettingsRoutes: [ConsoleRoute] = [
        .get("iam/account-settings") { app, request in await app.accountSettings(request) },
        .get("iam/account-settings/password-policy") { app, request in await app.passwordPolicyPage(request) },
        .post("iam/account-settings/password-policy") { app, request in await app.savePasswordPolicy(request) },
        .get("iam/account-alias") { app, request in await app.accountAliasPage(request) },
        .post("iam/account-alias") { app, request in await app.saveAccountAlias(request) },
        .post("iam/account-alias/delete") { app, request in await app.deleteAccountAlias(request) },
    ]
}
