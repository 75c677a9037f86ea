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

        /// A file that could not be read: `{"file", "valid": false, "line", "column", "message"}`.
        func write(to w: inout JSONWriter) {
            w.objectStart()
            w.key("file"); w.value(path)
            w.key("valid"); w.value(false)
            writeMembers(to: &w)
            w.objectEnd()
        }

        /// IAM's refusal: `{"line", "column", "message", "code"}`.
        func writeDetails(to w: inout JSONWriter) {
            w.objectStart()
            writeMembers(to: &w)
            w.objectEnd()
        }

        private func writeMembers(to w: inout JSONWriter) {
            w.key("line"); w.value(line)
            w.key("column"); w.value(column)
            w.key("message"); w.value(message)
            if let code { w.key("code"); w.value(code) }
        }
    }

    let path: String
    let check: PolicyCheck
    var document: PolicyDocument { check.document }

    /// Reads and parses `path`; `-` is standard input.
    ///
    /// - Parameter requiresCurrentVersion: CreatePolicy's rule that a managed
    ///   policy says `"Version": "2012-10-17"`.
    init(path: String, kind: PolicyKind, requiresCurrentVersion: Bool) throws(Diagnostic) {
        try self.init(path: path, text: Self.read(path), kind: kind, requiresCurrentVersion: requiresCurrentVersion)
    }

    /// Parses `text`, read from `path`.
    init(path: String, text: String, kind: PolicyKind, requiresCurrentVersion: Bool) throws(Diagnostic) {
        self.path = path
        do {
            check = try PolicyCheck(text: text, kind: kind, requiresCurrentVersion: requiresCurrentVersion)
        } catch {
            throw Diagnostic(path: path, line: error.line, column: error.column, message: error.message, code: error.code)
        }
    }

    /// The text of `path`; `-` is standard input.
    static func read(_ path: String) throws(Diagnostic) -> String {
        let data: Data?
        if path == "-" {
            data = (try? PlainFile.standardInput.readToEnd()).map { Data($0) }
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else {
            throw Diagnostic(path: path, line: 1, column: 1, message: "cannot read the file", code: nil)
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension PolicyKind: ExpressibleByArgument {}
