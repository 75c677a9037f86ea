import AWSShapes
import AWSWire

/// The frame every console page shares, as AWS's console draws it: the dark
/// top bar with the account menu, a service's navigation on the left,
/// breadcrumbs, alerts, then the page.
struct Layout {
    /// A service's left navigation: (label, path).
    struct Navigation {
        var title: String
        var home: String
        var links: [(label: String, path: String)]
        /// A heading over the links ("Private registry"), when the service groups them.
        var section: String? = nil
        /// Whether the service's pages work in a region (the top bar's region menu), or globally (IAM).
        var regional = false

        static let iam = Navigation(
            title: "Identity and Access Management (IAM)", home: "/console/iam",
            links: [
                ("Dashboard", "/console/iam"), ("User groups", "/console/iam/groups"), ("Users", "/console/iam/users"), ("Roles", "/console/iam/roles"),
                ("Policies", "/console/iam/policies"), ("Account settings", "/console/iam/account-settings"),
                ("Policy simulator", "/console/iam/policy-simulator"), ("Access denied explanations", "/console/iam/access-denied"),
            ])

        static let ecr = Navigation(
            title: "Amazon Elastic Container Registry", home: "/console/ecr/private-registry/repositories",
            links: [("Repositories", "/console/ecr/private-registry/repositories")], section: "Private registry", regional: true)
    }

    enum Alert: Sendable {
        case success(String)
        case error(String)
        case info(String)
        /// An operation's error: AWS's message, and for a denial a link to
        /// its entry in "Access denied explanations".
        case failure(AWSError)

        var html: HTML {
            switch self {
            case .success(let text): "<div class=\"alert success\" role=\"status\">\(text)</div>"
            case .error(let text): "<div class=\"alert error\" role=\"alert\">\(text)</div>"
            case .info(let text): "<div class=\"alert info\" role=\"status\">\(text)</div>"
            case .failure(let error): "<div class=\"alert error\" role=\"alert\">\(Layout.explained(error))</div>"
            }
        }
    }

    /// An error's message; a denial's with the link to why.
    static func explained(_ error: AWSError) -> HTML {
        guard error.isAccessDenied, let requestId = error.requestId else { return "\(error.said)" }
        return "\(error.said) <a class=\"explain\" href=\"\(ConsoleApp.explanationPath(requestId))\">Why was I denied?</a>"
    }

    /// The assets a page loads (besides console.css and console.js).
    enum Script: String {
        case policyEditor = "policy-editor"
        case roleWizard = "role-wizard"
        case ecr = "ecr"
        case userPages = "user-pages"
    }

    static func page(
        title: String, session: ConsoleSession?, navigation: Navigation? = nil, current: String? = nil,
        breadcrumbs: [(label: String, path: String?)] = [], alerts: [Alert] = [], scripts: [Script] = [],
        region: (current: String, path: String)? = nil, body: HTML
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
            \(topBar(session, region: region))
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

    /// The top bar's region: "Global" for a global service, else a menu of the partition's regions.
    private static func regionMenu(_ session: ConsoleSession, _ region: (current: String, path: String)?) -> HTML {
        guard let region else { return "<span class=\"region\" title=\"IAM is global\">Global</span>" }
        let name = AWSRegions.descriptions[region.current] ?? region.current
        let short = name.split(separator: "(").last.map { String($0.dropLast()) } ?? name
        let items: [HTML] = AWSRegions.descriptions.sorted { $0.key < $1.key }.map { code, description in
            let here: HTML = code == region.current ? " aria-current=\"true\"" : .empty
            return "<button type=\"submit\" name=\"region\" value=\"\(code)\" role=\"menuitem\"\(here)>\(description) <span class=\"code\">\(code)</span></button>"
        }
        return """
            <details class="region-menu">
            <summary aria-haspopup="menu" aria-label="Region: \(name)">\(short)</summary>
            <form method="post" action="/console/region" class="menu" role="menu">
            <input type="hidden" name="csrf" value="\(session.csrfToken)">
            <input type="hidden" name="next" value="\(region.path)">
            \(items)
            </form>
            </details>
            """
    }

    private static func topBar(_ session: ConsoleSession?, region: (current: String, path: String)? = nil) -> HTML {
        let menu: HTML
        if let session {
            let csrf: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrfToken)\">"
            let who: HTML
            let switching: HTML
            if let switched = session.switched {
                let signedIn = session.signedIn
                who = """
                    <dt>Currently active as</dt><dd>\(session.principal.entityName ?? switched.roleArn)</dd>
                    <dt>Signed in as</dt><dd>\(signedIn.entityName ?? signedIn.arn) @ \(ConsoleSession.dashed(signedIn.accountId))</dd>
                    """
                switching = """
                    <form method="post" action="/console/switchrole/back">\(csrf)<button type="submit" role="menuitem">Switch back</button></form>
                    <a href="/console/switchrole" role="menuitem">Switch role</a>
                    """
            } else if session.signedIn.kind == .root {
                who = "<dt>Signed in as</dt><dd>Root user</dd>"
                switching = .empty
            } else {
                who = "<dt>IAM user</dt><dd>\(session.signedIn.entityName ?? "")</dd>"
                switching = "<a href=\"/console/switchrole\" role=\"menuitem\">Switch role</a>"
            }
            let color: HTML = session.switched?.color.map { " class=\"role-color-\($0)\"" } ?? .empty
            menu = """
                <details class="account-menu">
                <summary aria-haspopup="menu"\(color)>\(session.menuLabel)</summary>
                <div class="menu" role="menu">
                <dl>
                <dt>Account ID</dt><dd>\(ConsoleSession.dashed(session.accountId))</dd>
                \(who)
                </dl>
                <div class="menu-actions">\(switching)</div>
                <form method="post" action="/console/signout">
                \(csrf)
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
            \(session.map { regionMenu($0, region) } ?? .empty)
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
            \(navigation.section.map { "<h3>\($0)</h3>" } ?? HTML.empty)
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
