/// A string in AWS's wildcard grammar, compiled once: `*` matches any run of
/// characters (the empty run too) and `?` exactly one character.
///
/// Patterns work on UTF-8 bytes so that matching never allocates. Case folding
/// is ASCII-only: action names and service prefixes are ASCII, and AWS's
/// `…IgnoreCase` operators are documented for ASCII text.
struct WildcardPattern: Sendable, Hashable {
    /// Pattern units: 0…255 is a literal byte, `star` and `question` wildcards.
    typealias Unit = UInt16
    static let star: Unit = 0x100
    static let question: Unit = 0x101

    private enum Shape: Hashable, Sendable {
        case anything
        case exact
        case prefix
        /// Only `*` wildcards: literal segments found left to right.
        case segments
        /// Patterns with `?`, matched unit by unit.
        case general
    }

    private let shape: Shape
    /// The literal bytes of an `exact` or `prefix` pattern (folded when `foldsCase`).
    private let literal: [UInt8]
    private let units: [Unit]
    /// For `segments`: the literal runs between stars, and whether the
    /// pattern is anchored at either end (does not start or end with `*`).
    private let segments: [[UInt8]]
    private let anchoredStart: Bool
    private let anchoredEnd: Bool
    let foldsCase: Bool

    /// Compiles `units`, simplifying the common shapes (`*`, `text`, `text*`).
    init(units: [Unit], foldsCase: Bool) {
        self.foldsCase = foldsCase
        let folded = foldsCase ? units.map { $0 < 0x100 ? Unit(Self.fold(UInt8($0))) : $0 } : units
        var collapsed: [Unit] = []
        collapsed.reserveCapacity(folded.count)
        for unit in folded where !(unit == Self.star && collapsed.last == Self.star) {
            collapsed.append(unit)
        }
        self.units = collapsed
        let wildcardCount = collapsed.count(where: { $0 >= 0x100 })
        anchoredStart = collapsed.first != Self.star
        anchoredEnd = collapsed.last != Self.star
        if collapsed.contains(Self.question) {
            segments = []
        } else {
            segments = collapsed.split(separator: Self.star, omittingEmptySubsequences: true).map { $0.map { UInt8($0) } }
        }
        if collapsed == [Self.star] {
            shape = .anything
            literal = []
        } else if wildcardCount == 0 {
            shape = .exact
            literal = collapsed.map { UInt8($0) }
        } else if wildcardCount == 1, collapsed.last == Self.star {
            shape = .prefix
            literal = collapsed.dropLast().map { UInt8($0) }
        } else if !collapsed.contains(Self.question) {
            shape = .segments
            literal = []
        } else {
            shape = .general
            literal = []
        }
    }

    /// A pattern from policy text, where `*` and `?` are wildcards.
    init(_ text: String, foldsCase: Bool) {
        self.init(units: Self.units(ofPattern: text), foldsCase: foldsCase)
    }

    /// A pattern that matches `text` exactly, wildcard characters included.
    init(literal text: String, foldsCase: Bool) {
        self.init(units: Self.units(ofLiteral: text), foldsCase: foldsCase)
    }

    static func units(ofPattern text: String) -> [Unit] {
        text.utf8.map { byte in
            switch byte {
            case UInt8(ascii: "*"): star
            case UInt8(ascii: "?"): question
            default: Unit(byte)
            }
        }
    }

    static func units(ofLiteral text: String) -> [Unit] {
        text.utf8.map { Unit($0) }
    }

    var matchesEverything: Bool { shape == .anything }
    var hasWildcards: Bool { shape != .exact }

    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    func matches(_ text: String) -> Bool {
        text.withUTF8Bytes { matches($0) }
    }

    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch shape {
        case .anything:
            return true
        case .exact:
            return text.count == literal.count && hasLiteralPrefix(text)
        case .prefix:
            return text.count >= literal.count && hasLiteralPrefix(text)
        case .segments:
            return matchSegments(text)
        case .general:
            return units.withUnsafeBufferPointer { matchGeneral($0, text) }
        }
    }

    /// Star-separated literals: the first must start the text and the last
    /// end it unless the pattern begins or ends with `*`; the others are found
    /// leftmost-first, which is exact when `*` is the only wildcard.
    private func matchSegments(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        var end = text.count
        var first = 0
        var last = segments.count
        if anchoredStart {
            let head = segments[0]
            guard head.count <= end, equal(head, text, at: 0) else { return false }
            start = head.count
            first = 1
        }
        if anchoredEnd {
            let tail = segments[segments.count - 1]
            guard tail.count <= end - start, equal(tail, text, at: end - tail.count) else { return false }
            end -= tail.count
            last -= 1
        }
        var index = first
        while index < last {
            let segment = segments[index]
            guard let found = find(segment, in: text, from: start, to: end) else { return false }
            start = found + segment.count
            index += 1
        }
        return true
    }

    @inline(__always)
    private func equal(_ segment: [UInt8], _ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        segment.withUnsafeBufferPointer { seg in
            if foldsCase {
                for i in 0..<seg.count where Self.fold(text[offset + i]) != seg[i] { return false }
            } else {
                for i in 0..<seg.count where text[offset + i] != seg[i] { return false }
            }
            return true
        }
    }

    private func find(_ segment: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard let lead = segment.first else { return from }
        var position = from
        while position + segment.count <= to {
            let byte = foldsCase ? Self.fold(text[position]) : text[position]
            if byte == lead, equal(segment, text, at: position) { return position }
            position += 1
        }
        return nil
    }

    @inline(__always)
    private func hasLiteralPrefix(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        literal.withUnsafeBufferPointer { lit in
            if foldsCase {
                for i in 0..<lit.count where Self.fold(text[i]) != lit[i] { return false }
            } else {
                for i in 0..<lit.count where text[i] != lit[i] { return false }
            }
            return true
        }
    }

    /// Iterative glob matching with single-star backtracking: linear for the
    /// patterns policies use, never recursive.
    private func matchGeneral(_ pattern: UnsafeBufferPointer<Unit>, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = 0
        var t = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < pattern.count {
                let unit = pattern[p]
                if unit == Self.star {
                    starP = p
                    starT = t
                    p += 1
                    continue
                }
                if unit == Self.question {
                    t = Self.nextCharacter(text, after: t)
                    p += 1
                    continue
                }
                let byte = foldsCase ? Self.fold(text[t]) : text[t]
                if Unit(byte) == unit {
                    p += 1
                    t += 1
                    continue
                }
            }
            guard starP >= 0 else { return false }
            starT += 1
            t = starT
            p = starP + 1
        }
        while p < pattern.count, pattern[p] == Self.star { p += 1 }
        return p == pattern.count
    }

    /// `?` stands for one character, so it consumes a whole UTF-8 sequence.
    @inline(__always)
    private static func nextCharacter(_ text: UnsafeBufferPointer<UInt8>, after index: Int) -> Int {
        var next = index + 1
        while next < text.count, text[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}
