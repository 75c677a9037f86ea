import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSShapes
import JSON
import Platform
import PolicyGeneration
import ServiceKit

extension PolicyCommand {
    /// `gatehouse policy generate --principal ARN`
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write the least-privilege policy that would have allowed every call a principal made.",
            discussion: """
                Reads the decisions a server logged (serve --decision-log FILE, read with --log FILE; or a \\
                running server's recent ones, at most its last 1,000) and prints the identity policy that \\
                allows exactly the calls the principal made: actions grouped by the resources they used, \\
                resources narrowed to the ARNs used (a wildcard pattern when a statement would list more \\
                than --max-resources), "*" for calls on no resource; no conditions. As IAM Access \\
                Analyzer's generated policies: statements SupportedServiceSid0…, actions sorted.
                A role's ARN covers its sessions (arn:aws:sts::ACCOUNT:assumed-role/NAME/…).
                On standard error: the refused calls the policy now allows, and the calls an explicit \\
                deny refused (an Allow does not change those). Exit status: 0, 1 when the principal made \\
                no call to allow, 2 when the decisions cannot be read.
                """)

        @Option(help: "The principal whose calls to allow: a user's or role's ARN (a role's covers its sessions).")
        var principal: String

        @Option(help: "Only calls made at or after this time (ISO 8601, e.g. 2026-12-01T00:00:00Z).")
        var since: String?

        @Option(help: "A decision log written by serve --decision-log (JSON lines); without it, a running server's recent decisions.")
        var log: String?

        @Option(help: "The server (default: GATEHOUSE_ENDPOINT, AWS_ENDPOINT_URL, or http://127.0.0.1:4566).")
        var endpoint: String = AdminClient.defaultEndpoint

        @Option(help: "The server's admin token, when reaching it from another host (default: GATEHOUSE_ADMIN_TOKEN).")
        var adminToken: String? = Environment.value("GATEHOUSE_ADMIN_TOKEN")

        @Option(help: "More resources than this in one statement become one wildcard pattern.")
        var maxResources: Int = 10

        @Flag(help: "Print the policy as one compact line, as GetGeneratedPolicy's policy string.")
        var compact = false

        func validate() throws {
            if let since, Timestamp(iso8601: since) == nil { throw ValidationError("--since \(since) is not an ISO 8601 time") }
            guard maxResources >= 1 else { throw ValidationError("--max-resources must be 1 or more") }
        }

        func run() async throws {
            let entries: [DecisionLog.Entry]
            do {
                entries = try await decisions()
            } catch {
                Console.error("error: \(error)")
                throw ExitCode(2)
            }
            let start = since.flatMap { Timestamp(iso8601: $0) }?.secondsSince1970 ?? -.infinity
            let calls = entries.filter { $0.time >= start && Self.principal($0.principal, isCoveredBy: principal) }
                .compactMap { entry in
                    ObservedCall.Outcome(rawValue: entry.outcome).map { ObservedCall(action: entry.action, resource: entry.resource, outcome: $0) }
                }
            guard let result = PolicyGenerator(maximumResources: maxResources).generate(from: calls) else {
                Console.error("\(principal) made no call to allow in the decisions read (\(entries.count)).")
                throw ExitCode(1)
            }
            if compact {
                Console.line(result.policy)
            } else {
                Console.line(try JSONParser.parse(result.policy).pretty(indent: 4))
            }
            for call in result.coveredDenials {
                Console.error("covers a refused call: \(call.action) on \(call.resource)")
            }
            for call in result.explicitlyDenied {
                Console.error("not covered (explicitly denied by another policy): \(call.action) on \(call.resource)")
            }
        }

        /// Every decision the log file holds, or all the server keeps (read page by page).
        func decisions() async throws -> [DecisionLog.Entry] {
            if let log {
                let text = try PolicyFile.read(log)
                return text.split(separator: "\n").compactMap { line in
                    (try? JSONParser.parse(String(line))).flatMap { DecisionLog.Entry(json: $0) }
                }
            }
            var all: [DecisionLog.Entry] = []
            var after: UInt64 = 0
            let page = 500
            while true {
                let entries = try await DecisionsCommand.fetch(endpoint: endpoint, token: adminToken, limit: page, after: after)
                all += entries
                guard entries.count == page, let last = entries.last?.sequence else { return all }
                after = last
            }
        }

        /// The principal itself, or for a role, any of its sessions.
        static func principal(_ caller: String, isCoveredBy wanted: String) -> Bool {
            if caller == wanted { return true }
            // arn:aws:iam::ACCOUNT:role/PATH/NAME covers arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION.
            let parts = wanted.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "iam", parts[5].hasPrefix("role/"), let name = parts[5].split(separator: "/").last else {
                return false
            }
            return caller.hasPrefix("arn:\(parts[1]):sts::\(parts[4]):assumed-role/\(name)/")
        }
    }
}
