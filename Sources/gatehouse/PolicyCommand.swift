import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import PolicyEngine
import ServiceCatalog
import ServiceKit

/// `gatehouse policy …`: the policy engine offline, for editors, pre-commit
/// hooks and questions such as "would this request be allowed?".
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check and evaluate IAM policy documents offline, with the engine the server uses.",
        subcommands: [Validate.self, Eval.self])
}

extension PolicyCommand {
    /// `gatehouse policy validate FILE…`
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check policy documents as IAM does, reporting its MalformedPolicyDocument message.",
            discussion: """
                Each problem is printed as FILE:LINE:COL: error: MESSAGE, MESSAGE being what IAM answers \
                in MalformedPolicyDocument (CreatePolicy for identity policies, CreateRole for trust \
                policies, SetRepositoryPolicy for resource policies). The position is the statement at \
                fault, or the character where the JSON breaks. A valid file prints "FILE: ok".
                Actions that no AWS service defines (per the Service Authorization Reference in \
                seed/service-catalog.json) are reported as FILE:LINE:COL: warning: MESSAGE, as IAM \
                Access Analyzer's policy validation reports them; IAM itself accepts them, so they do \
                not make a file invalid.
                Exit status: 0 when every file is valid, 1 otherwise. "-" reads standard input.
                """)

        @Argument(help: "Policy documents to check.")
        var files: [String]

        @Option(help: "identity (managed, inline, boundary, session), trust (a role's trust policy) or resource (e.g. an ECR repository policy).")
        var kind: PolicyKind = .identity

        @Flag(help: "For identity policies: check as an inline policy (PutUserPolicy, PutRolePolicy…), which may omit Version or use 2008-10-17; by default the managed-policy rule of CreatePolicy applies.")
        var inline = false

        @Flag(help: "Print one JSON object per file.")
        var json = false

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("name at least one file") }
        }

        func run() async throws {
            var failed = false
            let catalog = ServiceCatalogFile(.embedded).catalog
            for path in files {
                do {
                    let file = try PolicyFile(path: path, kind: kind, requiresCurrentVersion: kind == .identity && !inline)
                    let warnings = catalog.map { file.unknownActions(in: $0) } ?? []
                    if json {
                        var w = JSONWriter()
                        w.objectStart()
                        w.key("file"); w.value(path)
                        w.key("valid"); w.value(true)
                        if !warnings.isEmpty {
                            w.key("warnings")
                            w.arrayStart()
                            for warning in warnings { warning.write(to: &w) }
                            w.arrayEnd()
                        }
                        w.objectEnd()
                        Console.line(w.string)
                    } else {
                        for warning in warnings { Console.error(warning.description) }
                        Console.line("\(path): ok")
                    }
                } catch {
                    failed = true
                    if json {
                        var w = JSONWriter()
                        error.write(to: &w)
                        Console.line(w.string)
                    } else {
                        Console.error(error.description)
                    }
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
