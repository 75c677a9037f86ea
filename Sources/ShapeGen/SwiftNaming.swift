/// How model names become Swift names.
enum SwiftNaming {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is", "nil",
        "super", "self", "Self", "throw", "throws", "true", "try", "Type", "Protocol", "any", "some",
    ]

    /// `RoleName` → `roleName`, `SAMLMetadataDocument` → `samlMetadataDocument`,
    /// `ARN` → `arn`; keywords are escaped.
    static func property(_ name: String) -> String {
        let chars = Array(name)
        var upperRun = 0
        while upperRun < chars.count, chars[upperRun].isUppercase { upperRun += 1 }
        let result: String
        if upperRun == 0 {
            result = name
        } else if upperRun == chars.count {
            result = name.lowercased()
        } else if upperRun == 1 {
            result = chars[0].lowercased() + String(chars[1...])
        } else {
            // An acronym followed by a word: keep the word's capital.
            let acronym = chars[0..<(upperRun - 1)]
            result = String(acronym).lowercased() + String(chars[(upperRun - 1)...])
        }
        return keywords.contains(result) ? "`\(result)`" : result
    }

    /// The member path AWS's validation messages use: first letter lowered.
    static func validationPath(_ name: String) -> String {
        guard let first = name.first else { return name }
        return first.lowercased() + name.dropFirst()
    }

    /// `NoSuchEntityException` → `noSuchEntity`.
    static func errorFactory(_ shapeName: String) -> String {
        var base = shapeName
        if base.hasSuffix("Exception") { base.removeLast("Exception".count) }
        let name = property(base)
        return name
    }

    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
