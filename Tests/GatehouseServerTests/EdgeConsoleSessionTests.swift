import AWSWire
import Console
import GatehouseTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The console's session over HTTP: the cookies sign-in sets, and sign-out
/// holding even when its request never reached the server.
@Suite("Edge: console session cookies")
struct EdgeConsoleSessionTests {
    static let password = "Lab-Passw0rd!"

    /// Signs in lab-student through the sign-in form; the `Set-Cookie` values.
    static func signIn(_ edge: EdgeHarness, _ client: any TestClientProtocol) async throws -> [String] {
        #expect(try await edge.world.iam("CreateUser", ["UserName": "lab-student"]).status == 200)
        #expect(try await edge.world.iam("CreateLoginProfile", ["UserName": "lab-student", "Password": password]).status == 200)
        let form = "account=\(TestWorld.accountId)&username=lab-student&password=\(FormEncoding.uriEncode(password))"
        let response = try await client.execute(
            uri: "/console/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: form.buffer)
        #expect(response.status == .seeOther, "\(response.text)")
        return response.headers[values: .setCookie]
    }

    /// The `Cookie` header a browser sends back for these `Set-Cookie` values.
    static func cookieHeader(_ setCookies: [String], dropping name: String? = nil) -> HTTPFields {
        let pairs = setCookies.map { String($0.prefix(while: { $0 != ";" })) }.filter { name == nil || !$0.hasPrefix(name! + "=") }
        return [.cookie: pairs.joined(separator: "; ")]
    }

    @Test("sign-in sets the HttpOnly token and the marker Sign out clears; with both, /console is Console Home")
    func signInCookies() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let cookies = try await Self.signIn(edge, client)
            #expect(cookies.count == 2)
            #expect(cookies.contains { $0.hasPrefix("gatehouse-console=") && $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })
            #expect(cookies.contains { $0.hasPrefix("gatehouse-console-signed-in=1;") && !$0.contains("HttpOnly") })
            let home = try await client.execute(uri: "/console", method: .get, headers: Self.cookieHeader(cookies))
            #expect(home.text.contains("lab-student @ 0000-0000-0000"))
            #expect(!home.text.contains("Sign in as IAM user"))
        }
    }

    @Test("the token without the marker (Sign out clicked, its post lost) ends the session: putting the marker back does not revive it")
    func signOutAtTheClick() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let cookies = try await Self.signIn(edge, client)
            let withoutMarker = try await client.execute(
                uri: "/console", method: .get, headers: Self.cookieHeader(cookies, dropping: ConsoleCookie.marker))
            #expect(withoutMarker.text.contains("Sign in as IAM user"))
            let page = try await client.execute(uri: "/console/iam/roles", method: .get, headers: Self.cookieHeader(cookies))
            #expect(page.status == .seeOther)
            #expect(page.header("Location")?.hasPrefix("/console/signin?next=") == true)
        }
    }

    @Test("Sign out ends the session on the server and clears both cookies")
    func signOut() async throws {
        let edge = try EdgeHarness()
        try await edge.test { client in
            let cookies = try await Self.signIn(edge, client)
            let home = try await client.execute(uri: "/console", method: .get, headers: Self.cookieHeader(cookies))
            let csrf = try #require(home.text.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/)?.output.1)
            var headers = Self.cookieHeader(cookies)
            headers[.contentType] = "application/x-www-form-urlencoded"
            let out = try await client.execute(uri: "/console/signout", method: .post, headers: headers, body: "csrf=\(csrf)".buffer)
            #expect(out.header("Location") == "/console")
            #expect(Set(out.headers[values: .setCookie]) == Set(ConsoleCookie.clear))
            let after = try await client.execute(uri: "/console", method: .get, headers: Self.cookieHeader(cookies))
            #expect(after.text.contains("Sign in as IAM user"))
        }
    }
}
