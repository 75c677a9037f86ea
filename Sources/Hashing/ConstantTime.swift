/// Comparing secrets (signatures, password hashes, tokens) without leaking,
/// through the time taken, where the first difference is.
public enum ConstantTime {
    /// Whether the two are equal; every byte is compared whatever the first difference.
    public static func equals(_ a: some Sequence<UInt8>, _ b: some Sequence<UInt8>) -> Bool {
        let x = Array(a), y = Array(b)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    public static func equals(_ a: String, _ b: String) -> Bool { equals(a.utf8, b.utf8) }
}
