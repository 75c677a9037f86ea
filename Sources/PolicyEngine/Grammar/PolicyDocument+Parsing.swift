extension PolicyDocument {
    /// Parses and validates `text` as IAM does for a policy of `kind`.
    ///
    /// - Parameter requiresCurrentVersion: true for managed policies
    ///   (CreatePolicy, CreatePolicyVersion), which IAM refuses without
    ///   `"Version": "2012-10-17"`; inline, trust and session policies accept
    ///   2008-10-17 or no version.
    /// - Throws: the `MalformedPolicyDocument` IAM would return.
    public static func parse(
        _ text: String, kind: PolicyKind, requiresCurrentVersion: Bool = false
    ) throws(PolicyGrammarError) -> PolicyDocument {
        try PolicyParser(kind: kind, requiresCurrentVersion: requiresCurrentVersion).parse(text)
    }
}
