import AWSShapes

/// RFC 7231 dates (`Mon, 02 Jan 2006 15:04:05 GMT`), for the `Date` header.
public enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]

    public static func parse(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3 else { return nil }
        let iso = "\(year)-\(pad(monthIndex + 1))-\(pad(day))T\(time[0]):\(time[1]):\(time[2])Z"
        return Timestamp(iso8601: iso)
    }

    public static func format(_ t: Timestamp) -> String {
        let seconds = Int64(t.secondsSince1970.rounded(.down))
        let weekday = days[Int(((seconds / 86_400) % 7 + 7) % 7)]
        let iso = t.iso8601  // 2024-05-01T12:34:56Z
        let chars = Array(iso)
        let year = String(chars[0..<4]), month = Int(String(chars[5..<7]))!, day = String(chars[8..<10])
        let clock = String(chars[11..<19])
        return "\(weekday), \(day) \(months[month - 1]) \(year) \(clock) GMT"
    }

    private static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}
