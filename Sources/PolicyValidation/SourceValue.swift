import JSON

/// A parsed JSON value that knows where each of its parts is written, and
/// the path that reaches it from the document's root: what a finding's
/// location is made of.
final class SourceValue {
    let value: JSONValue
    let path: [ValidationFinding.PathElement]
    let location: ValidationFinding.Location
    /// Object members in the order written (duplicates kept), or array elements.
    let members: [(key: String, value: SourceValue)]
    let elements: [SourceValue]

    /// The document `text`, or where its JSON breaks.
    static func parse(_ text: String) -> Result<SourceValue, JSONParser.Error> {
        let bytes = Array(text.utf8)
        let parsed: (value: JSONValue, spans: [JSONSpan])
        do {
            parsed = try JSONParser.parseWithSpans(bytes)
        } catch {
            return .failure(error)
        }
        let positions = TextPositions(bytes)
        var next = 0
        return .success(SourceValue(parsed.value, path: [], spans: parsed.spans, next: &next, positions: positions))
    }

    private init(
        _ value: JSONValue, path: [ValidationFinding.PathElement], spans: [JSONSpan], next: inout Int, positions: TextPositions
    ) {
        self.value = value
        self.path = path
        let span = spans[next]
        next += 1
        location = ValidationFinding.Location(
            path: path, start: positions.position(ofByte: span.start.offset), end: positions.position(ofByte: span.end.offset + 1))
        switch value {
        case .object(let object):
            members = object.members.map { member in
                (member.key, SourceValue(member.value, path: path + [.value(member.key)], spans: spans, next: &next, positions: positions))
            }
            elements = []
        case .array(let array):
            members = []
            elements = array.indices.map { SourceValue(array[$0], path: path + [.index($0)], spans: spans, next: &next, positions: positions) }
        default:
            members = []
            elements = []
        }
    }

    /// The first member named `key` (IAM's element names are case-sensitive).
    subscript(key: String) -> SourceValue? {
        members.first { $0.key == key }?.value
    }

    var string: String? { value.stringValue }
    var isObject: Bool { if case .object = value { true } else { false } }
    var isArray: Bool { if case .array = value { true } else { false } }

    /// A string or an array of values: the values, each with its location
    /// (IAM accepts `"Action": "s3:GetObject"` as a list of one).
    var listItems: [SourceValue] {
        isArray ? elements : [self]
    }
}

/// Byte offsets turned into AWS's positions: line from 1, column and offset
/// from 0, in UTF-16 code units (the service is written in Java; identical
/// to bytes for ASCII text, which the examples recorded from AWS all are).
struct TextPositions {
    private let lineStarts: [Int]
    /// UTF-16 offset of each byte offset, when the text is not all ASCII.
    private let utf16Offsets: [Int]?

    init(_ bytes: [UInt8]) {
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
        if bytes.allSatisfy({ $0 < 0x80 }) {
            utf16Offsets = nil
        } else {
            var offsets = [Int](repeating: 0, count: bytes.count + 1)
            var units = 0
            for (offset, byte) in bytes.enumerated() {
                offsets[offset] = units
                // A lead byte starts a scalar: 1 unit, 2 for a 4-byte (astral) scalar.
                if byte & 0xC0 != 0x80 { units += byte >= 0xF0 ? 2 : 1 }
            }
            offsets[bytes.count] = units
            utf16Offsets = offsets
        }
    }

    func position(ofByte offset: Int) -> ValidationFinding.Position {
        // The last line starting at or before `offset`.
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let units = { (byte: Int) in self.utf16Offsets?[min(byte, self.utf16Offsets!.count - 1)] ?? byte }
        return ValidationFinding.Position(line: low + 1, column: units(offset) - units(lineStarts[low]), offset: units(offset))
    }
}
