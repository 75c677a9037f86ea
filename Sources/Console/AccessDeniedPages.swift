import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import ServiceKit
import Platform

/// "Access denied explanations": a page of Gatehouse's own. AWS's console
/// cannot say why a request was refused; Gatehouse keeps every decision
/// (`DecisionLog`), so a learner sees their recent denials, the policies that
/// were weighed, AWS's reason and the smallest statement that would allow the
/// request. Everyone sees their own decisions (as the user who signed in and
/// as any role they switched to); an administrator — the root user, or a
/// principal allowed iam:AttachUserPolicy on every user, who can give
/// anyone (themselves included) any permission anyway — sees everyone's in
/// the account. Never another account's.
extension ConsoleApp {
    static func explanationPath(_ requestId: String) -> String {
        "/console/iam/access-denied/" + XMLWriter.percentEncode(requestId)
    }

    static let accessDeniedRoutes: [ConsoleRoute] = [
        .get("iam/access-denied") { app, request in app.accessDeniedList(request) },
        .get("iam/access-denied/:request") { app, request in app.accessDeniedEntry(request, requestId: request.parameter("request")) },
    ]

    /// Whether the viewer may read every decision in its account.
    func seesEveryone(_ request: Request) -> Bool {
        let principal = request.session.principal
        if principal.kind == .root { return true }
        guard let authorizer = environment.authorizer as? PolicyAuthorizer else { return false }
        let decision = try? authorizer.evaluate(
            AccessRequest(action: "iam:AttachUserPolicy", resource: "arn:aws:iam::\(principal.accountId):user/*"), context: context(request))
        return decision?.isAllowed ?? false
    }

    /// The decisions the viewer may read.
    func visibleDecisions(_ request: Request, limit: Int) -> [DecisionLog.Entry] {
        if seesEveryone(request) {
            let account = request.session.accountId
            return decisions.recent(limit: limit * 4, deniedOnly: true).filter { Self.account(ofPrincipal: $0.principal) == account }
                .suffix(limit).reversed()
        }
        let mine: Set<String> = [request.session.signedIn.arn, request.session.principal.arn]
        return decisions.recent(limit: limit, deniedOnly: true, principals: mine).reversed()
    }

    static func account(ofPrincipal arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count > 4 ? String(parts[4]) : nil
    }

    func accessDeniedList(_ request: Request) -> ConsoleReply {
        let everyone = seesEveryone(request)
        let entries = visibleDecisions(request, limit: 200)
        let rows: [HTML] = entries.map { entry in
            """
            <tr><td>\(Self.clock(entry.time))</td><td><a href="\(Self.explanationPath(entry.requestId))">\(entry.action)</a></td>
            <td class="arn">\(entry.resource)</td>\(everyone ? "<td class=\"arn\">\(entry.principal)</td>" : HTML.empty)
            <td>\(Self.outcomeLabel(entry.outcome))</td></tr>
            """
        }
        let (shown, pager) = paginate(rows, request: request, path: "/console/iam/access-denied")
        return page(
            request, title: "Access denied explanations", current: "/console/iam/access-denied",
            breadcrumbs: [("IAM", "/console/iam"), ("Access denied explanations", nil)],
            body: """
                <h1>Access denied explanations</h1>
                <p class="description">\(everyone
                    ? "Recent requests refused in this account, newest first. Open one to see why, and the statement that would allow it."
                    : "Your recent requests that were refused, newest first. Open one to see why, and the statement that would allow it.")</p>
                <section class="panel"><div class="content">
                <table class="list"><thead><tr><th scope="col">Time</th><th scope="col">Action</th><th scope="col">Resource</th>\(everyone ? "<th scope=\"col\">Principal</th>" : HTML.empty)<th scope="col">Decision</th></tr></thead>
                <tbody>\(shown.isEmpty ? "<tr><td colspan=\"5\" class=\"empty\">No denied requests.</td></tr>" : HTML.join(shown))</tbody></table>
                \(pager)
                </div></section>
                """)
    }

    func accessDeniedEntry(_ request: Request, requestId: String) -> ConsoleReply {
        let visible = Set(visibleDecisions(request, limit: 10_000).map(\.requestId))
        let entries = visible.contains(requestId) ? decisions.decisions(forRequest: requestId).filter { $0.outcome != "allowed" } : []
        guard !entries.isEmpty else {
            return page(
                request, title: "Access denied explanations", current: "/console/iam/access-denied",
                breadcrumbs: [("IAM", "/console/iam"), ("Access denied explanations", "/console/iam/access-denied"), (requestId, nil)],
                status: 404,
                body: """
                    <h1>No such decision</h1>
                    <p>No refused request with the ID \(requestId) is among the decisions you can see. The server keeps the most recent decisions only.</p>
                    """)
        }
        let sections: [HTML] = entries.map { explanation($0) }
        return page(
            request, title: "Why was I denied?", current: "/console/iam/access-denied",
            breadcrumbs: [("IAM", "/console/iam"), ("Access denied explanations", "/console/iam/access-denied"), (requestId, nil)],
            body: "<h1>Why was I denied?</h1>\(sections)")
    }

