/// `IpAddress` (and `NotIpAddress` through `ConditionClause`): whether the
/// request address lies in any policy CIDR block, IPv4 or IPv6 (IAM User
/// Guide, "IP address condition operators"). Policy values that are not
/// addresses match nothing.
struct IPAddressCondition: Sendable, Hashable {
    private let ranges: [IPAddressRange]

    init(values: [String]) {
        ranges = values.compactMap(IPAddressRange.init)
    }

    func matches(_ value: String) -> Bool {
        for range in ranges where range.contains(value) { return true }
        return false
    }
}
