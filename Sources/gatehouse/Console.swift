#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Platform

/// Lines for the terminal: flushed at once (stdout may be a pipe read line
/// by line, as with `decisions --follow`), coloured only on a terminal.
enum Console {
    static func line(_ text: String) {
        try? PlainFile.standardOutput.write(text + "\n")
    }

    static func error(_ text: String) {
        try? PlainFile.standardError.write(text + "\n")
    }

    /// Whether standard output is a terminal that wants colour (`NO_COLOR` unset).
    static let colours: Bool = isatty(STDOUT_FILENO) == 1 && Environment.value("NO_COLOR") == nil

    enum Colour: String {
        case red = "31", green = "32", yellow = "33", dim = "2", bold = "1"
    }

    static func paint(_ text: String, _ colour: Colour) -> String {
        colours ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }
}
