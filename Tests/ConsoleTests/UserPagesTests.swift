@testable import Console
import Foundation
import GatehouseTesting
import Hashing
import ServiceKit
import Testing
import AWSShapes

/// IAM › Users, User groups and Account settings in process: each click is
/// the IAM operation as the signed-in principal; secrets are shown once.
@Suite("Web console: users, groups, account settings")
struct UserPagesTests {
    let world: TestWorld
    let app: ConsoleApp

    init() throws {
        world = try TestWorld()
        app = ConsoleApp(
            environment: world.environment, iam: world.iam, sts: world.sts, ecr: world.ecr, accessAnalyzer: world.accessAnalyzer,
            decisions: world.decisions)
    }

    func consoleUser(_ name: String, password: String = "Lab-Passw0rd!", policies: [String] = []) async throws {
        #expect(try await world.iam("CreateUser", ["UserName": name]).status == 200)
        #expect(try await world.iam("CreateLoginProfile", ["UserName": name, "Password": password]).status == 200)
        for arn in policies {
            #expect(try await world.iam("AttachUserPolicy", ["UserName": name, "PolicyArn": arn]).status == 200)
        }
    }

    func signedIn(_ name: String, password: String = "Lab-Passw0rd!") async throws -> ConsoleApp.Request {
        guard case .signedIn(let token) = try await app.signIn.user(account: TestWorld.accountId, userName: name, password: password),
            let session = try app.sessions.session(token: token)
        else {
            Issue.record("\(name) could not sign in")
            throw CancellationError()
        }
        return ConsoleApp.Request(session: session, sourceIp: "127.0.0.1", query: [:], form: [])
    }

    func admin() async throws -> ConsoleApp.Request {
        try await consoleUser("admin", policies: ["arn:aws:iam::aws:policy/AdministratorAccess"])
        return try await signedIn("admin")
    }

    static func text(_ reply: ConsoleReply) -> String { String(decoding: reply.body, as: UTF8.self) }

    /// The text between `start` and the next `end`, with HTML's character references undone.
    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let from = text.range(of: start), let to = text.range(of: end, range: from.upperBound..<text.endIndex) else { return nil }
        return String(text[from.upperBound..<to.lowerBound]).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    func posting(_ request: ConsoleApp.Request, _ fields: [(String, String)]) -> ConsoleApp.Request {
        var request = request
        request.form = [("csrf", request.session.csrfToken)] + fields
        return request
    }

    // MARK: - Create user

    @Test("Create user with a custom console password and a reset: the user signs in and is asked for a new password")
    func createUserWithPassword() async throws {
        let request = try await admin()
        let reply = await app.createUserStep(posting(request, [
            ("UserName", "new-hire"), ("ConsoleAccess", "true"), ("PasswordType", "custom"), ("Password", "Custom-Passw0rd!"),
            ("PasswordResetRequired", "true"), ("PermissionsOption", "policies"), ("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
            ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "blue"), ("step", "create"),
        ]))
        let page = Self.text(reply)
        #expect(reply.status == 200)
        #expect(page.contains("Retrieve password") && page.contains("Custom-Passw0rd!") && page.contains("http://"))
        #expect(page.contains("data:text/csv;charset=utf-8,User%20name%2CPassword%2CConsole%20sign-in%20URL"))
        #expect(try await world.iam("ListAttachedUserPolicies", ["UserName": "new-hire"]).values("PolicyName").sorted() == ["IAMUserChangePassword", "ReadOnlyAccess"])
        #expect(try await world.iam("ListUserTags", ["UserName": "new-hire"]).values("Value") == ["blue"])
        guard case .passwordChangeRequired(let ticket, _, "new-hire") = try await app.signIn.user(
            account: TestWorld.accountId, userName: "new-hire", password: "Custom-Passw0rd!")
        else {
            Issue.record("no password change asked")
            return
        }
        // IAMUserChangePassword, attached as AWS's console does, lets the user set a new one.
        guard case .signedIn = try await app.signIn.changePassword(
            ticket: ticket, old: "Custom-Passw0rd!", new: "Brand-new-Passw0rd!", retype: "Brand-new-Passw0rd!", sourceIp: "127.0.0.1")
        else {
            Issue.record("the new user could not change the password")
            return
        }
        // The list shows the user with its groups, MFA and password age.
        let list = Self.text(await app.users(request))
        #expect(list.contains("/console/iam/users/details/new-hire") && list.contains("Password age") && list.contains("0 days"))
        // Signing in is recorded as the password's last use.
        #expect(try await world.iam("GetUser", ["UserName": "new-hire"]).value("PasswordLastUsed") != nil)
    }

