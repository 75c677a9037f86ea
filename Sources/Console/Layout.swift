/// The frame every console page shares, as AWS's console draws it: the dark
/// top bar with the account menu, a service's navigation on the left,
/// breadcrumbs, alerts, then the page.
struct Layout {
    /// A service's left navigation: (label, path).
    struct Navigation {
        var title: String
        var home: String
        var links: [(label: String, path: String)]

        static let iam = Navigation(
            title: "Identity and Access Management (IAM)", home: "/console/iam",
            links: [
                ("Dashboard", "/console/iam"), ("User groups", "/console/iam/groups"), ("Users", "/console/iam/users"), ("Roles", "/console/iam/roles"),
                ("Policies", "/console/iam/policies"), ("Account settings", "/console/iam/account-settings"),
            ])
    }

    enum Alert: Sendable {
        case success(String)
        case error(String)
        case info(String)

        var html: HTML {
            switch self {
            case .success(let text): "<div class=\"alert success\" role=\"status\">\(text)</div>"
            case .error(let text): "<div class=\"alert error\" role=\"alert\">\(text)</div>"
            case .info(let text): "<div class=\"alert info\" role=\"status\">\(text)</div>"
            }
        }
    }

    /// The assets a page loads (besides console.css and console.js).
    enum Script: String {
        case policyEditor = "policy-editor"
        case roleWizard = "role-wizard"
        case userPages = "user-pages"
    }

    static func page(
        title: String, session: ConsoleSession?, navigation: Navigation? = nil, current: String? = nil,
        breadcrumbs: [(label: String, path: String?)] = [], alerts: [Alert] = [], scripts: [Script] = [], body: HTML
    ) -> HTML {
        let head: [HTML] = scripts.map { script in
            """
            <link rel="stylesheet" href="\(ConsoleAssets.path(script.rawValue + ".css"))">
            <script defer src="\(ConsoleAssets.path(script.rawValue + ".js"))"></script>
            """
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) | Gatehouse</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="\(ConsoleAssets.path("console.css"))">
            <script defer src="\(ConsoleAssets.path("console.js"))"></script>
            \(head)
            </head>
            <body>
            \(topBar(session))
            <div class="shell\(navigation == nil ? "" : " with-navigation")">
            \(navigation.map { sideNavigation($0, current: current) } ?? .empty)
            <main id="main">
            \(breadcrumbs.isEmpty ? .empty : trail(breadcrumbs))
            \(alerts.map(\.html))
            \(body)
            </main>
            </div>
            </body>
            </html>
            """
    }

    private static func topBar(_ session: ConsoleSession?) -> HTML {
        let menu: HTML
        if let session {
            menu = """
                <details class="account-menu">
                <summary aria-haspopup="menu">\(session.menuLabel)</summary>
                <div class="menu" role="menu">
                <dl>
                <dt>Account ID</dt><dd>\(ConsoleSession.dashed(session.accountId))</dd>
                <dt>\(session.principal.kind == .root ? "Signed in as" : "IAM user")</dt><dd>\(session.principal.kind == .root ? "Root user" : session.principal.entityName ?? "")</dd>
                </dl>
                <form method="post" action="/console/signout">
                <input type="hidden" name="csrf" value="\(session.csrfToken)">
                <button type="submit" role="menuitem" class="primary">Sign out</button>
                </form>
                </div>
                </details>
                """
        } else {
            menu = .empty
        }
        return """
            <header class="top-bar">
            <a class="brand" href="/console" aria-label="Console Home">Gatehouse</a>
            \(session == nil ? .empty : "<a class=\"services\" href=\"/console\">Services</a>")
            <span class="spacer"></span>
            \(session == nil ? .empty : "<span class=\"region\" title=\"Gatehouse serves every region\">Global</span>")
            \(menu)
            </header>
            """
    }

    private static func sideNavigation(_ navigation: Navigation, current: String?) -> HTML {
        let links: [HTML] = navigation.links.map { link in
            let here = link.path == current
            return "<li><a href=\"\(link.path)\"\(here ? HTML(trusted: " aria-current=\"page\"") : .empty)>\(link.label)</a></li>"
        }
        return """
            <nav class="side-navigation" aria-label="\(navigation.title)">
            <h2><a href="\(navigation.home)">\(navigation.title)</a></h2>
            <ul>\(links)</ul>
            </nav>
            """
    }

    private static func trail(_ crumbs: [(label: String, path: String?)]) -> HTML {
        let items: [HTML] = crumbs.map { crumb in
            if let path = crumb.path { return "<li><a href=\"\(path)\">\(crumb.label)</a></li>" }
            return "<li aria-current=\"page\">\(crumb.label)</li>"
        }
        return "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumbs\"><ol>\(items)</ol></nav>"
    }
}
