/// A QR Code (ISO/IEC 18004) of a byte string at error-correction level M:
/// what CreateVirtualMFADevice hands out for authenticator apps to scan.
///
/// Byte mode only, the smallest version that fits, the mask with the lowest
/// penalty — the standard construction (after Project Nayuki's reference).
struct QRCode {
    let size: Int
    private(set) var modules: [[Bool]]
    private var isFunction: [[Bool]]

    /// Error-correction codewords per block and number of blocks, level M, versions 1–40.
    private static let eccPerBlock = [
        -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    private static let blockCount = [
        -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35,
        37, 38, 40, 43, 45, 47, 49,
    ]
    /// Level M's two format bits.
    private static let levelBits = 0

    /// nil when the data does not fit in version 40.
    init?(bytes data: [UInt8]) {
        var chosen: Int?
        for version in 1...40 {
            let capacityBits = Self.dataCodewords(version) * 8
            let needed = 4 + (version <= 9 ? 8 : 16) + data.count * 8
            if needed <= capacityBits { chosen = version; break }
        }
        guard let version = chosen else { return nil }
        size = version * 4 + 17
        modules = Array(repeating: Array(repeating: false, count: size), count: size)
        isFunction = modules
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in (0..<count).reversed() { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)
        append(data.count, version <= 9 ? 8 : 16)
        for byte in data { append(Int(byte), 8) }
        let capacity = Self.dataCodewords(version) * 8
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var pad = 0xEC
        while bits.count < capacity { append(pad, 8); pad ^= 0xEC ^ 0x11 }
        var codewords = [UInt8](repeating: 0, count: bits.count / 8)
        for (i, bit) in bits.enumerated() where bit { codewords[i >> 3] |= 1 << (7 - UInt8(i & 7)) }

        drawFunctionPatterns(version)
        drawCodewords(Self.interleave(codewords, version))
        var best = 0
        var lowest = Int.max
        for mask in 0..<8 {
            applyMask(mask)
            drawFormatBits(mask)
            let score = penalty()
            if score < lowest { lowest = score; best = mask }
            applyMask(mask)
        }
        applyMask(best)
        drawFormatBits(best)
    }

    // MARK: - Codewords

    private static func rawModules(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    private static func dataCodewords(_ version: Int) -> Int {
        rawModules(version) / 8 - eccPerBlock[version] * blockCount[version]
    }

    /// Splits into blocks, adds Reed–Solomon codewords, interleaves.
    private static func interleave(_ data: [UInt8], _ version: Int) -> [UInt8] {
        let blocks = blockCount[version]
        let ecc = eccPerBlock[version]
        let raw = rawModules(version) / 8
        let shortBlocks = blocks - raw % blocks
        let shortLength = raw / blocks
        let divisor = ReedSolomon.divisor(degree: ecc)
        var all: [[UInt8]] = []
        var k = 0
        for i in 0..<blocks {
            let dataLength = shortLength - ecc + (i < shortBlocks ? 0 : 1)
            var block = Array(data[k..<k + dataLength])
            k += dataLength
            let remainder = ReedSolomon.remainder(block, divisor)
            if i < shortBlocks { block.append(0) }
            all.append(block + remainder)
        }
        var result: [UInt8] = []
        for i in 0..<all[0].count {
            for (j, block) in all.enumerated() where i != shortLength - ecc || j >= shortBlocks {
                result.append(block[i])
            }
        }
        return result
    }

    // MARK: - Drawing

    private mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y][x] = dark
        isFunction[y][x] = true
    }

    private mutating func drawFunctionPatterns(_ version: Int) {
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        drawFinder(3, 3)
        drawFinder(size - 4, 3)
        drawFinder(3, size - 4)
        let positions = Self.alignmentPositions(version, size)
        let n = positions.count
        for i in 0..<n {
            for j in 0..<n where !(i == 0 && j == 0 || i == 0 && j == n - 1 || i == n - 1 && j == 0) {
                drawAlignment(positions[i], positions[j])
            }
        }
        drawFormatBits(0)
        drawVersion(version)
    }

    private mutating func drawFinder(_ x: Int, _ y: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let distance = max(abs(dx), abs(dy))
                let xx = x + dx, yy = y + dy
                if (0..<size).contains(xx), (0..<size).contains(yy) { set(xx, yy, distance != 2 && distance != 4) }
            }
        }
    }

    private mutating func drawAlignment(_ x: Int, _ y: Int) {
        for dy in -2...2 {
            for dx in -2...2 { set(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
        }
    }

    private static func alignmentPositions(_ version: Int, _ size: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var result = [6]
        var position = size - 7
        var tail: [Int] = []
        for _ in 0..<(count - 1) { tail.insert(position, at: 0); position -= step }
        result += tail
        return result
    }

    private mutating func drawFormatBits(_ mask: Int) {
        let data = Self.levelBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    private mutating func drawVersion(_ version: Int) {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | remainder
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            set(a, b, dark)
            set(b, a, dark)
        }
    }

    private mutating func drawCodewords(_ data: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    if !isFunction[y][x], i < data.count * 8 {
                        modules[y][x] = (data[i >> 3] >> (7 - UInt8(i & 7))) & 1 == 1
                        i += 1
                    }
                }
            }
            right -= 2
        }
    }

    private mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y][x] {
                let invert: Bool
                switch mask {
                case 0: invert = (x + y) % 2 == 0
                case 1: invert = y % 2 == 0
                case 2: invert = x % 3 == 0
                case 3: invert = (x + y) % 3 == 0
                case 4: invert = (x / 3 + y / 2) % 2 == 0
                case 5: invert = x * y % 2 + x * y % 3 == 0
                case 6: invert = (x * y % 2 + x * y % 3) % 2 == 0
                default: invert = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if invert { modules[y][x].toggle() }
            }
        }
    }

    /// ISO 18004's four penalty rules.
    private func penalty() -> Int {
        var result = 0
        func lines(_ horizontal: Bool) -> [[Bool]] {
            (0..<size).map { i in (0..<size).map { j in horizontal ? modules[i][j] : modules[j][i] } }
        }
        for horizontal in [true, false] {
            for line in lines(horizontal) {
                var run = 1
                for k in 1..<size {
                    if line[k] == line[k - 1] {
                        run += 1
                        if run == 5 { result += 3 } else if run > 5 { result += 1 }
                    } else {
                        run = 1
                    }
                }
                let pattern: [Bool] = [true, false, true, true, true, false, true]
                if size >= 11 {
                    for k in 0...(size - 7) where Array(line[k..<k + 7]) == pattern {
                        let before = k >= 4 && line[(k - 4)..<k].allSatisfy { !$0 }
                        let after = k + 11 <= size && line[(k + 7)..<(k + 11)].allSatisfy { !$0 }
                        if before || after { result += 40 }
                    }
                }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = modules[y][x]
                if c == modules[y][x + 1], c == modules[y + 1][x], c == modules[y + 1][x + 1] { result += 3 }
            }
        }
        let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
        let total = size * size
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        result += max(0, k) * 10
        return result
    }
}

/// Reed–Solomon over GF(2^8) with the QR polynomial 0x11D.
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in (0..<8).reversed() {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z & 0xFF)
    }

    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in 0..<divisor.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}
