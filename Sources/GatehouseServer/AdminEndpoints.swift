import HTTPTypes
import Hummingbird
import AWSShapes
import JSON
import PolicyGeneration
import ServiceKit

/// `/_gatehouse/…`: health for orchestrators, reset for test suites, state
/// snapshots for `gatehouse state` (AdminEndpoints+State.swift), the decision
/// log. Health is open to any peer; everything else — reset, state, the
/// decision log, which names principals, actions and resources of every
/// account — sits behind `AdminAuthentication`: loopback peers, or others
/// presenting the operator's admin token.
struct AdminEndpoints: Sendable {
    let environment: ServiceEnvironment
    let seeder: Seeder
    let decisions: DecisionLog
    let lab: Lab
    /// Operation counts per service, for the health answer.
    let services: [(name: String, implemented: Int, total: Int)]

    func addRoutes(to group: RouterGroup<GatehouseRequestContext>, access: AdminAuthentication) {
        group.on("health", [.get: health, .head: health], otherwise: noEndpoint)
        group.add(middleware: Authentication(access))
            .on("decisions", [.get: recentDecisions], otherwise: noEndpoint)
            .on("policy-generation", [.get: generatePolicy], otherwise: noEndpoint)
            .on("reset", [.post: reset], otherwise: noEndpoint)
            .on("lab", [.get: labRoster, .post: createLab], otherwise: noEndpoint)
            .on("lab/learners/:name/reset", [.post: resetLearner], otherwise: noEndpoint)
            .on("state", [.get: exportState, .post: importState], otherwise: stateMethodNotAllowed)
            .onEveryMethod("state/blobs", use: stateBlob)
            .onEveryMethod("state/blobs/**", use: stateBlob)
            .onEveryMethod("", use: noEndpoint)
            .onEveryMethod("**", use: noEndpoint)
    }

    @Sendable func noEndpoint(_ request: Request, context: GatehouseRequestContext) throws -> Response {
        throw AdminFailure(.notFound, "no admin endpoint \(request.method.rawValue) \(request.uri.path)")
    }

    @Sendable func reset(_ request: Request, context: GatehouseRequestContext) throws -> Response {
        try seeder.reset(environment.store, now: environment.clock.now().secondsSince1970)
        return Self.json(.ok) { w in
            w.key("status")
            w.value("reset")
        }
    }

    /// `?denied=true&principal=ARN&limit=N&after=SEQ`, most recent last;
    /// with `after`, the first N entries logged after sequence number SEQ.
    @Sendable func recentDecisions(_ request: Request, context: GatehouseRequestContext) -> Response {
        let query = request.uri.queryParameters
        let limit = query["limit"].flatMap { Int(String($0)) } ?? 100
        let entries = decisions.recent(
            limit: limit, deniedOnly: query["denied"].map { $0 == "true" } ?? false,
            principal: query["principal"].map(String.init), after: query["after"].flatMap { UInt64(String($0)) })
        let body = "[" + entries.map(\.json).joined(separator: ",") + "]"
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// `?principal=ARN[&since=ISO8601][&maxResources=N]`: the least-privilege
    /// policy for the calls the principal made among the decisions the server
    /// keeps (its last 1,000; `serve --decision-log` keeps them all for
    /// `gatehouse policy generate --log`): `{"policy", "coveredDenials",
    /// "explicitlyDenied", "decisions"}`, or 404 when it made no call to allow.
    @Sendable func generatePolicy(_ request: Request, context: GatehouseRequestContext) throws -> Response {
        let query = request.uri.queryParameters
        guard let principal = query["principal"].map(String.init), !principal.isEmpty else {
            throw AdminFailure(.badRequest, "name the principal: ?principal=ARN")
        }
        var since = -Double.infinity
        if let text = query["since"].map(String.init) {
            guard let time = Timestamp(iso8601: text) else { throw AdminFailure(.badRequest, "since=\(text) is not an ISO 8601 time") }
            since = time.secondsSince1970
        }
        let maximumResources = query["maxResources"].flatMap { Int(String($0)) } ?? 10
        guard maximumResources >= 1 else { throw AdminFailure(.badRequest, "maxResources must be 1 or more") }
        let entries = decisions.recent(limit: Int.max)
        let generated: PolicyGenerator.Result?
        do {
            generated = try PolicyGenerator(maximumResources: maximumResources).generate(from: entries.calls(by: principal, since: since))
        } catch {
            throw AdminFailure(.internalServerError, error.description)
        }
        guard let result = generated else {
            throw AdminFailure(.notFound, "\(principal) made no call to allow in the decisions the server keeps (\(entries.count))")
        }
        return Self.json(.ok) { w in
            w.key("policy"); w.value(result.policy)
            for (key, calls) in [("coveredDenials", result.coveredDenials), ("explicitlyDenied", result.explicitlyDenied)] {
                w.key(key)
                w.arrayStart()
                for call in calls {
                    w.objectStart()
                    w.key("action"); w.value(call.action)
                    w.key("resource"); w.value(call.resource)
                    w.objectEnd()
                }
                w.arrayEnd()
            }
            w.key("decisions"); w.value(entries.count)
        }
    }

    @Sendable func health(_ request: Request, context: GatehouseRequestContext) -> Response {
        Self.json(.ok) { w in
            w.key("status")
            w.value("ok")
            w.key("version")
            w.value(ServerConfiguration.version)
            w.key("services")
            w.objectStart()
            for service in services {
                w.key(service.name)
                w.objectStart()
                w.key("operations")
                w.value(service.total)
                w.key("implemented")
                w.value(service.implemented)
                w.objectEnd()
            }
            w.objectEnd()
        }
    }

    static func json(_ status: HTTPResponse.Status, _ members: (inout JSONWriter) -> Void) -> Response {
        var w = JSONWriter()
        w.objectStart()
        members(&w)
        w.objectEnd()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }
}
