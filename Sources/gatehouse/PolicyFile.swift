import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import PolicyEngine
import ServiceCatalog
import Platform

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
        /// The grammar error's code; nil when the file could not be read at all.
        let code: String?

        var description: String { "\(path):\(line):\(column): error: \(message)" }

        func write(to w: inout JSONWriter) {
            w.objectStart()
            w.key("file"); w.value(path)
            w.key("valid"); w.value(false)
            w.key("line"); w.value(line)
            w.key("column"); w.value(column)
            w.key("message"); w.value(message)
            if let code { w.key("code"); w.value(code) }
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
    let check: PolicyCheck
    var document: PolicyDocument { check.document }

    /// Actions no service of the catalog defines, each where it first appears.
    func unknownActions(in catalog: ServiceCatalog) -> [Warning] {
        check.unknownActions(in: catalog).map {
            Warning(path: path, line: $0.line, column: $0.column, message: $0.message, code: $0.code ?? "")
        }
    }

    /// Reads and parses `path`; `-` is standard input.
    ///
    /// - Parameter requiresCurrentVersion: CreatePolicy's rule that a managed
    ///   policy says `"Version": "2012-10-17"`.
    init(path: String, kind: PolicyKind, requiresCurrentVersion: Bool) throws(Diagnostic) {
        let data: Data?
        if path == "-" {
            data = (try? PlainFile.standardInput.readToEnd()).map { Data($0) }
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else {
            throw Diagnostic(path: path, line: 1, column: 1, message: "cannot read the file", code: nil)
        }
        self.path = path
        do {
            check = try PolicyCheck(
                text: String(decoding: data, as: UTF8.self), kind: kind, requiresCurrentVersion: requiresCurrentVersion)
        } catch {
            throw Diagnostic(path: path, line: error.line, column: error.column, message: error.message, code: error.code)
        }
    }
}

extension PolicyKind: ExpressibleByArgument {}
