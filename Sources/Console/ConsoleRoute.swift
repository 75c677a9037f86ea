/// One console page or action: a method and a path under `/console` (with
/// `:name` segments for parameters) and what answers it. Each page file
/// declares its own routes; `ConsoleApp.routes` lists them all, and
/// GatehouseServer registers that list behind the session cookie.
public struct ConsoleRoute: Sendable {
    public enum Method: Sendable { case get, post }

    public let method: Method
    public let path: String
    public let answer: @Sendable (ConsoleApp, ConsoleApp.Request) async -> ConsoleReply

    public static func get(_ path: String, _ answer: @escaping @Sendable (ConsoleApp, ConsoleApp.Request) async -> ConsoleReply) -> ConsoleRoute {
        ConsoleRoute(method: .get, path: path, answer: answer)
    }

    public static func post(_ path: String, _ answer: @escaping @Sendable (ConsoleApp, ConsoleApp.Request) async -> ConsoleReply) -> ConsoleRoute {
        ConsoleRoute(method: .post, path: path, answer: answer)
    }

    /// The answer of the POST route at `path` (for tests that post a form in process).
    static func answer(of path: String) -> @Sendable (ConsoleApp, ConsoleApp.Request) async -> ConsoleReply {
        ConsoleApp.routes.first { $0.path == path && $0.method == .post }!.answer
    }

    /// The names of the path's parameters (`iam/roles/details/:role` → `role`).
    public var parameterNames: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }
}

extension ConsoleApp {
    /// Every page behind the session, by area.
    public static let routes: [ConsoleRoute] =
        homeRoutes + policyRoutes + roleRoutes + userRoutes + groupRoutes + accountSettingsRoutes + switchRoleRoutes + accessDeniedRoutes + policySimulatorRoutes + ecrRoutes + regionRoutes
}
