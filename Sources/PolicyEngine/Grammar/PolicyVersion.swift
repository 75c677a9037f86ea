/// The policy language version (IAM User Guide, "IAM JSON policy elements:
/// Version"). A document without a `Version` element is read as 2008-10-17,
/// in which policy variables are literal text.
public enum PolicyVersion: String, Sendable, Hashable, CaseIterable {
    case v2012_10_17 = "2012-10-17"
    case v2008_10_17 = "2008-10-17"

    /// Variables "were introduced in version 2012-10-17".
    public var supportsPolicyVariables: Bool { self == .v2012_10_17 }
}
