/// A policy document as loaded by the server, with the identity the
/// simulator reports for it.
public struct AttachedPolicy: Sendable {
    /// SimulatePolicy's `SourcePolicyType`.
    public enum Source: String, Sendable, Hashable {
        case user
        case group
        case role
        case awsManaged = "aws-managed"
        case userManaged = "user-managed"
        case resource
        case none
    }

    /// The policy ARN for managed policies; for inline policies
    /// `user_alice_inline-name`, `group_G_inline-name` or `role_R_inline-name`
    /// (the simulator's `SourcePolicyId`); for simulations `PolicyInputList.1`.
    public var id: String
    public var source: Source
    public var document: PolicyDocument

    public init(id: String, source: Source, document: PolicyDocument) {
        self.id = id
        self.source = source
        self.document = document
    }

    /// The ARN of a managed policy (`arn:…:policy/…`), which AWS appends to
    /// explicit-deny messages; nil for inline and resource policies.
    public var policyARN: String? {
        id.hasPrefix("arn:") && id.contains(":policy/") ? id : nil
    }
}
