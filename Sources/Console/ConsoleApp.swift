import AWSShapes
import AWSWire
import JSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import ServiceCatalog
import ServiceKit
import Storage
import Synchronization

/// The web console: its pages and what each click does. Every change is the
/// IAM operation itself (`QueryService.call`) as the signed-in principal,
/// through the same validation, authorizer and transaction as the API — a
/// click that AWS would refuse is refused with AWS's message and changes
/// nothing. HTTP (routes, cookies, headers) is GatehouseServer's.
public final class ConsoleApp: Sendable {
    let environment: ServiceEnvironment
    let iam: QueryService
    let sts: QueryService
    let ecr: JSONService
    let accessAnalyzer: RestJSONService
    /// Every authorization decision: what "Access denied explanations" reads.
    let decisions: DecisionLog
    public let sessions: ConsoleSessions
    public let signIn: ConsoleSignIn
    /// One message for the next page a session sees ("Policy X created."), by session.
    private let flashes = Mutex<[String: [Layout.Alert]]>([:])

    public init(
        environment: ServiceEnvironment, iam: QueryService, sts: QueryService, ecr: JSONService, accessAnalyzer: RestJSONService,
        decisions: DecisionLog
    ) {
        self.environment = environment
        self.iam = iam
        self.sts = sts
        self.ecr = ecr
        self.accessAnalyzer = accessAnalyzer
        self.decisions = decisions
        sessions = ConsoleSessions(store: environment.store, clock: environment.clock)
        signIn = ConsoleSignIn(environment: environment, iam: iam, sessions: sessions)
    }

    /// The Service Authorization Reference the services use, read on first use: a
    /// server whose console no one opens does not hold its 2 MB.
    var catalog: ServiceCatalog? { environment.services.catalog }

    public var now: Double { environment.clock.now().secondsSince1970 }

    /// The host the server advertises (`--advertised-host`), for the sign-in URL.
    public var advertisedHost: String { environment.settings.advertisedHost }

    /// A console path with no page.
    public func notFound(_ request: Request) -> ConsoleReply {
        page(request, title: "Page not found", navigation: nil, status: 404,
             body: "<h1>Page not found</h1><p>This console has no page at this address. <a href=\"/console\">Console Home</a></p>")
    }

    /// One console request, after the routes read it.
    public struct Request: Sendable {
        public var session: ConsoleSession
        public var sourceIp: String
        /// The query string's parameters.
        public var query: [String: String]
        /// A form's fields (POST), in order.
        public var form: [(String, String)]
        /// The route's path parameters, percent-decoded.
        public var parameters: [String: String]
        /// The path asked for, with its query (where the region menu comes back to).
        public var path: String

        public init(
            session: ConsoleSession, sourceIp: String, query: [String: String], form: [(String, String)],
            parameters: [String: String] = [:], path: String = "/console"
        ) {
            self.session = session
            self.sourceIp = sourceIp
            self.query = query
            self.form = form
            self.parameters = parameters
            self.path = path
        }

        /// A path parameter (`:role` in the route's path).
        public func parameter(_ name: String) -> String { parameters[name] ?? "" }

        /// The first value of a form field.
        public func field(_ name: String) -> String? { form.first { $0.0 == name }?.1 }

        /// The form's fields by name (the first value of each).
        public var fields: [String: String] {
            var fields: [String: String] = [:]
            for (key, value) in form where fields[key] == nil { fields[key] = value }
            return fields
        }

        /// Whether a change carries the session's CSRF token.
        public var carriesToken: Bool {
            guard let sent = field("csrf") else { return false }
            return ConstantTime.equals(sent, session.csrfToken)
        }
    }

    /// An IAM operation as the signed-in principal (or the role it switched
    /// to): the console's one way to read or change anything.
    func call<Op: QueryOperation>(_ operation: Op.Type, _ parameters: [String: String], _ request: Request) async -> Result<Op.Output, AWSError> {
        let context = context(request)
        return await iam.call(operation, parameters, context: context).mapError { $0.from(context) }
    }

    /// An STS operation, the same way.
    func callSTS<Op: QueryOperation>(_ operation: Op.Type, _ parameters: [String: String], _ request: Request) async -> Result<Op.Output, AWSError> {
        let context = context(request)
        return await sts.call(operation, parameters, context: context).mapError { $0.from(context) }
    }

