import AWSShapes

/// Where a page stopped in a list IAM orders by age (access keys, SSH keys,
/// signing certificates and service-specific credentials by creation, MFA
/// devices by when they were enabled): the last item's time, and its id,
/// which breaks ties between items of the same instant. Carried as text in
/// `KeysetPage`'s opaque marker.
struct AgePosition {
    var time: Double
    var id: String

    init(_ time: Double, _ id: String) {
        self.time = time
        self.id = id
    }

    /// A position read back from a marker; text no page wrote is an invalid marker.
    init(_ text: String) throws(AWSError) {
        // The time's text never holds a "/"; an id may (an MFA device's serial number is an ARN).
        guard let slash = text.firstIndex(of: "/"), let time = Double(text[..<slash]), time.isFinite else {
            throw IAMError.invalidMarker
        }
        self.init(time, String(text[text.index(after: slash)...]))
    }

    /// Swift prints a Double in the shortest form that reads back as the same value.
    var text: String { "\(time)/\(id)" }

    var key: (time: Double, id: String) { (time, id) }
}
