import ArgumentParser
import Foundation
import JSON
import PolicyEngine
import ServiceCatalog

/// A policy document read from a file and checked as IAM checks it, or the
/// diagnostic explaining why not, written `FILE:LINE:COL: error: MESSAGE`
/// (the form compilers use, so editors and pre-commit hooks can jump to it).
struct PolicyFile {
    /// Why a file is not a policy IAM would accept.
    struct Diagnostic: Error, CustomStringConvertible {
        let path: String
        /// 1-based; the document's start when IAM's complaint concerns no one place.
        let line: Int
        let column: Int
        /// IAM's `MalformedPolicyDocument` message, word for word, or why the file could not be read.
        let message: String
        /// Nil when the file could not be read at all.
        let code: PolicyGrammarError.Code?

        var description: String { "\(path):\(line):\(column): error: \(message)" }

        func write(to w: inout JSONWriter) {
            w.objectStart()
            w.key("file"); w.value(path)
            w.key("valid"); w.value(false)
            w.key("line"); w.value(line)
            w.key("column"); w.value(column)
            w.key("message"); w.value(message)
            if let code { w.key("code"); w.value(code.description) }
            w.objectEnd()
        }
    }

    /// Something IAM accepts but that is probably not what the author meant.
    struct Warning: CustomStringConvertible {
        let path: String
        let line: Int
        let column: Int
        let message: String
        /// IAM Access Analyzer's issue code for the same finding.
        let code: String

        var description: String { "\(path):\(line):\(column): warning: \(message)" }

        func write(to w: inout JSONWriter) {
            w.objectStart()
            w.key("line"); w.value(line)
            w.key("column"); w.value(column)
            w.key("message"); w.value(message)
            w.key("code"); w.value(code)
            w.objectEnd()
        }
    }

    let path: String
    let text: String
    let document: PolicyDocument

    /// Actions no service of the catalog defines, each where it first appears.
    ///
    /// Worded as IAM Access Analyzer's policy validation words these findings
    /// (IAM User Guide, "IAM policy validation check reference": INVALID_SERVICE_IN_ACTION
    /// and INVALID_ACTION; the texts are recalled from that page, not captured).
    func unknownActions(in catalog: ServiceCatalog) -> [Warning] {
        var warnings: [Warning] = []
        var seen: Set<String> = []
        for statement in document.statements {
            for action in statement.actions.values where seen.insert(action.lowercased()).inserted {
                let (line, column) = position(of: "\"" + action + "\"")
                switch catalog.check(action: action) {
                case .known:
                    continue
                case .unknownService(let service):
                    warnings.append(Warning(
                        path: path, line: line, column: column,
                        message: "The service \(service) specified in the action does not exist.", code: "INVALID_SERVICE_IN_ACTION"))
                case .unknownAction:
                    warnings.append(Warning(
                        path: path, line: line, column: column, message: "The action \(action) does not exist.", code: "INVALID_ACTION"))
                }
            }
        }
        return warnings
    }

    /// 1-based line and column of the first occurrence of `needle`, or the start.
    private func position(of needle: String) -> (Int, Int) {
        guard let range = text.range(of: needle) else { return (1, 1) }
        let before = text[..<range.lowerBound]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let column = before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex) + 1
        return (line, column + 1)
    }

    /// Reads and parses `path`; `-` is standard input.
    ///
    /// - Parameter requiresCurrentVersion: CreatePolicy's rule that a managed
    ///   policy says `"Version": "2012-10-17"`.
    init(path: String, kind: PolicyKind, requiresCurrentVersion: Bool) throws(Diagnostic) {
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else {
            throw Diagnostic(path: path, line: 1, column: 1, message: "cannot read the file", code: nil)
        }
        self.path = path
        text = String(decoding: data, as: UTF8.self)
        do {
            document = try PolicyDocument.parse(text, kind: kind, requiresCurrentVersion: requiresCurrentVersion)
        } catch {
            throw Diagnostic(
                path: path, line: error.position?.line ?? 1, column: error.position?.column ?? 1,
                message: error.message, code: error.code)
        }
    }
}

extension PolicyKind: ExpressibleByArgument {}
