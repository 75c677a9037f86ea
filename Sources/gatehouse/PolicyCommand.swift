import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import PolicyEngine
import PolicyValidation
import ServiceCatalog
import ServiceKit

/// `gatehouse policy …`: the policy engine offline, for editors, pre-commit
/// hooks and questions such as "would this request be allowed?".
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check and evaluate IAM policy documents offline, with the engine the server uses.",
        subcommands: [Validate.self, Eval.self, Generate.self])
}

extension PolicyCommand {
    /// `gatehouse policy validate FILE…`
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check policy documents as IAM and IAM Access Analyzer do.",
            discussion: """
                Two checks, each worded as AWS words it. IAM's: a policy IAM would refuse is reported as \
                FILE:LINE:COL: error: MESSAGE [MalformedPolicyDocument], MESSAGE being what IAM answers \
                (CreatePolicy for identity policies, CreateRole for trust policies, SetRepositoryPolicy \
                for resource policies), at the statement at fault or the character where the JSON breaks. \
                Access Analyzer's (ValidatePolicy): each finding as FILE:LINE:COL: TYPE: MESSAGE [ISSUE_CODE], \
                TYPE being error, security warning, warning or suggestion. A file with no error prints \
                "FILE: ok". With --json, one object per file: IAM's verdict and the findings exactly as \
                ValidatePolicy answers them (columns and offsets from 0).
                Exit status: 1 when a file has an error (IAM's or Access Analyzer's), or with --strict a \
                security warning; 0 otherwise. "-" reads standard input.
                """)

        @Argument(help: "Policy documents to check.")
        var files: [String]

        @Option(help: "identity (managed, inline, boundary, session), trust (a role's trust policy) or resource (e.g. an ECR repository policy).")
        var kind: PolicyKind = .identity

        @Flag(help: "For identity policies: check as an inline policy (PutUserPolicy, PutRolePolicy…), which may omit Version or use 2008-10-17; by default the managed-policy rule of CreatePolicy applies.")
        var inline = false

        @Flag(help: "Fail on security warnings too, not only on errors.")
        var strict = false

        @Flag(help: "Print one JSON object per file.")
        var json = false

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("name at least one file") }
        }

        func run() async throws {
            var failed = false
            let validator = PolicyValidator(catalog: ServiceCatalogFile(.embedded).catalog)
            let (policyType, resourceType) = Self.validationType(of: kind)
            for path in files {
                let text: String
                do {
                    text = try PolicyFile.read(path)
                } catch {
                    failed = true
                    report(error)
                    continue
                }
                let refusal: PolicyFile.Diagnostic?
                do {
                    _ = try PolicyFile(path: path, text: text, kind: kind, requiresCurrentVersion: kind == .identity && !inline)
                    refusal = nil
                } catch {
                    refusal = error
                }
                let findings = validator.validate(text, policyType: policyType, resourceType: resourceType)
                let failing = refusal != nil || findings.contains { $0.findingType == .error || (strict && $0.findingType == .securityWarning) }
                failed = failed || failing
                if json {
                    var w = JSONWriter()
                    w.objectStart()
                    w.key("file"); w.value(path)
                    w.key("valid"); w.value(!failing)
                    if let refusal {
                        w.key("iam")
                        refusal.writeDetails(to: &w)
                    }
                    w.key("findings")
                    w.arrayStart()
                    for finding in findings { finding.write(to: &w) }
                    w.arrayEnd()
                    w.objectEnd()
                    Console.line(w.string)
                } else {
                    if let refusal { Console.error(refusal.description + " [MalformedPolicyDocument]") }
                    for finding in findings {
                        // Editors count columns from 1; AWS from 0.
                        let position = finding.locations.first.map { "\($0.start.line):\($0.start.column + 1)" } ?? "1:1"
                        Console.error("\(path):\(position): \(Self.label(finding.findingType)): \(finding.findingDetails) [\(finding.issueCode)]")
                    }
                    if !failing { Console.line("\(path): ok") }
                }
            }
            if failed { throw ExitCode(1) }
        }

        private func report(_ error: PolicyFile.Diagnostic) {
            if json {
                var w = JSONWriter()
                error.write(to: &w)
                Console.line(w.string)
            } else {
                Console.error(error.description)
            }
        }

        /// How Access Analyzer is asked about each kind: a trust policy is a
        /// resource policy of the role (its own checks: no Resource, no NotPrincipal…).
        static func validationType(of kind: PolicyKind) -> (ValidationPolicyType, ValidationResourceType?) {
            switch kind {
            case .identity: (.identity, nil)
            case .trust: (.resource, .roleTrustPolicy)
            case .resource: (.resource, nil)
            }
        }

        static func label(_ type: ValidationFinding.FindingType) -> String {
            switch type {
            case .error: "error"
            case .securityWarning: "security warning"
            case .warning: "warning"
            case .suggestion: "suggestion"
            }
        }
    }
}
