/// How two values in AWS's wildcard grammar (`*` any run, `?` one character)
/// relate as *sets* of strings, for reasoning about what a policy can grant
/// rather than about one request: Access Analyzer's custom policy checks
/// compare a policy's `Action`/`Resource` patterns with other patterns
/// (docs/research/access-analyzer.md §4), and evaluation only ever matches a
/// pattern against a concrete string.
///
/// Both relations reuse `WildcardPattern`'s unit encoding and ASCII folding so
/// they agree with what evaluation matches.
public enum PatternRelation {
    private typealias Unit = WildcardPattern.Unit

    /// Whether the concrete `text` matches `pattern`, exactly as evaluation matches.
    public static func matches(_ pattern: String, _ text: String, foldsCase: Bool) -> Bool {
        WildcardPattern(pattern, foldsCase: foldsCase).matches(text)
    }

    /// Whether some string matches both patterns (their sets intersect).
    /// Exact: a search over pairs of positions, where a `*` may stay put while
    /// the other side consumes a character.
    public static func overlaps(_ a: String, _ b: String, foldsCase: Bool) -> Bool {
        let x = units(a, foldsCase), y = units(b, foldsCase)
        var seen = Set<Int>()
        var stack = [(0, 0)]
        let width = y.count + 1
        while let (i, j) = stack.popLast() {
            guard seen.insert(i * width + j).inserted else { continue }
            if i == x.count && j == y.count { return true }
            let starA = i < x.count && x[i] == WildcardPattern.star
            let starB = j < y.count && y[j] == WildcardPattern.star
            if starA { stack.append((i + 1, j)) }
            if starB { stack.append((i, j + 1)) }
            guard i < x.count, j < y.count else { continue }
            // Consume one common character: a star stays, anything else advances.
            if starA && starB { continue }
            if !starA && !starB && !compatible(x[i], y[j]) { continue }
            stack.append((starA ? i : i + 1, starB ? j : j + 1))
        }
        return false
    }

    /// Whether every string `inner` matches also matches `outer` (`outer ⊇ inner`).
    /// Sound, and complete for the shapes policies use: `inner`'s symbols are
    /// matched as text where its `*` can only be absorbed by a `*` of `outer`
    /// and its `?` by a `?` or `*`. (`s3:Get*` covers `s3:GetObj*`; `s3:*Object`
    /// does not cover `s3:Get*`.)
    public static func covers(_ outer: String, _ inner: String, foldsCase: Bool) -> Bool {
        let x = units(outer, foldsCase), y = units(inner, foldsCase)
        // reach[j]: outer's prefix so far can produce inner's first j units.
        var reach = [Bool](repeating: false, count: y.count + 1)
        reach[0] = true
        for unit in x {
            var next = [Bool](repeating: false, count: y.count + 1)
            if unit == WildcardPattern.star {
                var any = false
                for j in 0...y.count {
                    any = any || reach[j]
                    next[j] = any
                }
            } else {
                for j in 0..<y.count where reach[j] {
                    let symbol = y[j]
                    if symbol == WildcardPattern.star { continue }
                    if unit == WildcardPattern.question || (symbol != WildcardPattern.question && symbol == unit) {
                        next[j + 1] = true
                    }
                }
            }
            reach = next
        }
        return reach[y.count]
    }

    private static func units(_ text: String, _ foldsCase: Bool) -> [Unit] {
        let raw = WildcardPattern.units(ofPattern: text)
        guard foldsCase else { return raw }
        return raw.map { $0 < 0x100 ? Unit(WildcardPattern.fold(UInt8($0))) : $0 }
    }

    private static func compatible(_ a: Unit, _ b: Unit) -> Bool {
        a == WildcardPattern.question || b == WildcardPattern.question || a == b
    }
}
