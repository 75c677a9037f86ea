/// The value of one request-context key. AWS passes every typed value
/// (numbers, dates, booleans, IP addresses) as a string; multi-valued keys
/// such as `aws:TagKeys` carry several.
public struct ContextValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    public var values: [String]

    public init(_ value: String) { values = [value] }
    public init(_ values: [String]) { self.values = values }
    public init(stringLiteral value: String) { values = [value] }
    public init(arrayLiteral elements: String...) { values = elements }
}
