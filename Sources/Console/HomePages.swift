import AWSShapes

/// Console Home and the IAM dashboard.
extension ConsoleApp {
    /// Console Home: the services this console has pages for.
    public func home(_ request: Request) -> ConsoleReply {
        page(
            request, title: "Console Home", navigation: nil,
            body: """
                <h1>Console Home</h1>
                <section class="panel">
                <header><h2>Services</h2></header>
                <div class="content tiles">
                <a href="/console/iam">IAM<span>Manage access to AWS resources</span></a>
                <a href="/console/ecr/private-registry/repositories">Elastic Container Registry<span>Share and deploy container software, publicly or privately</span></a>
                </div>
                </section>
                """)
    }

    /// IAM dashboard: the account's resources counted (GetAccountSummary) and how its users sign in.
    public func iamDashboard(_ request: Request) async -> ConsoleReply {
        let counts: HTML
        switch await call(IAMOperation.GetAccountSummary.self, [:], request) {
        case .failure(let error):
            counts = Layout.Alert.failure(error).html
        case .success(let output):
            let map = output.summaryMap ?? [:]
            let items: [(String, String, String)] = [
                ("User groups", "Groups", "/console/iam/groups"), ("Users", "Users", "/console/iam/users"), ("Roles", "Roles", "/console/iam/roles"),
                ("Policies", "Policies", "/console/iam/policies"), ("Identity providers", "Providers", "/console/iam"),
            ]
            let cells: [HTML] = items.map { label, key, path in
                "<div><div class=\"label\">\(label)</div><a href=\"\(path)\" aria-label=\"\(label): \(map[key] ?? 0)\">\(map[key] ?? 0)</a></div>"
            }
            counts = "<div class=\"counts\">\(cells)</div>"
        }
        let alias: String? = switch await call(IAMOperation.ListAccountAliases.self, [:], request) {
        case .success(let output): output.accountAliases.first
        case .failure: nil
        }
        let aliasDelete: HTML = alias.map { alias in
            """
            <form method="post" action="/console/iam/account-alias/delete">\(Self.token(request))<input type="hidden" name="AccountAlias" value="\(alias)">\
            <button type="submit" aria-label="Delete account alias">Delete</button></form>
            """
        } ?? .empty
        return page(
            request, title: "IAM", current: "/console/iam", breadcrumbs: [("IAM", nil)],
            scripts: [.userPages],
            body: """
                <h1>IAM Dashboard</h1>
                <section class="panel"><header><h2>IAM resources</h2></header><div class="content">\(counts)</div></section>
                <section class="panel"><header><h2>AWS Account</h2></header><div class="content">
                <dl class="key-values">
                <div><dt>Account ID</dt><dd>\(request.session.accountId)</dd></div>
                <div><dt>Account Alias</dt><dd>\(alias ?? "None")
                <div class="actions"><a class="button" href="/console/iam/account-alias" aria-label="\(alias == nil ? "Create" : "Edit") account alias">\(alias == nil ? "Create" : "Edit")</a>\(aliasDelete)</div></dd></div>
                <div><dt>Sign-in URL for IAM users in this account</dt><dd>\(signInURL)</dd></div>
                </dl>
                </div></section>
                """)
    }
}

extension ConsoleApp {
    static let homeRoutes: [ConsoleRoute] = [
        .get("iam") { app, request in await app.iamDashboard(request) }
    ]
}
