/// A piece of HTML that is safe to send: text interpolated into it is
/// escaped unless it is itself `HTML`. Pages are written as string literals
/// (`"<td>\(role.roleName)</td>"`), so a user-controlled string cannot become
/// markup by forgetting to escape it.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var text: String

    public init(stringLiteral value: String) { text = value }

    public init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    /// Markup the caller vouches for (never user input).
    public init(trusted text: String) { self.text = text }

    public static let empty = HTML(trusted: "")

    public var description: String { text }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        /// Text: escaped for an element's content or a quoted attribute value.
        public mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }

        public mutating func appendInterpolation(_ value: String?) { text += HTML.escape(value ?? "") }

        public mutating func appendInterpolation(_ value: Int) { text += String(value) }

        public mutating func appendInterpolation(_ html: HTML) { text += html.text }

        public mutating func appendInterpolation(_ parts: [HTML]) {
            for part in parts { text += part.text }
        }

        /// Data for a script: JSON in `<script type="application/json">`,
        /// with `<` written as `\u003c` so that no value can close the element.
        public mutating func appendInterpolation(json: String) {
            for character in json.unicodeScalars {
                if character == "<" { text += "\\u003c" } else { text.unicodeScalars.append(character) }
            }
        }
    }

    /// `&`, `<`, `>`, `"` and `'` as character references.
    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 16)
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Parts joined into one piece.
    public static func join(_ parts: [HTML]) -> HTML { HTML(trusted: parts.map(\.text).joined()) }
}

extension Array where Element == HTML {
    public func joined() -> HTML { HTML.join(self) }
}
