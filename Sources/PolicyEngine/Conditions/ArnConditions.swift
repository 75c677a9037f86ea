/// ArnEquals/ArnLike (identical, as are ArnNotEquals/ArnNotLike): "Each of
/// the six colon-delimited components of the ARN is checked separately and
/// each can include multi-character match wildcards (*) or single-character
/// match wildcards (?)" — so `arn:aws:s:*:111122223333:finance/*` does not
/// match an ARN whose account is 999999999999 even though StringLike would.
/// Matching is case-sensitive and policy variables are allowed. (IAM User
/// Guide, "Amazon Resource Name (ARN) condition operators".)
struct ArnCondition: Sendable, Hashable {
    private enum Pattern: Sendable, Hashable {
        /// Six components, the last one holding the rest of the ARN.
        case components([PatternTemplate])
        /// A value that is not ARN-shaped (such as a bare `*`) matches as a whole.
        case whole(PatternTemplate)
    }

    private let patterns: [Pattern]

    init(values: [String], variables: Bool) {
        patterns = values.map { value in
            let parts = Self.components(of: value, skippingVariables: variables)
            guard parts.count == 6 else {
                return .whole(PatternTemplate(value, wildcards: true, variables: variables, foldsCase: false))
            }
            return .components(parts.map {
                PatternTemplate(String($0), wildcards: true, variables: variables, foldsCase: false)
            })
        }
    }

    var variables: [PolicyVariable] {
        patterns.flatMap { pattern -> [PolicyVariable] in
            switch pattern {
            case .components(let parts): parts.flatMap(\.variables)
            case .whole(let template): template.variables
            }
        }
    }

    /// Splits at the first five colons, ignoring those inside `${…}` so that
    /// `${aws:PrincipalAccount}` stays one component.
    static func components(of arn: String, skippingVariables: Bool) -> [Substring] {
        var parts: [Substring] = []
        var start = arn.startIndex
        var index = arn.startIndex
        var inVariable = false
        while index < arn.endIndex, parts.count < 5 {
            let character = arn[index]
            if skippingVariables, character == "$", arn[index...].hasPrefix("${") {
                inVariable = true
            } else if inVariable, character == "}" {
                inVariable = false
            } else if !inVariable, character == ":" {
                parts.append(arn[start..<index])
                start = arn.index(after: index)
            }
            index = arn.index(after: index)
        }
        parts.append(arn[start...])
        return parts
    }

    func matches(_ value: String, in context: RequestContext) -> Bool {
        value.withUTF8Bytes { bytes in
            for pattern in patterns where match(pattern, bytes, in: context) { return true }
            return false
        }
    }

    private func match(_ pattern: Pattern, _ bytes: UnsafeBufferPointer<UInt8>, in context: RequestContext) -> Bool {
        switch pattern {
        case .whole(let template):
            return template.matches(bytes, in: context)
        case .components(let parts):
            var start = 0
            for index in 0..<6 {
                var end = start
                if index < 5 {
                    while end < bytes.count, bytes[end] != UInt8(ascii: ":") { end += 1 }
                    guard end < bytes.count else { return false }
                } else {
                    end = bytes.count
                }
                let component = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard parts[index].matches(component, in: context) else { return false }
                start = end + 1
            }
            return true
        }
    }
}
