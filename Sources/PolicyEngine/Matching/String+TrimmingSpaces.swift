extension String {
    /// The string without leading and trailing ASCII whitespace; no Foundation
    /// needed for the few values (numbers, dates, addresses) that tolerate it.
    func trimmingSpaces() -> Substring {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
