/// An IPv4 or IPv6 CIDR block. "If you specify an IP address without the
/// associated routing prefix, IAM uses the default prefix value of /32" (IAM
/// User Guide, "IP address condition operators"); for IPv6 that is /128.
struct IPAddressRange: Sendable, Hashable {
    /// Addresses as 128-bit values; IPv4 uses the low 32 bits.
    private let network: (UInt64, UInt64)
    private let prefixLength: Int
    private let isIPv6: Bool

    static func == (lhs: IPAddressRange, rhs: IPAddressRange) -> Bool {
        lhs.network == rhs.network && lhs.prefixLength == rhs.prefixLength && lhs.isIPv6 == rhs.isIPv6
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(network.0)
        hasher.combine(network.1)
        hasher.combine(prefixLength)
        hasher.combine(isIPv6)
    }

    init?(_ text: String) {
        let trimmed = text.trimmingSpaces()
        let addressText: Substring
        var prefix: Int?
        if let slash = trimmed.firstIndex(of: "/") {
            addressText = trimmed[..<slash]
            guard let length = Int(trimmed[trimmed.index(after: slash)...]) else { return nil }
            prefix = length
        } else {
            addressText = trimmed
        }
        guard let address = Self.parse(addressText) else { return nil }
        let width = address.isIPv6 ? 128 : 32
        let length = prefix ?? width
        guard (0...width).contains(length) else { return nil }
        isIPv6 = address.isIPv6
        prefixLength = address.isIPv6 ? length : length + 96
        network = Self.mask(address.value, prefixLength)
    }

    func contains(_ text: String) -> Bool {
        if !isIPv6, let v4 = text.withUTF8Bytes(Self.parseIPv4Bytes) {
            return Self.mask((0, UInt64(v4)), prefixLength) == network
        }
        guard let address = Self.parse(text.trimmingSpaces()), address.isIPv6 == isIPv6 else { return false }
        return Self.mask(address.value, prefixLength) == network
    }

    /// Dotted-quad parsing straight from the bytes: request addresses are
    /// read on every evaluation, so this path must not allocate.
    static func parseIPv4Bytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in bytes {
            if byte &- 0x30 < 10 {
                octet = octet * 10 + UInt32(byte &- 0x30)
                digits += 1
                guard digits <= 3, octet <= 255 else { return nil }
            } else if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
            } else {
                return nil
            }
        }
        guard digits > 0, dots == 3 else { return nil }
        return value << 8 | octet
    }

    private static func mask(_ value: (UInt64, UInt64), _ length: Int) -> (UInt64, UInt64) {
        let high: UInt64 = length >= 64 ? ~0 : (length == 0 ? 0 : ~0 << UInt64(64 - length))
        let low: UInt64 = length >= 128 ? ~0 : (length <= 64 ? 0 : ~0 << UInt64(128 - length))
        return (value.0 & high, value.1 & low)
    }

    static func parse(_ text: Substring) -> (value: (UInt64, UInt64), isIPv6: Bool)? {
        if text.contains(":") {
            return parseIPv6(text).map { ($0, true) }
        }
        return parseIPv4(text).map { ((0, UInt64($0)), false) }
    }

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    private static func parseIPv6(_ text: Substring) -> (UInt64, UInt64)? {
        var groups: [UInt16] = []
        var halves = [text]
        if let gap = text.firstRange(of: "::") {
            halves = [text[..<gap.lowerBound], text[gap.upperBound...]]
            guard halves[1].firstRange(of: "::") == nil else { return nil }
        }
        func parseGroups(_ part: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowIPv4Tail, index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    result.append(UInt16(v4 >> 16))
                    result.append(UInt16(v4 & 0xFFFF))
                } else {
                    guard (1...4).contains(piece.count), let group = UInt16(piece, radix: 16) else { return nil }
                    result.append(group)
                }
            }
            return result
        }
        if halves.count == 2 {
            guard let head = parseGroups(halves[0], allowIPv4Tail: false),
                let tail = parseGroups(halves[1], allowIPv4Tail: true), head.count + tail.count < 8
            else { return nil }
            groups = head
            groups += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = parseGroups(halves[0], allowIPv4Tail: true), all.count == 8 else { return nil }
            groups = all
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<4 { high = high << 16 | UInt64(groups[i]) }
        for i in 4..<8 { low = low << 16 | UInt64(groups[i]) }
        return (high, low)
    }
}
