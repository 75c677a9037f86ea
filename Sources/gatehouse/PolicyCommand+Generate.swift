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
            let generated: (policy: String, covered: [(String, String)], explicit: [(String, String)])
            do {
                if let log { generated = try fromLog(log) } else { generated = try await fromServer() }
            } catch let error as ExitCode {
                throw error
            } catch {
                Console.error("error: \(error)")
                throw ExitCode(2)
            }
            Console.line(compact ? generated.policy : try JSONParser.parse(generated.policy).pretty(indent: 4))
            for (action, resource) in generated.covered {
                Console.error("covers a refused call: \(action) on \(resource)")
            }
            for (action, resource) in generated.explicit {
                Console.error("not covered (explicitly denied by another policy): \(action) on \(resource)")
            }
        }

        /// From every decision a log file holds.
        func fromLog(_ path: String) throws -> (policy: String, covered: [(String, String)], explicit: [(String, String)]) {
            // Lines split as bytes: a Character split of a 30 MB log was half the time.
            let entries = try PolicyFile.read(path).utf8.split(separator: UInt8(ascii: "\n")).compactMap { line in
                (try? JSONParser.parse(Array(line))).flatMap { DecisionLog.Entry(json: $0) }
            }
            let start = since.flatMap { Timestamp(iso8601: $0) }?.secondsSince1970 ?? -.infinity
            guard let result = try PolicyGenerator(maximumResources: maxResources).generate(from: entries.calls(by: principal, since: start)) else {
                Console.error("\(principal) made no call to allow in the decisions read (\(entries.count)).")
                throw ExitCode(1)
            }
            return (result.policy, result.coveredDenials.map { ($0.action, $0.resource) }, result.explicitlyDenied.map { ($0.action, $0.resource) })
        }

        /// The server's own generation from the decisions it keeps (`/_gatehouse/policy-generation`).
        func fromServer() async throws -> (policy: String, covered: [(String, String)], explicit: [(String, String)]) {
            var query = [URLQueryItem(name: "principal", value: principal), URLQueryItem(name: "maxResources", value: String(maxResources))]
            if let since { query.append(URLQueryItem(name: "since", value: since)) }
            let client = AdminClient(endpoint: endpoint, token: adminToken)
            let data = try await client.call("GET", "/_gatehouse/policy-generation", query: query, accepted: [200, 404])
            guard let answer = try? JSONParser.parse([UInt8](data)) else {
                throw AdminClient.Refused(description: "\(endpoint) did not answer a generated policy")
            }
            guard let policy = answer["policy"]?.stringValue else {
                // 404: no call to allow.
                Console.error(answer["message"]?.stringValue ?? "\(principal) made no call to allow.")
                throw ExitCode(1)
            }
            func calls(_ key: String) -> [(String, String)] {
                (answer[key]?.arrayValue ?? []).map { ($0["action"]?.stringValue ?? "", $0["resource"]?.stringValue ?? "") }
            }
            return (policy, calls("coveredDenials"), calls("explicitlyDenied"))
        }
    }
}
