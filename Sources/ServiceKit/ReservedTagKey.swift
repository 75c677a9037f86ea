/// The `aws:` tag key prefix, which AWS keeps for its own tags: IAM and ECR
/// refuse a request that sets a tag whose key begins with it.
///
/// - IAM User Guide, "Tagging IAM resources" (awsdocs/iam-user-guide `id_tags.md`): "You cannot
///   create a tag key or value that begins with the text aws:. This tag prefix is reserved for AWS
///   internal use."
/// - Case: "The aws: prefix is reserved for AWS use. This prefix is case-insensitive." (CloudFormation
///   User Guide, stack tags); "Do not use aws:, AWS:, or any upper or lowercase combination of such as
///   a prefix for either keys or values as it is reserved for AWS use." (ECS API reference, tags), so
///   `AWS:` and `Aws:` are refused too.
/// Values are not checked, although both pages name them: no recorded IAM or ECR refusal of an `aws:`
/// value was found, and refusing what AWS may accept is the worse mistake here (INFERRED).
public enum ReservedTagKey {
    public static let prefix = "aws:"

    /// Whether `key` begins with `aws:` in any letter case.
    public static func isReserved(_ key: String) -> Bool {
        key.unicodeScalars.count >= 4 && String(key.unicodeScalars.prefix(4)).lowercased() == prefix
    }
}