    private func explanation(_ entry: DecisionLog.Entry) -> HTML {
        let message = "User: \(entry.principal) is not authorized to perform: \(entry.action) on resource: \(entry.resource)"
            + (entry.reason.map { " " + $0 } ?? "")
        let fix = Self.remedy(entry)
        let policies: [HTML] = entry.evaluated.map { description in
            let arn = description.split(separator: " ").last.map(String.init) ?? ""
            let kind = String(description.dropLast(arn.count)).trimmingWhitespace()
            let link: HTML = arn.hasPrefix("arn:") && arn.contains(":policy/")
                ? "<a href=\"\(Self.policyPath(arn))\">\(arn)</a>" : "\(arn)"
            return "<li><span class=\"badge\">\(kind)</span> \(link)</li>"
        }
        let id = "fix-\(entry.sequence)"
        let deciding: [HTML] = entry.statements.map { "<li><code>\($0)</code></li>" }
        return """
            <section class="panel"><header><h2>\(entry.action)</h2></header><div class="content">
            <dl class="key-values">
            <div><dt>Request ID</dt><dd>\(entry.requestId)</dd></div>
            <div><dt>Time</dt><dd>\(Self.clock(entry.time))</dd></div>
            <div><dt>Principal</dt><dd>\(entry.principal)</dd></div>
            <div><dt>Action</dt><dd>\(entry.action)</dd></div>
            <div><dt>Resource</dt><dd>\(entry.resource)</dd></div>
            <div><dt>Decision</dt><dd>\(Self.outcomeLabel(entry.outcome))</dd></div>
            </dl>
            <h3 class="spaced">What AWS says</h3>
            <div class="alert error">\(message)</div>
            <h3 class="spaced">Why</h3>
            <p>\(fix.why)</p>
            <h3 class="spaced">Policies evaluated</h3>
            \(policies.isEmpty ? HTML("<p>No policy applies to this principal: nothing allows the request.</p>") : "<ul class=\"plain\">\(policies)</ul>")
            \(deciding.isEmpty ? HTML.empty : "<h3 class=\"spaced\">Deciding statements</h3><ul class=\"plain\">\(deciding)</ul>")
            \(fix.statement.map { statement in
                """
                <h3 class="spaced">\(fix.statementTitle)</h3>
                <div class="field"><label for="\(id)">Policy statement</label>
                <textarea id="\(id)" class="code short" readonly>\(statement)</textarea></div>
                <button type="button" data-copy="\(id)">Copy</button>
                """ as HTML
            } ?? HTML.empty)
            </div></section>
            """
    }

    /// What would change the outcome, and the statement to copy when one statement can.
    static func remedy(_ entry: DecisionLog.Entry) -> (why: String, statementTitle: String, statement: String?) {
        let reason = entry.reason ?? ""
        let allow = { (principal: String?) -> String in
            var w = JSONWriter()
            w.objectStart()
            w.key("Version"); w.value("2012-10-17")
            w.key("Statement"); w.arrayStart(); w.objectStart()
            w.key("Effect"); w.value("Allow")
            if let principal {
                w.key("Principal"); w.objectStart(); w.key("AWS"); w.value(principal); w.objectEnd()
            }
            w.key("Action"); w.value(entry.action)
            w.key("Resource"); w.value(entry.resource)
            w.objectEnd(); w.arrayEnd()
            w.objectEnd()
            return (try? JSONParser.parse(Array(w.string.utf8)))?.pretty(indent: 4) ?? w.string
        }
        if entry.outcome == "explicitDeny" {
            let denying = entry.statements.first ?? "a Deny statement"
            return (
                "A statement with \"Effect\": \"Deny\" matched the request (\(reason)). An explicit deny overrides every allow, so no statement added elsewhere can allow it: the deny (\(denying)) must be changed or removed, or the request made differently.",
                "", String?.none)
        }
        if reason.contains("permissions boundary") {
            return (
                "The principal has a permissions boundary, and the boundary does not allow the request. A request must be allowed by both the identity-based policies and the boundary. Add this statement to the permissions boundary policy (and make sure an identity-based policy allows it too):",
                "Statement for the permissions boundary", allow(nil))
        }
        if reason.contains("session policy") {
            return (
                "The session was created with a session policy that does not allow the request. A session's permissions are the intersection of its role's policies and its session policies: request new credentials whose session policy allows it.",
                "Statement for the session policy", allow(nil))
        }
        if reason.contains("resource-based policy") {
            return (
                "The resource belongs to another account, so its resource-based policy must allow this principal as well as the principal's own policies. Add this statement to the resource's policy:",
                "Statement for the resource-based policy", allow(entry.principal))
        }
        if entry.action.lowercased().hasPrefix("sts:assumerole") {
            return (
                "To assume a role, the caller's own policies must allow sts:AssumeRole on the role (unless the trust policy names the caller itself) and the role's trust policy must trust the caller. Add this statement to the caller's policy, and make sure the role's trust policy names the caller as a Principal:",
                "Statement for the caller's identity-based policy", allow(nil))
        }
        return (
            "No statement in the principal's identity-based policies allows this action on this resource, so the request is implicitly denied. The smallest statement that would allow it — add it to a policy attached to the principal:",
            "The smallest statement that would allow it", allow(nil))
    }

    static func outcomeLabel(_ outcome: String) -> String {
        switch outcome {
        case "explicitDeny": "Explicit deny"
        case "implicitDeny": "Implicit deny"
        default: "Allowed"
        }
    }

    /// A decision's time as the console shows times (UTC).
    static func clock(_ time: Double) -> String {
        Timestamp(secondsSince1970: time).iso8601
    }
}
