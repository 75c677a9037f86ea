import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import ServiceKit
import AWSShapes

/// `gatehouse decisions`: a running server's authorization decisions
/// (`GET /_gatehouse/decisions`), one line each, with why.
struct DecisionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions",
        abstract: "Show a running server's recent authorization decisions and why each was made.",
        discussion: """
            One line per decision, oldest first: time, ALLOW or DENY (AUDIT: denied but let through by \
            --enforce audit), principal, action, resource, and the reason — AWS's access-denied reason, \
            or the statements (policy#Sid or policy#index) that allowed it. Coloured when standard \
            output is a terminal (NO_COLOR turns that off). --json prints each decision as one JSON line.
            The server keeps its last 1,000 decisions in memory; --follow polls for new ones.
            Exit status: 0, or 2 when the server cannot be reached (without --follow).
            """)

    @Flag(help: "Keep polling and print new decisions as they are made.")
    var follow = false

    @Flag(help: "Only denied requests (including those audit mode let through).")
    var denied = false

    @Option(help: "Only decisions about this principal ARN.")
    var principal: String?

    @Option(help: "The server (default: GATEHOUSE_ENDPOINT, AWS_ENDPOINT_URL, or http://127.0.0.1:4566).")
    var endpoint: String = AdminClient.defaultEndpoint

    @Option(help: "The server's admin token, when reaching it from another host (default: GATEHOUSE_ADMIN_TOKEN).")
    var adminToken: String? = Environment.value("GATEHOUSE_ADMIN_TOKEN")

    @Option(help: "How many recent decisions to show first.")
    var limit: Int = 20

    @Option(help: "Seconds between polls with --follow.")
    var interval: Double = 1

    @Flag(help: "Print each decision as one JSON object per line.")
    var json = false

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
        guard interval > 0 else { throw ValidationError("--interval must be more than 0 seconds") }
        guard URL(string: endpoint)?.host != nil else { throw ValidationError("--endpoint \(endpoint) is not a URL") }
    }

    func run() async throws {
        var last: UInt64 = 0
        do {
            let recent = limit == 0 ? [] : try await fetch(limit: limit, after: nil)
            recent.forEach(show)
            last = recent.last?.sequence ?? 0
        } catch {
            guard follow else {
                Console.error("error: \(error)")
                throw ExitCode(2)
            }
            Console.error("warning: \(error); retrying")
        }
        guard follow else { return }
        // Sequence numbers are how the server tells what is new: `after=SEQ`
        // answers the first page logged after SEQ, so pages are read until short.
        let page = 200
        var warned = false
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            do {
                var entries: [Entry]
                repeat {
                    entries = try await fetch(limit: page, after: last)
                    entries.forEach(show)
                    last = entries.last?.sequence ?? last
                } while entries.count == page
                warned = false
            } catch {
                if !warned { Console.error("warning: \(error); retrying") }
                warned = true
            }
        }
    }

    // MARK: Reading

    typealias Entry = DecisionLog.Entry

    func fetch(limit: Int, after: UInt64?) async throws -> [Entry] {
        var query = [URLQueryItem(name: "limit", value: String(limit))]
        if denied { query.append(URLQueryItem(name: "denied", value: "true")) }
        if let principal { query.append(URLQueryItem(name: "principal", value: principal)) }
        if let after { query.append(URLQueryItem(name: "after", value: String(after))) }
        let data = try await AdminClient(endpoint: endpoint, token: adminToken).call("GET", "/_gatehouse/decisions", query: query)
        guard let value = try? JSONParser.parse([UInt8](data)), let list = value.arrayValue else {
            throw AdminClient.Refused(description: "\(endpoint) did not answer a JSON list of decisions")
        }
        return list.compactMap { Entry(json: $0) }
    }

    // MARK: Writing

    func show(_ entry: Entry) {
        if json {
            Console.line(entry.json)
        } else {
            Console.line(Self.line(entry))
        }
    }

    /// `2025-06-01T12:00:00Z DENY arn:…:user/dev iam:ListUsers on arn:…:user/ — implicitDeny because no identity-based policy allows …`
    static func line(_ entry: Entry) -> String {
        let allowed = entry.outcome == "allowed"
        let verdict = allowed
            ? Console.paint("ALLOW", .green)
            : entry.enforced ? Console.paint("DENY ", .red) : Console.paint("AUDIT", .yellow)
        let time = Timestamp(secondsSince1970: entry.time).iso8601
        var why = entry.outcome
        if let reason = entry.reason { why += " " + reason }
        if !entry.statements.isEmpty {
            why += (allowed ? " by " : ": ") + entry.statements.joined(separator: ", ")
        } else if allowed, entry.principal.hasSuffix(":root") {
            why += " (root)"
        }
        let subject = "\(Console.paint(entry.principal, .bold)) \(entry.action) on \(entry.resource)"
        return "\(Console.paint(time, .dim)) \(verdict) \(subject) — \(why) \(Console.paint("[\(entry.requestId)]", .dim))"
    }
}
