/// The sign-in pages, as AWS's sign-in site words them; they need no session.
extension ConsoleApp {
    /// Where to go after signing in: a console path only (never another site).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/console"), !next.hasPrefix("//"), !next.contains("\\") else { return "/console" }
        return next
    }

    /// "Sign in as IAM user".
    public func signInPage(account: String = "", userName: String = "", next: String? = nil, error: String? = nil) -> ConsoleReply {
        let body: HTML = """
            <div class="sign-in">
            <section class="panel"><div class="content">
            <h1>Sign in as IAM user</h1>
            \(error.map { Layout.Alert.error($0).html } ?? .empty)
            <form method="post" action="/console/signin">
            <input type="hidden" name="next" value="\(Self.safeNext(next))">
            <div class="field"><label for="account">Account ID (12 digits) or account alias</label>
            <input id="account" name="account" type="text" autocomplete="username" required value="\(account)"></div>
            <div class="field"><label for="username">IAM username</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" required value="\(userName)"></div>
            <div class="field"><label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required></div>
            <button type="submit" class="primary">Sign in</button>
            </form>
            <p class="other"><a href="/console/signin/root">Sign in using root user email</a></p>
            </div></section>
            </div>
            """
        return .page(Layout.page(title: "Sign in", session: nil, body: body), status: error == nil ? 200 : 401)
    }

    /// The root user's sign-in: email address and password.
    public func rootSignInPage(email: String = "", error: String? = nil) -> ConsoleReply {
        let body: HTML = """
            <div class="sign-in">
            <section class="panel"><div class="content">
            <h1>Root user sign in</h1>
            \(error.map { Layout.Alert.error($0).html } ?? .empty)
            <form method="post" action="/console/signin/root">
            <div class="field"><label for="email">Root user email address</label>
            <input id="email" name="email" type="email" autocomplete="username" required value="\(email)"></div>
            <div class="field"><label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required></div>
            <button type="submit" class="primary">Sign in</button>
            </form>
            <p class="other"><a href="/console">Sign in as IAM user</a></p>
            </div></section>
            </div>
            """
        return .page(Layout.page(title: "Sign in", session: nil, body: body), status: error == nil ? 200 : 401)
    }

    /// The second step for a user with an MFA device.
    public func mfaPage(ticket: String, next: String?, error: String? = nil) -> ConsoleReply {
        let body: HTML = """
            <div class="sign-in">
            <section class="panel"><div class="content">
            <h1>Multi-factor authentication</h1>
            <p>Your account is secured using multi-factor authentication (MFA). To finish signing in, enter the code from your MFA device.</p>
            \(error.map { Layout.Alert.error($0).html } ?? .empty)
            <form method="post" action="/console/signin/mfa">
            <input type="hidden" name="ticket" value="\(ticket)">
            <input type="hidden" name="next" value="\(Self.safeNext(next))">
            <div class="field"><label for="mfa-code">MFA code</label>
            <input id="mfa-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required></div>
            <button type="submit" class="primary">Submit</button>
            </form>
            <p class="other"><a href="/console">Cancel</a></p>
            </div></section>
            </div>
            """
        return .page(Layout.page(title: "Multi-factor authentication", session: nil, body: body), status: error == nil ? 200 : 401)
    }

    /// The step AWS shows when the login profile requires a new password.
    public func passwordChangePage(ticket: String, accountId: String, userName: String, next: String?, error: String? = nil) -> ConsoleReply {
        let body: HTML = """
            <div class="sign-in">
            <section class="panel"><div class="content">
            <h1>Change password</h1>
            <p>You must change your password to continue.</p>
            \(error.map { Layout.Alert.error($0).html } ?? .empty)
            <dl class="key-values"><div><dt>AWS account</dt><dd>\(accountId)</dd></div><div><dt>IAM user name</dt><dd>\(userName)</dd></div></dl>
            <form method="post" action="/console/signin/password">
            <input type="hidden" name="ticket" value="\(ticket)">
            <input type="hidden" name="account" value="\(accountId)">
            <input type="hidden" name="username" value="\(userName)">
            <input type="hidden" name="next" value="\(Self.safeNext(next))">
            <div class="field"><label for="old-password">Old password</label>
            <input id="old-password" name="oldPassword" type="password" autocomplete="current-password" required></div>
            <div class="field"><label for="new-password">New password</label>
            <input id="new-password" name="newPassword" type="password" autocomplete="new-password" required></div>
            <div class="field"><label for="retype-password">Retype new password</label>
            <input id="retype-password" name="retypePassword" type="password" autocomplete="new-password" required></div>
            <button type="submit" class="primary">Confirm password change</button>
            </form>
            </div></section>
            </div>
            """
        return .page(Layout.page(title: "Change password", session: nil, body: body), status: error == nil ? 200 : 400)
    }

    /// What a sign-in step's outcome shows next.
    public func reply(to outcome: ConsoleSignIn.Outcome, next: String?, refused: (String) -> ConsoleReply) -> ConsoleReply {
        switch outcome {
        case .signedIn(let token):
            return ConsoleReply.redirect(Self.safeNext(next)).setting(cookies: ConsoleCookie.set(token, maxAge: ConsoleSessions.lifetime))
        case .mfaRequired(let ticket):
            return mfaPage(ticket: ticket, next: next)
        case .passwordChangeRequired(let ticket, let accountId, let userName):
            return passwordChangePage(ticket: ticket, accountId: accountId, userName: userName, next: next)
        case .refused(let message):
            return refused(message)
        }
    }
}
