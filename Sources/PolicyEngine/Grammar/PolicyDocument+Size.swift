extension PolicyDocument {
    /// A policy's size as IAM counts it against its quotas (6,144 for a
    /// managed policy, 2,048 for a user's inline policies, 10,240 for a
    /// role's, 2,048 for a trust policy): characters other than white space.
    /// "IAM does not count white space when calculating the size of a policy";
    /// GetAccountSummary describes the quotas "in non-whitespace characters".
    public static func size(of text: String) -> Int {
        text.unicodeScalars.count(where: { !$0.properties.isWhitespace })
    }
}
