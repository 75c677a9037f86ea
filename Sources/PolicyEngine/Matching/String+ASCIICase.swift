extension String {
    /// Lowercases ASCII letters only. Condition-key and action names are ASCII,
    /// and folding them the same way everywhere keeps lookups consistent.
    func asciiLowercased() -> String {
        var needsWork = false
        for byte in utf8 where byte &- 0x41 < 26 {
            needsWork = true
            break
        }
        guard needsWork else { return self }
        return String(decoding: utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