    /// An ECR operation on its JSON body, the same way, in the region the
    /// page works in (the server's default unless the user picked another).
    func callECR<Op: JSONOperation>(_ operation: Op.Type, _ body: JSONValue, _ request: Request) async -> Result<Op.Output, AWSError> {
        let context = context(request)
        return await ecr.call(operation, body, context: context).mapError { $0.from(context) }
    }

    /// An Access Analyzer operation by its REST route (`PUT /policy/generation`),
    /// the same way: its JSON answer (an empty object for an empty body).
    func callAccessAnalyzer(
        _ method: String, _ path: String, query: [String: String] = [:], body: String = "", _ request: Request
    ) async -> Result<JSONValue, AWSError> {
        let context = context(request)
        return await accessAnalyzer.call(method: method, path: path, query: query, body: Array(body.utf8), context: context)
            .mapError { $0.from(context) }
            .map { bytes in (try? JSONParser.parse(bytes)) ?? .object(JSONObject()) }
    }

    /// What an operation run from the console knows of its request.
    func context(_ request: Request) -> OperationContext {
        OperationContext(
            requestId: environment.ids.uuid(), principal: request.session.principal, region: region(request),
            now: environment.clock.now(), sourceIp: request.sourceIp, secureTransport: false, userAgent: "Gatehouse console",
            environment: environment)
    }

    /// The region a page works in: `?region=` (as AWS's console carries it in
    /// the URL), else the one picked in the region menu, else the server's default.
    func region(_ request: Request) -> String {
        if let picked = request.query["region"], AWSRegions.partition.contains(picked) { return picked }
        if let picked = request.session.region, AWSRegions.partition.contains(picked) { return picked }
        return environment.settings.defaultRegion
    }

    /// Every page of a list operation, following its markers.
    func all<Op: QueryOperation, Item>(
        _ operation: Op.Type, _ parameters: [String: String], _ request: Request, items: (Op.Output) -> [Item],
        marker: (Op.Output) -> String?
    ) async -> Result<[Item], AWSError> {
        var found: [Item] = []
        var parameters = parameters
        parameters["MaxItems"] = "1000"
        while true {
            switch await call(operation, parameters, request) {
            case .failure(let error):
                return .failure(error)
            case .success(let output):
                found += items(output)
                guard let next = marker(output) else { return .success(found) }
                parameters["Marker"] = next
            }
        }
    }

    // MARK: - Flash messages

    func flash(_ alert: Layout.Alert, for session: ConsoleSession) {
        flashes.withLock { $0[session.csrfToken, default: []].append(alert) }
    }

    func takeFlashes(_ session: ConsoleSession) -> [Layout.Alert] {
        flashes.withLock { $0.removeValue(forKey: session.csrfToken) ?? [] }
    }

    /// A page in the frame, with the session's pending messages.
    func page(
        _ request: Request, title: String, navigation: Layout.Navigation? = .iam, current: String? = nil,
        breadcrumbs: [(label: String, path: String?)] = [], alerts: [Layout.Alert] = [], scripts: [Layout.Script] = [],
        status: Int = 200, body: HTML
    ) -> ConsoleReply {
        .page(
            Layout.page(
                title: title, session: request.session, navigation: navigation, current: current, breadcrumbs: breadcrumbs,
                alerts: takeFlashes(request.session) + alerts, scripts: scripts,
                region: navigation?.regional == true ? (region(request), request.path) : nil, body: body),
            status: status)
    }

    static let regionRoutes: [ConsoleRoute] = [
        .post("region") { app, request in
            guard request.carriesToken else { return app.forbidden(request) }
            if let region = request.field("region"), AWSRegions.partition.contains(region) {
                try? app.sessions.pick(region: region, session: request.session.id)
            }
            return .redirect(ConsoleApp.safeNext(request.field("next")))
        }
    ]

    /// AWS's refusal of a change without a valid CSRF token would be a
    /// sign-in page; the console says what happened instead.
    func forbidden(_ request: Request) -> ConsoleReply {
        page(
            request, title: "Request refused", status: 403,
            body: "<h1>Request refused</h1><p>The form was sent without this session's security token. Reload the page and try again.</p>")
    }
}

extension AWSError {
    /// What a page shows for the error: AWS's message, or its code when it has none.
    var said: String { message ?? code }

    /// Whether the authorizer refused it (IAM/STS `AccessDenied`, ECR `AccessDeniedException`).
    var isAccessDenied: Bool { code == "AccessDenied" || code == "AccessDeniedException" }

    /// The error, knowing the request it answered.
    func from(_ context: OperationContext) -> AWSError {
        var error = self
        error.requestId = context.requestId
        return error
    }
}
