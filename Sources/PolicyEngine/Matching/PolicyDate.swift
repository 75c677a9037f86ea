/// Dates as policies write them: one of the W3C profiles of ISO 8601
/// (`2020`, `2020-01`, `2020-01-01`, `2020-01-01T12:00Z`,
/// `2020-01-01T12:00:00.5+02:00`) or epoch seconds (IAM User Guide, "Date
/// condition operators"). Values compare as seconds since 1970.
enum PolicyDate {
    /// Seconds since the epoch, or nil when `text` is not a date.
    static func epochSeconds(_ text: String) -> Double? {
        text.withUTF8Bytes { bytes in
            var start = 0
            var end = bytes.count
            while start < end, bytes[start] == 0x20 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 { end -= 1 }
            let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard !trimmed.isEmpty else { return nil }
            let body = trimmed.first == UInt8(ascii: "-") ? UnsafeBufferPointer(rebasing: trimmed[1...]) : trimmed
            if !body.isEmpty, body.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") }) {
                if let seconds = Double(String(decoding: trimmed, as: UTF8.self)), seconds.isFinite { return seconds }
                return nil
            }
            return iso8601(trimmed)
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    private static func iso8601(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while i < b.count, isDigit(b[i]), count < maxDigits {
                value = value * 10 + Int(b[i] - 0x30)
                i += 1
                count += 1
            }
            return count >= minDigits ? value : nil
        }
        func take(_ char: Character) -> Bool {
            if i < b.count, b[i] == char.asciiValue! { i += 1; return true }
            return false
        }
        guard let year = number(4, 4) else { return nil }
        var month = 1
        var day = 1
        var seconds = 0.0
        if take("-") {
            guard let m = number(2, 2), (1...12).contains(m) else { return nil }
            month = m
            if take("-") {
                guard let d = number(2, 2), (1...31).contains(d) else { return nil }
                day = d
            }
        }
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") {
            i += 1
            guard let hour = number(1, 2), hour < 24, take(":"), let minute = number(2, 2), minute < 60 else { return nil }
            seconds = Double(hour * 3600 + minute * 60)
            if take(":") {
                guard let second = number(2, 2), second < 61 else { return nil }
                seconds += Double(second)
                if take(".") {
                    var scale = 0.1
                    let start = i
                    while i < b.count, isDigit(b[i]) {
                        seconds += Double(b[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                    guard i > start else { return nil }
                }
            }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "+") ? 1.0 : -1.0
                    i += 1
                    guard let tzHours = number(2, 2), tzHours < 24 else { return nil }
                    var tzMinutes = 0
                    if take(":") || (i < b.count && isDigit(b[i])) {
                        guard let m = number(2, 2), m < 60 else { return nil }
                        tzMinutes = m
                    }
                    seconds -= sign * Double(tzHours * 3600 + tzMinutes * 60)
                }
            }
        }
        guard i == b.count else { return nil }
        return Double(daysFromCivil(year: year, month: month, day: day)) * 86_400 + seconds
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar
    /// (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// IAM's own check of Date… condition values when a policy is stored;
    /// a failure is reported as "The policy failed legacy parsing". The rules
    /// follow the accepted and refused values recorded against IAM in moto's
    /// `test_iam_policies.py` (e.g. `2016-12-13t2:00:00.593194+23` is
    /// accepted, `234-13`, `…+1` and `9223372036854775808` are refused).
    static func isAcceptedPolicyValue(_ text: String) -> Bool {
        let lower = text.asciiLowercased()
        guard lower.contains("t") || lower.contains("-") else {
            guard let value = UInt64(lower) else { return false }
            return value <= UInt64(Int64.max)
        }
        let (datePart, timePart): (Substring, Substring) = {
            guard let t = lower.firstIndex(of: "t") else { return (lower[...], "") }
            return (lower[..<t], lower[lower.index(after: t)...])
        }()
        let negativeYear = datePart.hasPrefix("-")
        let dateFields = (negativeYear ? datePart.dropFirst() : datePart).split(separator: "-", omittingEmptySubsequences: false)
        guard dateFields.count < 4, let year = Int((negativeYear ? "-" : "") + dateFields[0]),
            (-292_275_054...292_278_993).contains(year)
        else { return false }
        if dateFields.count > 1 {
            guard let month = Int(dateFields[1]), (1...12).contains(month) else { return false }
        }
        if dateFields.count > 2 {
            guard let day = Int(dateFields[2]), (1...31).contains(day) else { return false }
        }
        let timeFields = timePart.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        if let hours = timeFields.first, !hours.isEmpty {
            guard let h = Int(hours), (0...23).contains(h) else { return false }
        }
        if timeFields.count > 1 {
            guard let m = Int(timeFields[1]), (0...59).contains(m) else { return false }
        }
        guard timeFields.count > 2 else { return true }
        var secondsField = timeFields[2]
        if let z = secondsField.firstIndex(of: "z") {
            guard secondsField[secondsField.index(after: z)...].isEmpty else { return false }
            secondsField = secondsField[..<z]
        } else if let plus = secondsField.firstIndex(of: "+") {
            let zone = secondsField[secondsField.index(after: plus)...].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard zone[0].count == 2, let zh = Int(zone[0]), (0...23).contains(zh) else { return false }
            if zone.count > 1 {
                guard zone[1].count == 2, let zm = Int(zone[1]), (0...59).contains(zm) else { return false }
            }
            secondsField = secondsField[..<plus]
        }
        let secondParts = secondsField.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let s = Int(secondParts[0]), (0...59).contains(s) else { return false }
        if secondParts.count > 1 {
            guard let fraction = Int(secondParts[1]), (0...999_999_999).contains(fraction) else { return false }
        }
        return true
    }
}
