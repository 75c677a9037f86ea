/// A regular expression from a service model's `pattern` trait, matched the way
/// AWS's Java services match it: against the whole value.
///
/// The models use a small subset of Java regex syntax (character classes with
/// `\uXXXX`, `\w`, `\d`, `\S`, `\p{L}`, groups, alternation, bounded
/// repetition, one negative look-ahead). Matching that subset here keeps the
/// shapes free of Foundation and avoids a general regex engine on every
/// request; greedy repetition of a single character class runs as a loop, so
/// a 128 KiB policy document checks in one pass.
public struct Pattern: Sendable, CustomStringConvertible {
    public let source: String
    private let root: Node

    public var description: String { source }

    public init(_ source: String) {
        self.source = source
        var parser = Parser(Array(source.unicodeScalars))
        self.root = parser.parseAlternation()
        precondition(parser.atEnd, "unsupported pattern syntax in \(source)")
    }

    public func matches(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        return Matcher(input: scalars).match(root, 0) { $0 == scalars.count }
    }

    // MARK: - Syntax tree

    fileprivate indirect enum Node: Sendable {
        case set(CharacterSet)
        case sequence([Node])
        case alternation([Node])
        case repetition(Node, min: Int, max: Int?)
        case lineStart
        case lineEnd
        case negativeLookahead(Node)
    }

