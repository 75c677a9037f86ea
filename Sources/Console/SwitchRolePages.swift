import AWSShapes
import ServiceKit
import Platform

/// "Switch role", as AWS's console does it: the signed-in user assumes a role
/// (STS AssumeRole as that user, so the role's trust policy and the user's
/// own policies decide, and the decision is logged), and from then on every
/// page acts as the role session until "Switch back". The account menu shows
/// the display name in the chosen colour.
///
/// AWS: "Switch to an IAM role (console)", IAM User Guide — the session lasts
/// one hour, its name is the IAM user's name, the root user cannot switch.
extension ConsoleApp {
    /// The display colours AWS's Switch Role page offers, by the name the form sends.
    static let roleColors: [(name: String, label: String)] = [
        ("red", "Red"), ("orange", "Orange"), ("yellow", "Yellow"), ("green", "Green"), ("blue", "Blue"),
    ]

    /// How long a switched role session lasts, as AWS's console asks for it.
    static let switchedSessionSeconds = 3600

    /// AWS's console words every refused switch the same way (the reason is
    /// in "Access denied explanations").
    static let switchRefused = "Invalid information in one or more fields. Check your information or contact your administrator."

    static let switchRoleRoutes: [ConsoleRoute] = [
        .get("switchrole") { app, request in app.switchRolePage(request) },
        .post("switchrole") { app, request in await app.switchRole(request) },
        .post("switchrole/back") { app, request in app.switchBack(request) },
    ]

    /// The form; `?account=&roleName=&displayName=` fill it in, as AWS's
    /// switch-role links (`signin.aws.amazon.com/switchrole?...`) do.
    func switchRolePage(
        _ request: Request, values: [String: String]? = nil, error: HTML? = nil, status: Int = 200
    ) -> ConsoleReply {
        let values = values ?? request.query
        let none: HTML = (values["color"] ?? "").isEmpty ? " checked" : .empty
        let colors: [HTML] = ["<label class=\"color-choice\"><input type=\"radio\" name=\"color\" value=\"\"\(none)>None</label>"]
            + Self.roleColors.map { color in
                let checked: HTML = values["color"] == color.name ? " checked" : .empty
                return "<label class=\"color-choice role-color-\(color.name)\"><input type=\"radio\" name=\"color\" value=\"\(color.name)\"\(checked)>\(color.label)</label>"
            }
        let rootNote: HTML = request.session.signedIn.kind == .root
            ? Layout.Alert.info("You cannot switch roles when you sign in as the AWS account root user.").html : .empty
        return page(
            request, title: "Switch role", navigation: nil, status: status,
            body: """
                <h1>Switch role</h1>
                <p class="description">Switch roles to manage resources across AWS accounts using a single user. The role session lasts one hour.</p>
                \(rootNote)
                \(error ?? .empty)
                <section class="panel"><div class="content">
                <form method="post" action="/console/switchrole" class="stacked">
                <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
                <div class="field"><label for="account">Account ID</label>
                <input id="account" name="account" type="text" required value="\(values["account"] ?? "")"></div>
                <div class="field"><label for="roleName">IAM role name</label>
                <input id="roleName" name="roleName" type="text" required value="\(values["roleName"] ?? "")"></div>
                <div class="field"><label for="displayName">Display name - optional</label>
                <input id="displayName" name="displayName" type="text" maxlength="64" value="\(values["displayName"] ?? "")"></div>
                <fieldset class="field"><legend>Display color - optional</legend><div class="color-choices">\(colors)</div></fieldset>
                <div class="actions"><a class="button" href="/console">Cancel</a><button type="submit" class="primary">Switch Role</button></div>
                </form>
                </div></section>
                """)
    }

    func switchRole(_ request: Request) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let values = request.fields
        let refused = { (reason: AWSError?) -> ConsoleReply in
            let detail: HTML = reason.map { "<p class=\"detail\">\(Layout.explained($0))</p>" } ?? .empty
            return self.switchRolePage(
                request, values: values, error: "<div class=\"alert error\" role=\"alert\">\(Self.switchRefused)\(detail)</div>",
                status: 400)
        }
        let signedIn = request.session.signedIn
        guard signedIn.kind == .user, let userName = signedIn.entityName else { return refused(nil) }
        let account = (values["account"] ?? "").filter { $0 != "-" && $0 != " " }
        let roleName = (values["roleName"] ?? "").trimmingWhitespace()
        guard account.count == 12, account.allSatisfy(\.isNumber), !roleName.isEmpty else { return refused(nil) }
        let color = values["color"].flatMap { picked in Self.roleColors.first { $0.name == picked }?.name }
        let displayName = (values["displayName"] ?? "").trimmingWhitespace()

        // The switch is asked for by the user who signed in, never by a role it switched to before.
        var asUser = request
        asUser.session = request.session.actingAsSignedIn
        let assumed = await callSTS(
            STSOperation.AssumeRole.self,
            [
                "RoleArn": "arn:aws:iam::\(account):role/\(roleName)", "RoleSessionName": userName,
                "DurationSeconds": String(Self.switchedSessionSeconds),
            ], asUser)
        switch assumed {
        case .failure(let error):
            return refused(error)
        case .success(let output):
            guard let keyId = output.credentials?.accessKeyId else { return refused(nil) }
            do {
                try sessions.switchRole(
                    session: request.session.id, accessKeyId: keyId, displayName: displayName.isEmpty ? roleName : displayName,
                    color: color)
            } catch {
                return refused(nil)
            }
            return .redirect("/console")
        }
    }

    func switchBack(_ request: Request) -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        try? sessions.switchBack(session: request.session.id)
        return .redirect("/console")
    }
}

extension ConsoleSession {
    /// The same session acting as the principal who signed in.
    var actingAsSignedIn: ConsoleSession {
        ConsoleSession(
            principal: signedIn, signedIn: signedIn, switched: nil, id: id, region: region, csrfToken: csrfToken, expiresAt: expiresAt)
    }
}
