/// The kinds of policy that take part in a decision, as AWS names them in
/// access-denied messages.
public enum PolicyType: String, Sendable, Hashable, CaseIterable {
    case identityBased = "identity-based policy"
    case resourceBased = "resource-based policy"
    case permissionsBoundary = "permissions boundary"
    case sessionPolicy = "session policy"

    /// The phrase with its article: "an identity-based policy", "a session policy".
    var withArticle: String {
        self == .identityBased ? "an \(rawValue)" : "a \(rawValue)"
    }
}
