/// What the console answers one request with, before HTTP: the routes in
/// GatehouseServer turn it into a response and add the security headers.
public struct ConsoleReply: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    /// A redirect's target (303 See Other after a form, as a browser should not resubmit it).
    public var location: String?
    /// `Set-Cookie` values.
    public var cookies: [String] = []
    /// Whether the browser may keep it (static assets) or must not (pages).
    public var cacheable = false

    public static func page(_ html: HTML, status: Int = 200) -> ConsoleReply {
        ConsoleReply(status: status, contentType: "text/html; charset=utf-8", body: Array(html.text.utf8))
    }

    public static func json(_ text: String, status: Int = 200) -> ConsoleReply {
        ConsoleReply(status: status, contentType: "application/json", body: Array(text.utf8))
    }

    public static func redirect(_ location: String) -> ConsoleReply {
        ConsoleReply(status: 303, contentType: "text/plain; charset=utf-8", body: [], location: location)
    }

    public func setting(cookies: [String]) -> ConsoleReply {
        var reply = self
        reply.cookies += cookies
        return reply
    }
}

/// The session's cookies. The token's is HttpOnly (no script reads it),
/// SameSite=Strict (no other site's page sends it), scoped to the console.
/// Beside it a marker script may clear, as AWS's console keeps its
/// script-readable `aws-userInfo` beside its session: Sign out clears the
/// marker the moment it is clicked, so a sign-out whose request never left
/// the page (the browser went elsewhere at once) still ends the session at
/// the next request, which presents the token without the marker.
public enum ConsoleCookie {
    public static let name = "gatehouse-console"
    public static let marker = "gatehouse-console-signed-in"

    public static func set(_ token: String, maxAge: Double) -> [String] {
        [
            "\(name)=\(token); Path=/console; HttpOnly; SameSite=Strict; Max-Age=\(Int(maxAge))",
            "\(marker)=1; Path=/console; SameSite=Strict; Max-Age=\(Int(maxAge))",
        ]
    }

    public static let clear = [
        "\(name)=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0", "\(marker)=; Path=/console; SameSite=Strict; Max-Age=0",
    ]

    /// What a `Cookie` header presents: the token, and whether the marker is beside it.
    public struct Presented: Equatable, Sendable {
        public var token: String
        public var signedIn: Bool
    }

    public static func read(_ header: String?) -> Presented? {
        guard let header else { return nil }
        var token: String?
        var signedIn = false
        for part in header.split(separator: ";") {
            let pair = part.drop(while: { $0 == " " })
            if pair.hasPrefix(name + "=") { token = String(pair.dropFirst(name.count + 1)) }
            if pair == marker + "=1" { signedIn = true }
        }
        return token.map { Presented(token: $0, signedIn: signedIn) }
    }
}
