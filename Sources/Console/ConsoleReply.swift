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

    public func setting(cookie: String) -> ConsoleReply {
        var reply = self
        reply.cookies.append(cookie)
        return reply
    }
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no
/// other site's page sends it), scoped to the console.
public enum ConsoleCookie {
    public static let name = "gatehouse-console"

    public static func set(_ token: String, maxAge: Double) -> String {
        "\(name)=\(token); Path=/console; HttpOnly; SameSite=Strict; Max-Age=\(Int(maxAge))"
    }

    public static let clear = "\(name)=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"

    /// The token in a `Cookie` header, if any.
    public static func token(in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.drop(while: { $0 == " " })
            if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
        }
        return nil
    }
}
