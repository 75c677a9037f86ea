import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import Platform

/// `gatehouse lab`: an instructor's lab on a running server — an account per
/// learner, each with a console user, a password and an access key
/// (`/_gatehouse/lab`, see GatehouseServer's `Lab`).
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Give each learner an account of their own on a running server, and reset one.",
        subcommands: [Create.self, Reset.self, List.self])

    struct Server: ParsableArguments {
        @Option(help: "The server (default: GATEHOUSE_ENDPOINT, AWS_ENDPOINT_URL, or http://127.0.0.1:4566).")
        var endpoint: String = AdminClient.defaultEndpoint

        @Option(help: "The server's admin token, when reaching it from another host (default: GATEHOUSE_ADMIN_TOKEN).")
        var adminToken: String? = Environment.value("GATEHOUSE_ADMIN_TOKEN")

        @Flag(help: "Print CSV (learner,account,user,password,access key,secret,sign-in URL) instead of a table.")
        var csv = false

        var client: AdminClient { AdminClient(endpoint: endpoint, token: adminToken) }

        /// The roster in the server's answer, printed as a table or CSV.
        func print(_ answer: Data) throws {
            let learners = (try? JSONParser.parse(Array(answer)))?["learners"]?.arrayValue ?? []
            let columns = ["learner", "accountId", "userName", "password", "accessKeyId", "secretAccessKey", "signInURL"]
            let rows = learners.map { learner in columns.map { learner[$0]?.stringValue ?? "" } }
            if csv {
                Console.line("Learner,Account ID,User name,Password,Access key ID,Secret access key,Console sign-in URL")
                for row in rows { Console.line(row.map(Self.csvField).joined(separator: ",")) }
                return
            }
            let headers = ["LEARNER", "ACCOUNT", "USER", "PASSWORD", "ACCESS KEY", "SECRET ACCESS KEY", "SIGN-IN URL"]
            let widths = headers.indices.map { i in max(headers[i].count, rows.map { $0[i].count }.max() ?? 0) }
            let line = { (cells: [String]) in
                cells.enumerated().map { $0.element.rightPadded(to: widths[$0.offset]) }
                    .joined(separator: "  ").trimmingWhitespace()
            }
            Console.line(line(headers))
            for row in rows { Console.line(line(row)) }
        }

        static func csvField(_ value: String) -> String {
            value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + value.replacing("\"", with: "\"\"") + "\"" : value
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Make N learners, each with an account, a console user, a password and an access key.",
            discussion: """
                Learners are named learner-01, learner-02, … after any the server already has; each gets an \
                account of its own (one server, many accounts: no learner sees another's). --seed FILE is a \
                lab seed (format gatehouse-lab/1): the console user's name and managed policies, and IAM or \
                ECR calls run in every new account as its root user (${AccountId} stands for the learner's \
                account id). Without it each learner is user "learner" with AdministratorAccess.
                """)

        @Option(help: "How many learners to add.")
        var learners: Int

        @Option(help: "A lab seed file (format gatehouse-lab/1).")
        var seed: String?

        @OptionGroup var server: Server

        func validate() throws {
            guard (1...500).contains(learners) else { throw ValidationError("--learners must be 1 to 500") }
        }

        func run() async throws {
            try await Console.reportingFailures {
                let body = try seed.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } ?? Data()
                let answer = try await server.client.call(
                    "POST", "/_gatehouse/lab", query: [URLQueryItem(name: "learners", value: String(learners))], body: body)
                try server.print(answer)
            }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset",
            abstract: "Put one learner's account back to the lab seed (same user, password and access key).")

        @Argument(help: "The learner, as the roster names it (learner-01).")
        var learner: String

        @OptionGroup var server: Server

        func run() async throws {
            try await Console.reportingFailures {
                let answer = try await server.client.call("POST", "/_gatehouse/lab/learners/\(learner)/reset")
                try server.print(answer)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the lab's roster.")

        @OptionGroup var server: Server

        func run() async throws {
            try await Console.reportingFailures {
                try server.print(try await server.client.call("GET", "/_gatehouse/lab"))
            }
        }
    }
}