    @Test("an autogenerated password satisfies the account's password policy and signs in")
    func autogeneratedPassword() async throws {
        let request = try await admin()
        #expect(try await world.iam("UpdateAccountPasswordPolicy", [
            "MinimumPasswordLength": "24", "RequireSymbols": "true", "RequireNumbers": "true", "RequireUppercaseCharacters": "true",
            "RequireLowercaseCharacters": "true",
        ]).status == 200)
        let reply = await app.createUserStep(posting(request, [
            ("UserName", "generated"), ("ConsoleAccess", "true"), ("PasswordType", "autogenerated"), ("step", "create"),
        ]))
        let password = try #require(Self.between(Self.text(reply), "<code aria-label=\"Console password\">", "</code>"))
        #expect(password.count == 24)
        guard case .signedIn = try await app.signIn.user(account: TestWorld.accountId, userName: "generated", password: password) else {
            Issue.record("the generated password \(password) does not sign in")
            return
        }
    }

    @Test("a password against the policy is refused with IAM's message, and leaves no user behind")
    func refusedPassword() async throws {
        let request = try await admin()
        let reply = await app.createUserStep(posting(request, [
            ("UserName", "weak"), ("ConsoleAccess", "true"), ("PasswordType", "custom"), ("Password", "short"), ("step", "create"),
        ]))
        #expect(reply.status == 400)
        // No account policy: AWS's default one names what "short" lacks.
        #expect(Self.text(reply).contains("Password should meet 2 more of the following requirements: "
            + "Password should have at least one uppercase letter, Password should have at least one number, "
            + "Password should have at least one symbol"))
        #expect(try await world.iam("GetUser", ["UserName": "weak"]).errorCode == "NoSuchEntity")
    }

    @Test("Create user by a read-only user shows AWS's denial and creates nothing")
    func deniedCreateUser() async throws {
        try await consoleUser("reader", policies: ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        let request = try await signedIn("reader")
        let reply = await app.createUserStep(posting(request, [
            ("UserName", "intruder"), ("ConsoleAccess", "true"), ("PasswordType", "autogenerated"), ("step", "create"),
        ]))
        #expect(reply.status == 403)
        #expect(Self.text(reply).contains(
            "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/intruder because no identity-based policy allows the iam:CreateUser action"))
        #expect(try await world.iam("GetUser", ["UserName": "intruder"]).errorCode == "NoSuchEntity")
    }

    @Test("a change without the session's CSRF token is refused and changes nothing")
    func csrf() async throws {
        let request = try await admin()
        var forged = posting(request, [("UserName", "forged"), ("step", "create")])
        forged.form[0].1 = "forged"
        #expect(await app.createUserStep(forged).status == 403)
        forged.form.removeFirst()
        #expect(await app.createUserStep(forged).status == 403)
        #expect(try await world.iam("GetUser", ["UserName": "forged"]).errorCode == "NoSuchEntity")
        #expect(await app.createAccessKey(posting(request, []).withoutToken, user: "admin").status == 403)
        #expect(await app.savePasswordPolicy(ConsoleApp.Request(
            session: request.session, sourceIp: "127.0.0.1", query: [:], form: [("PolicyType", "custom"), ("MinimumPasswordLength", "20")])).status == 403)
        #expect(try await world.iam("ListAccessKeys", ["UserName": "admin"]).values("AccessKeyId").isEmpty)
        #expect(try await world.iam("GetAccountPasswordPolicy").errorCode == "NoSuchEntity")
    }

    @Test("a user name and tag full of markup render as text in the wizard with IAM's refusal, and create nothing")
    func escaping() async throws {
        let request = try await admin()
        let marked = "<img src=x onerror=alert(1)>"
        let review = Self.text(await app.createUserStep(posting(request, [
            ("UserName", marked), ("Tags.member.1.Key", "<b>key</b>"), ("Tags.member.1.Value", marked), ("step", "create"),
        ])))
        #expect(!review.contains("<img src=x") && !review.contains("<b>key</b>"))
        #expect(review.contains("&lt;img src=x onerror=alert(1)&gt;"))
        // IAM's name and tag patterns refuse < > & " ', so the pages that render what IAM stored never meet them;
        // what the user typed comes back on the wizard, escaped, with IAM's refusal.
        #expect(review.contains("&lt;b&gt;key&lt;/b&gt;"))
        #expect(try await world.iam("ListUsers").values("UserName") == ["admin"])
    }

    // MARK: - Access keys

    @Test("Create access key shows the secret once; the key works; Deactivate stops it; Delete needs the id typed")
    func accessKeys() async throws {
        let request = try await admin()
        #expect(try await world.iam("CreateUser", ["UserName": "builder"]).status == 200)
        let reply = await app.createAccessKey(posting(request, [("UseCase", "Command Line Interface (CLI)"), ("Description", "laptop")]), user: "builder")
        let page = Self.text(reply)
        #expect(page.contains("Retrieve access keys"))
        let keyId = try #require(Self.between(page, "<tbody><tr><td><code>", "</code>"))
        let secret = try #require(Self.between(page, "</code></td><td><code>", "</code>"))
        #expect(secret.count == 40)
        #expect(page.contains("data:text/csv;charset=utf-8,Access%20key%20ID%2CSecret%20access%20key"))
        #expect(try await world.sts("GetCallerIdentity", as: keyId).value("Arn") == "arn:aws:iam::000000000000:user/builder")
        #expect(try await world.iam("ListUserTags", ["UserName": "builder"]).values("Value") == ["laptop"])
        // The user's page lists the key, never its secret.
        var tab = request
        tab.query = ["tab": "security_credentials"]
        let credentials = Self.text(await app.user(tab, name: "builder"))
        #expect(credentials.contains(keyId) && !credentials.contains(secret))

        // Delete is refused while the key is active, and with the wrong id typed.
        #expect(await app.deleteAccessKey(posting(request, [("AccessKeyId", keyId), ("Confirm", keyId)]), user: "builder").status == 400)
        #expect(await app.setAccessKeyStatus(posting(request, [("AccessKeyId", keyId), ("Status", "Inactive")]), user: "builder").status == 303)
        await #expect(throws: TestWorld.UnknownKey.self) { try await world.sts("GetCallerIdentity", as: keyId) }
        #expect(await app.deleteAccessKey(posting(request, [("AccessKeyId", keyId), ("Confirm", "AKIAWRONG")]), user: "builder").status == 400)
        #expect(try await world.iam("ListAccessKeys", ["UserName": "builder"]).values("AccessKeyId") == [keyId])
        #expect(await app.deleteAccessKey(posting(request, [("AccessKeyId", keyId), ("Confirm", keyId)]), user: "builder").status == 303)
        #expect(try await world.iam("ListAccessKeys", ["UserName": "builder"]).values("AccessKeyId").isEmpty)
    }

    // MARK: - MFA and console access

    @Test("Assign MFA device with two codes from the secret key; the next sign-in asks for a code; Remove undoes it")
    func assignMFA() async throws {
        let request = try await admin()
        try await consoleUser("secured")
        let setUp = Self.text(await app.createMFADevice(posting(request, [("DeviceName", "phone")]), user: "secured"))
        #expect(setUp.contains("<img class=\"qr\" src=\"data:image/png;base64,iVBOR"))
        let secret = try #require(Self.between(setUp, "<code aria-label=\"Secret key\">", "</code>"))
        let seed = try #require(Base32.decode(secret))
        let now = world.clock.now().secondsSince1970
        let wrong = await app.enableMFADevice(posting(request, [
            ("SerialNumber", "arn:aws:iam::000000000000:mfa/phone"), ("Seed", secret), ("AuthenticationCode1", "000000"), ("AuthenticationCode2", "000000"),
        ]), user: "secured")
        #expect(wrong.status != 303 && Self.text(wrong).contains("Set up device"))
        let enabled = await app.enableMFADevice(posting(request, [
            ("SerialNumber", "arn:aws:iam::000000000000:mfa/phone"), ("AuthenticationCode1", TOTP.code(seed: seed, at: now - 30)),
            ("AuthenticationCode2", TOTP.code(seed: seed, at: now)),
        ]), user: "secured")
        #expect(enabled.status == 303)
        guard case .mfaRequired = try await app.signIn.user(account: TestWorld.accountId, userName: "secured", password: "Lab-Passw0rd!") else {
            Issue.record("no MFA step")
            return
        }
        #expect(await app.removeMFADevice(posting(request, [("SerialNumber", "arn:aws:iam::000000000000:mfa/phone")]), user: "secured").status == 303)
        #expect(try await world.iam("ListVirtualMFADevices").values("SerialNumber").isEmpty)
        guard case .signedIn = try await app.signIn.user(account: TestWorld.accountId, userName: "secured", password: "Lab-Passw0rd!") else {
            Issue.record("MFA still asked after Remove")
            return
        }
    }

    @Test("Manage console access: reset to a custom password, then Disable console access")
    func consoleAccess() async throws {
        let request = try await admin()
        try await consoleUser("worker")
        let reset = await app.saveConsoleAccess(posting(request, [
            ("ConsoleAccess", "enable"), ("PasswordType", "custom"), ("Password", "Another-Passw0rd!"),
        ]), user: "worker")
        #expect(Self.text(reset).contains("Retrieve password"))
        guard case .signedIn = try await app.signIn.user(account: TestWorld.accountId, userName: "worker", password: "Another-Passw0rd!") else {
            Issue.record("the new password does not sign in")
            return
        }
        #expect(await app.saveConsoleAccess(posting(request, [("ConsoleAccess", "disable")]), user: "worker").status == 303)
        #expect(try await world.iam("GetLoginProfile", ["UserName": "worker"]).errorCode == "NoSuchEntity")
    }

    // MARK: - Groups

    @Test("Create user group with a member and a policy; Delete removes them and the group")
    func groups() async throws {
        let request = try await admin()
        #expect(try await world.iam("CreateUser", ["UserName": "member"]).status == 200)
        let created = await app.createGroup(posting(request, [
            ("GroupName", "Developers"), ("UserName", "member"), ("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        ]))
        #expect(created.status == 303)
        #expect(try await world.iam("GetGroup", ["GroupName": "Developers"]).values("UserName") == ["member"])
        let list = Self.text(await app.groups(request))
        #expect(list.contains("Developers") && list.contains("Defined"))
        #expect(await app.deleteGroup(posting(request, [("Confirm", "Developers")]), group: "Developers").status == 303)
        #expect(try await world.iam("GetGroup", ["GroupName": "Developers"]).errorCode == "NoSuchEntity")
    }

    // MARK: - Account settings

    @Test("Edit password policy: Custom sets UpdateAccountPasswordPolicy's fields, IAM default deletes it")
    func passwordPolicy() async throws {
        let request = try await admin()
        let saved = await app.savePasswordPolicy(posting(request, [
            ("PolicyType", "custom"), ("MinimumPasswordLength", "14"), ("RequireNumbers", "true"), ("ExpirePasswords", "true"),
            ("MaxPasswordAge", "90"), ("PreventReuse", "true"), ("PasswordReusePrevention", "3"), ("AllowUsersToChangePassword", "true"),
        ]))
        #expect(saved.status == 303)
        let policy = try await world.iam("GetAccountPasswordPolicy")
        #expect(policy.value("MinimumPasswordLength") == "14" && policy.value("MaxPasswordAge") == "90" && policy.value("PasswordReusePrevention") == "3")
        #expect(policy.value("RequireNumbers") == "true" && policy.value("RequireSymbols") == "false")
        #expect(Self.text(await app.accountSettings(request)).contains("Password minimum length: 14 characters"))
        let invalid = await app.savePasswordPolicy(posting(request, [("PolicyType", "custom"), ("MinimumPasswordLength", "200")]))
        #expect(invalid.status == 400)
        #expect(try await world.iam("GetAccountPasswordPolicy").value("MinimumPasswordLength") == "14")
        #expect(await app.savePasswordPolicy(posting(request, [("PolicyType", "default")])).status == 303)
        #expect(try await world.iam("GetAccountPasswordPolicy").errorCode == "NoSuchEntity")
    }

    @Test("the account alias: Create, then sign-in by alias; Edit replaces it; a read-only user is refused")
    func alias() async throws {
        let request = try await admin()
        #expect(await app.saveAccountAlias(posting(request, [("AccountAlias", "training-lab")])).status == 303)
        #expect(try await world.iam("ListAccountAliases").values("member") == ["training-lab"])
        guard case .signedIn = try await app.signIn.user(account: "training-lab", userName: "admin", password: "Lab-Passw0rd!") else {
            Issue.record("the alias does not sign in")
            return
        }
        #expect(await app.saveAccountAlias(posting(request, [("AccountAlias", "renamed-lab")])).status == 303)
        #expect(try await world.iam("ListAccountAliases").values("member") == ["renamed-lab"])
        let dashboard = Self.text(await app.iamDashboard(request))
        #expect(dashboard.contains("renamed-lab") && dashboard.contains("/console/iam/users") && dashboard.contains("/console/iam/groups"))
        try await consoleUser("reader", policies: ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"])
        let denied = await app.saveAccountAlias(posting(try await signedIn("reader"), [("AccountAlias", "hijacked")]))
        #expect(denied.status == 403 && Self.text(denied).contains("is not authorized to perform: iam:CreateAccountAlias"))
        #expect(try await world.iam("ListAccountAliases").values("member") == ["renamed-lab"])
    }

    @Test("the Users list pages by 50 with Next page, and Search filters by name")
    func usersPaging() async throws {
        var request = try await admin()
        for i in 1...50 { #expect(try await world.iam("CreateUser", ["UserName": String(format: "user-%02d", i)]).status == 200) }
        let first = Self.text(await app.users(request))
        #expect(first.contains("Users (51)") && first.contains(">Next page</a>") && !first.contains("user-50<"))
        request.query = ["page": "2"]
        let second = Self.text(await app.users(request))
        #expect(second.contains(">user-50</a>") && second.contains("Previous page"))
        request.query = ["search": "user-1"]
        let found = Self.text(await app.users(request))
        #expect(found.contains("Users (10)") && !found.contains("Next page"))
    }

    @Test("Add permissions: Attach policies directly and Add user to group; Remove detaches; a group's policy shows as attached via it")
    func userPermissions() async throws {
        var request = try await admin()
        #expect(try await world.iam("CreateUser", ["UserName": "dev"]).status == 200)
        #expect(try await world.iam("CreateGroup", ["GroupName": "Readers"]).status == 200)
        #expect(try await world.iam("AttachGroupPolicy", ["GroupName": "Readers", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"]).status == 200)
        #expect(await app.addUserPermissions(posting(request, [
            ("PermissionsOption", "policies"), ("PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess"),
        ]), user: "dev").status == 303)
        #expect(await app.addUserPermissions(posting(request, [("PermissionsOption", "groups"), ("GroupName", "Readers")]), user: "dev").status == 303)
        let page = Self.text(await app.user(request, name: "dev"))
        #expect(page.contains("IAMReadOnlyAccess") && page.contains("ReadOnlyAccess") && page.contains("Group <a href=\"/console/iam/groups/details/Readers\">"))
        #expect(await app.userChange(posting(request, [("PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")]), user: "dev", tab: "permissions",
                                     IAMOperation.DetachUserPolicy.self, ["UserName": "dev", "PolicyArn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"],
                                     done: "Policy removed.").status == 303)
        #expect(try await world.iam("ListAttachedUserPolicies", ["UserName": "dev"]).values("PolicyName").isEmpty)
        request.query = ["tab": "groups"]
        #expect(Self.text(await app.user(request, name: "dev")).contains("User groups membership (1)"))
    }

    @Test("the IAM navigation lists AWS's pages in AWS's order")
    func navigation() async throws {
        let request = try await admin()
        let page = Self.text(await app.users(request))
        let order = ["Dashboard", "User groups", "Users", "Roles", "Policies", "Account settings"].map { ">\($0)</a></li>" }
        let positions = order.compactMap { page.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count && positions == positions.sorted())
    }
}

extension ConsoleApp.Request {
    var withoutToken: ConsoleApp.Request {
        var request = self
        request.form.removeAll { $0.0 == "csrf" }
        return request
    }
}
