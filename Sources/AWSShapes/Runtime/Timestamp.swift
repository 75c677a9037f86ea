/// A point in time as the AWS protocols carry it: seconds since 1970 (UTC).
///
/// Kept free of Foundation so the shapes stay a pure target, and because
/// ISO 8601 formatting through Foundation's formatters is slow on hot paths.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var secondsSince1970: Double

    public init(secondsSince1970: Double) {
        self.secondsSince1970 = secondsSince1970
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    public func adding(seconds: Double) -> Timestamp {
        Timestamp(secondsSince1970: secondsSince1970 + seconds)
    }

    public var description: String { iso8601 }

    /// `2024-05-01T12:34:56Z`, the form IAM and STS use in XML.
    public var iso8601: String { formatted(basic: false) }

    /// `20240501T123456Z`, the SigV4 basic format.
    public var iso8601Basic: String { formatted(basic: true) }

    /// Written digit by digit into one buffer: a list of 100 roles formats 100
    /// dates, and joining 13 small strings each showed in its profile.
    private func formatted(basic: Bool) -> String {
        let parts = Self.civil(Int64(secondsSince1970.rounded(.down)))
        guard (0...9999).contains(parts.year) else {
            let (dash, colon) = basic ? ("", "") : ("-", ":")
            return Self.pad(parts.year, 4) + dash + Self.pad(parts.month, 2) + dash + Self.pad(parts.day, 2) + "T"
                + Self.pad(parts.hour, 2) + colon + Self.pad(parts.minute, 2) + colon + Self.pad(parts.second, 2) + "Z"
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(parts.year, 4)
        if !basic { bytes.append(UInt8(ascii: "-")) }
        digits(parts.month, 2)
        if !basic { bytes.append(UInt8(ascii: "-")) }
        digits(parts.day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(parts.hour, 2)
        if !basic { bytes.append(UInt8(ascii: ":")) }
        digits(parts.minute, 2)
        if !basic { bytes.append(UInt8(ascii: ":")) }
        digits(parts.second, 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, `YYYY-MM-DD`, and the basic
    /// form `YYYYMMDDTHHMMSSZ`.
    public init?(iso8601 text: String) {
        let b = Array(text.utf8)
        func num(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var v = 0
            for i in start..<start + count {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var i: Int
        if b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") {
            guard let y = num(0, 4), let mo = num(4, 2), let d = num(6, 2), let h = num(9, 2), let mi = num(11, 2),
                let s = num(13, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
            else { return nil }
            self.init(parts: (y, mo, d, h, mi, s), fraction: 0, offset: 0)
            return
        }
        guard let y = num(0, 4), b.count >= 10, b[4] == UInt8(ascii: "-"), let mo = num(5, 2),
            b[7] == UInt8(ascii: "-"), let d = num(8, 2)
        else { return nil }
        (year, month, day) = (y, mo, d)
        i = 10
        var offset = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " "),
                let h = num(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let mi = num(i + 4, 2)
            else { return nil }
            hour = h
            minute = mi
            i += 6
            if i < b.count, b[i] == UInt8(ascii: ":") {
                guard let s = num(i + 1, 2) else { return nil }
                second = s
                i += 3
            }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                var scale = 0.1
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    fraction += Double(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
            }
            if i < b.count {
                switch b[i] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    i += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    guard let oh = num(i + 1, 2) else { return nil }
                    var om = 0
                    if i + 3 < b.count, b[i + 3] == UInt8(ascii: ":") {
                        guard let m = num(i + 4, 2) else { return nil }
                        om = m
                        i += 6
                    } else if let m = num(i + 3, 2) {
                        om = m
                        i += 5
                    } else {
                        i += 3
                    }
                    offset = sign * (oh * 3600 + om * 60)
                default:
                    return nil
                }
            }
            guard i == b.count else { return nil }
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        self.init(parts: (year, month, day, hour, minute, second), fraction: fraction, offset: offset)
    }

    private init(parts: (Int, Int, Int, Int, Int, Int), fraction: Double, offset: Int) {
        let days = Self.daysFromCivil(parts.0, parts.1, parts.2)
        let seconds = days * 86_400 + Int64(parts.3 * 3600 + parts.4 * 60 + parts.5 - offset)
        self.secondsSince1970 = Double(seconds) + fraction
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ seconds: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var days = seconds / 86_400
        var rem = seconds % 86_400
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d), Int(rem / 3600), Int(rem % 3600 / 60), Int(rem % 60))
    }
}
