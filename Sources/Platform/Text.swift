// The few text helpers Gatehouse took from full Foundation, which links ICU's
// data and code (most of the binary's size and much of its start-up): the
// targets import FoundationEssentials, which has neither `trimmingCharacters`
// nor `String(format:)`.

extension StringProtocol {
    /// The text without leading and trailing whitespace (newlines included),
    /// as `trimmingCharacters(in: .whitespacesAndNewlines)` gave it.
    public func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}

extension Double {
    /// The value with exactly `digits` digits after the point, rounded half
    /// away from zero: `String(format: "%.2f", x)` for the magnitudes shown
    /// (sizes, rates), without the C locale machinery.
    public func fixed(_ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(self) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return String(self) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        let sign = self < 0 && units != 0 ? "-" : ""
        guard digits > 0 else { return "\(sign)\(whole)" }
        let fraction = String(units % Int64(scale))
        return "\(sign)\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

extension String {
    /// The text padded on the left to `width` characters (`%5s`, `%02d`).
    public func leftPadded(to width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }

    /// The text cut or padded on the right to exactly `width` characters
    /// (`padding(toLength:withPad:startingAt:)`), for columns.
    public func rightPadded(to width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
