import AWSWire
import Console
import HTTPTypes
import Hummingbird
import NIOCore

/// `/console`: the web console. Sign-in pages and the assets are public;
/// every other page sits behind `ConsoleAuthentication` (the session cookie)
/// and acts as the signed-in principal through `ConsoleApp`.
struct ConsoleRoutes: Sendable {
    let app: ConsoleApp

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("", use: entry)
            .get("signin", use: signInPage)
            .post("signin", use: signIn)
            .get("signin/root", use: rootSignInPage)
            .post("signin/root", use: rootSignIn)
            .post("signin/mfa", use: mfa)
            .post("signin/password", use: changePassword)
            .post("signout", use: signOut)
            .get("assets/:name", use: asset)
        let pages = group.group().add(middleware: Authentication(ConsoleAuthentication(sessions: app.sessions)))
        for route in ConsoleApp.routes {
            switch route.method {
            case .get: pages.get(RouterPath(route.path), use: page(route))
            case .post: pages.post(RouterPath(route.path), use: page(route))
            }
        }
        pages.get("**", use: page(.get("**") { app, request in app.notFound(request) }))
    }

    /// A page behind the session: the request as `ConsoleApp` reads it.
    private func page(_ route: ConsoleRoute) -> @Sendable (Request, GatehouseRequestContext) async throws -> Response {
        let names = route.parameterNames
        return { [app] request, context in
            guard case .console(let session) = context.caller else {
                preconditionFailure("console pages run behind ConsoleAuthentication")
            }
            var parameters: [String: String] = [:]
            for name in names { parameters[name] = Self.segment(context.parameters, name) }
            let consoleRequest = ConsoleApp.Request(
                session: session, sourceIp: context.sourceIp, query: Self.query(request), form: try await Self.form(request),
                parameters: parameters, path: request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
            return Self.response(await route.answer(app, consoleRequest))
        }
    }

    // MARK: - Public pages

    /// `/console`: Console Home with a session, the sign-in page without one.
    @Sendable func entry(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        if let session = try session(of: request) {
            let consoleRequest = ConsoleApp.Request(session: session, sourceIp: context.sourceIp, query: [:], form: [])
            return Self.response(app.home(consoleRequest))
        }
        return Self.response(app.signInPage(account: Self.query(request)["account"] ?? ""))
    }

    @Sendable func signInPage(_ request: Request, context: GatehouseRequestContext) -> Response {
        let query = Self.query(request)
        return Self.response(app.signInPage(account: query["account"] ?? "", next: query["next"]))
    }

    @Sendable func signIn(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let form = Self.fields(try await Self.form(request))
        let (account, user, next) = (form["account"] ?? "", form["username"] ?? "", form["next"])
        let outcome = try await app.signIn.user(account: account, userName: user, password: form["password"] ?? "")
        return Self.response(app.reply(to: outcome, next: next) { message in
            app.signInPage(account: account, userName: user, next: next, error: message)
        })
    }

    @Sendable func rootSignInPage(_ request: Request, context: GatehouseRequestContext) -> Response {
        Self.response(app.rootSignInPage())
    }

    @Sendable func rootSignIn(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let form = Self.fields(try await Self.form(request))
        let email = form["email"] ?? ""
        let outcome = try await app.signIn.root(email: email, password: form["password"] ?? "")
        return Self.response(app.reply(to: outcome, next: nil) { message in app.rootSignInPage(email: email, error: message) })
    }

    @Sendable func mfa(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let form = Self.fields(try await Self.form(request))
        let (ticket, next) = (form["ticket"] ?? "", form["next"])
        let outcome = try app.signIn.mfa(ticket: ticket, code: form["code"] ?? "")
        return Self.response(app.reply(to: outcome, next: next) { message in app.mfaPage(ticket: ticket, next: next, error: message) })
    }

    @Sendable func changePassword(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let form = Self.fields(try await Self.form(request))
        let (ticket, next) = (form["ticket"] ?? "", form["next"])
        let outcome = try await app.signIn.changePassword(
            ticket: ticket, old: form["oldPassword"] ?? "", new: form["newPassword"] ?? "", retype: form["retypePassword"] ?? "",
            sourceIp: context.sourceIp)
        return Self.response(app.reply(to: outcome, next: next) { message in
            app.passwordChangePage(
                ticket: ticket, accountId: form["account"] ?? "", userName: form["username"] ?? "", next: next, error: message)
        })
    }

    /// Sign out: the session ends on the server, the cookie is cleared.
    @Sendable func signOut(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let form = Self.fields(try await Self.form(request))
        if let session = try session(of: request), form["csrf"] == session.csrfToken {
            try app.sessions.end(session: session.id)
        }
        return Self.response(ConsoleReply.redirect("/console").setting(cookies: ConsoleCookie.clear))
    }

    @Sendable func asset(_ request: Request, context: GatehouseRequestContext) -> Response {
        guard let name = context.parameters.get("name"), let asset = ConsoleAssets.all[name] else {
            return Response(status: .notFound, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "no such asset")))
        }
        let etag = "\"\(asset.version)\""
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        var headers = Self.securityHeaders
        headers[.contentType] = asset.contentType
        headers[.eTag] = etag
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.body)))
    }

    // MARK: - Reading and writing

    private func session(of request: Request) throws -> ConsoleSession? {
        try app.sessions.session(cookies: request.headers[.cookie])
    }

    /// A path parameter as named: the router hands segments over still
    /// percent-encoded (a role `web+app@team` arrives as `web%2Bapp%40team`).
    static func segment(_ parameters: Parameters, _ name: String) -> String {
        FormEncoding.percentDecode(parameters.get(name) ?? "")
    }

    static func query(_ request: Request) -> [String: String] {
        guard let query = request.uri.query else { return [:] }
        return FormEncoding.decode(query)
    }

    /// A form's fields, in order (empty unless the body is a URL-encoded form).
    static func form(_ request: Request) async throws -> [(String, String)] {
        guard request.method == .post,
            request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        else { return [] }
        let body = try await request.body.collect(upTo: 2 * 1024 * 1024)
        return FormEncoding.pairs(String(buffer: body))
    }

    static func fields(_ form: [(String, String)]) -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in form where fields[key] == nil { fields[key] = value }
        return fields
    }

    /// What every console response carries: no framing by other sites, no
    /// script or style from anywhere but the console, no sniffing.
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
    ]

    static func response(_ reply: ConsoleReply) -> Response {
        var headers = securityHeaders
        headers[.contentType] = reply.contentType
        headers[.cacheControl] = reply.cacheable ? "private, max-age=3600" : "no-store"
        if let location = reply.location { headers[.location] = location }
        for cookie in reply.cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}

/// The console's scheme: the session cookie. Without a live session, a page
/// request is sent to the sign-in page, which comes back to it afterwards.
struct ConsoleAuthentication: AuthenticationScheme {
    let sessions: ConsoleSessions

    func caller(of request: Request, context: GatehouseRequestContext) throws -> Caller {
        if let session = try sessions.session(cookies: request.headers[.cookie]) {
            return .console(session)
        }
        throw ConsoleSignInRequired(path: request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
    }
}

/// A console page asked for without a session: to the sign-in page, and back after it.
struct ConsoleSignInRequired: HTTPResponseError {
    let path: String
    var status: HTTPResponse.Status { .seeOther }

    func response(from request: Request, context: some RequestContext) -> Response {
        var headers = ConsoleRoutes.securityHeaders
        headers[.location] = "/console/signin?next=" + FormEncoding.uriEncode(path)
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}