    fileprivate struct CharacterSet: Sendable {
        enum Item: Sendable {
            case range(UInt32, UInt32)
            case word, digit, space
            case notWord, notDigit, notSpace
            case letter, separator, number
            case any
        }
        var items: [Item]
        var negated: Bool

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            let v = scalar.value
            var hit = false
            for item in items {
                switch item {
                case .range(let lo, let hi): hit = v >= lo && v <= hi
                case .word: hit = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
                case .digit: hit = v >= 0x30 && v <= 0x39
                case .space: hit = v == 0x20 || (v >= 0x09 && v <= 0x0D)
                case .notWord: hit = !CharacterSet(items: [.word], negated: false).contains(scalar)
                case .notDigit: hit = !(v >= 0x30 && v <= 0x39)
                case .notSpace: hit = !(v == 0x20 || (v >= 0x09 && v <= 0x0D))
                case .letter:
                    switch scalar.properties.generalCategory {
                    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: hit = true
                    default: hit = false
                    }
                case .separator:
                    switch scalar.properties.generalCategory {
                    case .spaceSeparator, .lineSeparator, .paragraphSeparator: hit = true
                    default: hit = false
                    }
                case .number:
                    switch scalar.properties.generalCategory {
                    case .decimalNumber, .letterNumber, .otherNumber: hit = true
                    default: hit = false
                    }
                case .any: hit = v != 0x0A
                }
                if hit { break }
            }
            return hit != negated
        }
    }

    // MARK: - Parser

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }

        mutating func parseAlternation() -> Node {
            var branches = [parseSequence()]
            while i < s.count, s[i] == "|" {
                i += 1
                branches.append(parseSequence())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseSequence() -> Node {
            var items: [Node] = []
            while i < s.count, s[i] != "|", s[i] != ")" {
                var atom = parseAtom()
                while i < s.count, let (min, max) = parseQuantifier() {
                    atom = .repetition(atom, min: min, max: max)
                }
                items.append(atom)
            }
            return items.count == 1 ? items[0] : .sequence(items)
        }

        mutating func parseQuantifier() -> (Int, Int?)? {
            switch s[i] {
            case "*": i += 1; return (0, nil)
            case "+": i += 1; return (1, nil)
            case "?": i += 1; return (0, 1)
            case "{":
                var j = i + 1
                var min = 0, max: Int? = nil
                var sawDigit = false
                while j < s.count, let d = s[j].properties.numericType == nil ? nil : Int(String(s[j])) {
                    min = min * 10 + d; j += 1; sawDigit = true
                }
                guard sawDigit, j < s.count else { return nil }
                if s[j] == "}" {
                    i = j + 1
                    return (min, min)
                }
                guard s[j] == "," else { return nil }
                j += 1
                var upper = 0
                var sawUpper = false
                while j < s.count, let d = Int(String(s[j])) {
                    upper = upper * 10 + d; j += 1; sawUpper = true
                }
                guard j < s.count, s[j] == "}" else { return nil }
                max = sawUpper ? upper : nil
                i = j + 1
                return (min, max)
            default:
                return nil
            }
        }

        mutating func parseAtom() -> Node {
            let c = s[i]
            switch c {
            case "(":
                i += 1
                if i + 1 < s.count, s[i] == "?" {
                    if s[i + 1] == ":" {
                        i += 2
                    } else if s[i + 1] == "!" {
                        i += 2
                        let inner = parseAlternation()
                        expect(")")
                        return .negativeLookahead(inner)
                    }
                }
                let inner = parseAlternation()
                expect(")")
                return inner
            case "[":
                return .set(parseClass())
            case "^":
                i += 1
                return .lineStart
            case "$":
                i += 1
                return .lineEnd
            case ".":
                i += 1
                return .set(CharacterSet(items: [.any], negated: false))
            case "\\":
                i += 1
                return .set(CharacterSet(items: [parseEscape()], negated: false))
            default:
                i += 1
                return .set(CharacterSet(items: [.range(c.value, c.value)], negated: false))
            }
        }

        mutating func expect(_ c: Unicode.Scalar) {
            precondition(i < s.count && s[i] == c, "expected \(c) in pattern")
            i += 1
        }

        mutating func parseClass() -> CharacterSet {
            expect("[")
            var negated = false
            if i < s.count, s[i] == "^" {
                negated = true
                i += 1
            }
            var items: [CharacterSet.Item] = []
            var first = true
            while i < s.count, s[i] != "]" || first {
                first = false
                let item: CharacterSet.Item
                if s[i] == "\\" {
                    i += 1
                    item = parseEscape()
                } else {
                    item = .range(s[i].value, s[i].value)
                    i += 1
                }
                if case .range(let lo, let single) = item, lo == single, i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                    i += 1
                    let upper: CharacterSet.Item
                    if s[i] == "\\" {
                        i += 1
                        upper = parseEscape()
                    } else {
                        upper = .range(s[i].value, s[i].value)
                        i += 1
                    }
                    guard case .range(let hi, _) = upper else { preconditionFailure("bad range in pattern") }
                    items.append(.range(lo, hi))
                } else {
                    items.append(item)
                }
            }
            expect("]")
            return CharacterSet(items: items, negated: negated)
        }

        mutating func parseEscape() -> CharacterSet.Item {
            let c = s[i]
            i += 1
            switch c {
            case "w": return .word
            case "d": return .digit
            case "s": return .space
            case "W": return .notWord
            case "D": return .notDigit
            case "S": return .notSpace
            case "p":
                expect("{")
                var name = ""
                while i < s.count, s[i] != "}" {
                    name.unicodeScalars.append(s[i])
                    i += 1
                }
                expect("}")
                switch name {
                case "L": return .letter
                case "Z": return .separator
                case "N": return .number
                default: preconditionFailure("unsupported \\p{\(name)} in pattern")
                }
            case "u":
                // Java reads exactly four hex digits; the STS model writes
                // `\u10000-\u10FFFF` meaning supplementary planes, so longer runs
                // that form a valid scalar above U+FFFF are read whole.
                var digits = ""
                var j = i
                while j < s.count, j - i < 6, s[j].properties.isASCIIHexDigit {
                    digits.unicodeScalars.append(s[j])
                    j += 1
                }
                if digits.count > 4, let v = UInt32(digits, radix: 16), v > 0xFFFF, v <= 0x10FFFF {
                    i = j
                    return .range(v, v)
                }
                let v = UInt32(String(digits.prefix(4)), radix: 16)!
                i += 4
                return .range(v, v)
            default:
                return .range(c.value, c.value)
            }
        }
    }

    // MARK: - Matcher

    private struct Matcher {
        let input: [Unicode.Scalar]

        func match(_ node: Node, _ i: Int, _ next: (Int) -> Bool) -> Bool {
            switch node {
            case .set(let set):
                return i < input.count && set.contains(input[i]) && next(i + 1)
            case .lineStart:
                return i == 0 && next(i)
            case .lineEnd:
                return i == input.count && next(i)
            case .sequence(let items):
                return matchSequence(items, 0, i, next)
            case .alternation(let branches):
                for branch in branches where match(branch, i, next) { return true }
                return false
            case .negativeLookahead(let inner):
                return !match(inner, i, { _ in true }) && next(i)
            case .repetition(let inner, let min, let max):
                if case .set(let set) = inner {
                    // Greedy single-class repetition: consume, then give back.
                    var end = i
                    while end < input.count, max.map({ end - i < $0 }) ?? true, set.contains(input[end]) { end += 1 }
                    guard end - i >= min else { return false }
                    var k = end
                    while k >= i + min {
                        if next(k) { return true }
                        k -= 1
                    }
                    return false
                }
                return repeatMatch(inner, min, max, 0, i, next)
            }
        }

        func matchSequence(_ items: [Node], _ index: Int, _ i: Int, _ next: (Int) -> Bool) -> Bool {
            if index == items.count { return next(i) }
            return match(items[index], i) { j in matchSequence(items, index + 1, j, next) }
        }

        func repeatMatch(_ node: Node, _ min: Int, _ max: Int?, _ count: Int, _ i: Int, _ next: (Int) -> Bool) -> Bool {
            if let max, count == max { return next(i) }
            // Greedy: try one more repetition first (refusing empty iterations).
            let more = match(node, i) { j in j > i && repeatMatch(node, min, max, count + 1, j, next) }
            if more { return true }
            return count >= min && next(i)
        }
    }
}
