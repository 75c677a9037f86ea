#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A list of patterns — the values of a `Resource` element or of a string
/// condition — laid out flat so that matching a request touches no
/// reference counts: every request is checked against every candidate
/// statement's resources and conditions, the hottest loop of evaluation.
///
/// Literal values and patterns whose only wildcard is `*` live in the flat
/// tables; those with `?` or policy variables keep their `PatternTemplate`.
final class PatternList: @unchecked Sendable {
    private struct Header {
        /// 0 anything, 1 segments, 2 template.
        var kind: UInt8
        var anchoredStart: Bool
        var anchoredEnd: Bool
        var firstSegment: Int32
        var segmentCount: Int32
        var template: Int32
    }

    private struct Segment {
        var offset: Int32
        var count: Int32
    }

    private let headers: UnsafeMutableBufferPointer<Header>
    private let segments: UnsafeMutableBufferPointer<Segment>
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let templates: [PatternTemplate]
    let variables: [PolicyVariable]
    private let foldsCase: Bool

    /// - Parameters:
    ///   - wildcards: whether `*` and `?` are wildcards or plain characters.
    ///   - variables: whether `${…}` is substituted (Version 2012-10-17).
    ///   - foldsCase: whether ASCII case is ignored.
    init(_ texts: [String], wildcards: Bool = true, variables: Bool, foldsCase: Bool = false) {
        self.foldsCase = foldsCase
        var headers: [Header] = []
        var segments: [Segment] = []
        var bytes: [UInt8] = []
        var templates: [PatternTemplate] = []
        for text in texts {
            let template = PatternTemplate(text, wildcards: wildcards, variables: variables, foldsCase: foldsCase)
            if template.hasVariables || (wildcards && text.contains("?")) {
                headers.append(Header(kind: 2, anchoredStart: true, anchoredEnd: true, firstSegment: 0, segmentCount: 0,
                                      template: Int32(templates.count)))
                templates.append(template)
                continue
            }
            if wildcards, template.matchesEverything {
                headers.append(Header(kind: 0, anchoredStart: false, anchoredEnd: false, firstSegment: 0, segmentCount: 0, template: 0))
                continue
            }
            let utf8 = text.utf8.map { foldsCase ? WildcardPattern.fold($0) : $0 }
            let pieces = wildcards
                ? utf8.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: true)
                : (utf8.isEmpty ? [] : [utf8[...]])
            headers.append(Header(
                kind: 1, anchoredStart: !wildcards || utf8.first != UInt8(ascii: "*"),
                anchoredEnd: !wildcards || utf8.last != UInt8(ascii: "*"),
                firstSegment: Int32(segments.count), segmentCount: Int32(pieces.count), template: 0))
            for piece in pieces {
                segments.append(Segment(offset: Int32(bytes.count), count: Int32(piece.count)))
                bytes += piece
            }
        }
        self.headers = .allocate(capacity: headers.count)
        _ = self.headers.initialize(from: headers)
        self.segments = .allocate(capacity: segments.count)
        _ = self.segments.initialize(from: segments)
        self.bytes = .allocate(capacity: bytes.count)
        _ = self.bytes.initialize(from: bytes)
        self.templates = templates
        self.variables = templates.flatMap(\.variables)
    }

    deinit {
        headers.deallocate()
        segments.deallocate()
        bytes.deallocate()
    }

    /// Whether any pattern matches `text` (case-sensitively).
    @inline(__always)
    func matchesAny(_ text: UnsafeBufferPointer<UInt8>, in context: RequestContext) -> Bool {
        for index in 0..<headers.count {
            let header = headers[index]
            switch header.kind {
            case 0:
                return true
            case 1:
                if matchSegments(header, text) { return true }
            default:
                if templates[Int(header.template)].matches(text, in: context) { return true }
            }
        }
        return false
    }

    /// Leftmost-first search of the literal runs between stars; exact when
    /// `*` is the only wildcard.
    @inline(__always)
    private func matchSegments(_ header: Header, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if header.segmentCount == 0 { return text.isEmpty }
        var start = 0
        var end = text.count
        var first = Int(header.firstSegment)
        var last = first + Int(header.segmentCount)
        if header.anchoredStart {
            let head = segments[first]
            guard Int(head.count) <= end, equal(head, text, at: 0) else { return false }
            start = Int(head.count)
            first += 1
        }
        if header.anchoredEnd, last > first || !header.anchoredStart {
            let tail = segments[last - 1]
            guard Int(tail.count) <= end - start, equal(tail, text, at: end - Int(tail.count)) else { return false }
            end -= Int(tail.count)
            last -= 1
        } else if header.anchoredEnd, header.segmentCount == 1 {
            // A single literal anchored at both ends must be the whole text.
            return start == text.count
        }
        while first < last {
            let segment = segments[first]
            guard let found = find(segment, text, from: start, to: end) else { return false }
            start = found + Int(segment.count)
            first += 1
        }
        return true
    }

    @inline(__always)
    private func equal(_ segment: Segment, _ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        let count = Int(segment.count)
        var i = 0
        if foldsCase {
            let lhs = bytes.baseAddress! + Int(segment.offset)
            while i < count {
                if lhs[i] != WildcardPattern.fold(text[offset + i]) { return false }
                i += 1
            }
            return true
        }
        let lhs = UnsafeRawPointer(bytes.baseAddress! + Int(segment.offset))
        let rhs = UnsafeRawPointer(text.baseAddress! + offset)
        while i + 8 <= count {
            if lhs.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rhs.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if lhs.load(fromByteOffset: i, as: UInt8.self) != rhs.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    @inline(__always)
    private func find(_ segment: Segment, _ text: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        let count = Int(segment.count)
        let lead = bytes[Int(segment.offset)]
        var position = from
        let limit = to &- count
        guard let base = text.baseAddress else { return nil }
        while position <= limit {
            if foldsCase {
                if WildcardPattern.fold(base[position]) == lead, equal(segment, text, at: position) { return position }
                position &+= 1
                continue
            }
            // The lead byte is located with memchr, which scans a word at a time.
            guard let hit = memchr(base + position, Int32(lead), limit &- position &+ 1) else { return nil }
            position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if equal(segment, text, at: position) { return position }
            position &+= 1
        }
        return nil
    }
}
