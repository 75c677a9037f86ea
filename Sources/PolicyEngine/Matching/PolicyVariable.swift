/// A `${key}` or `${key, 'default'}` placeholder in a policy string.
///
/// AWS substitutes the request-context value of `key`; a key that is missing
/// (or multi-valued, which variables cannot represent) falls back to the
/// default, and without one the value cannot be resolved.
/// (IAM User Guide, "IAM policy elements: Variables and tags".)
struct PolicyVariable: Sendable, Hashable {
    /// The key as written, for GetContextKeysForPolicy.
    let key: String
    let foldedKey: String
    let defaultValue: String?

    init(key: String, defaultValue: String?) {
        self.key = key
        self.foldedKey = key.asciiLowercased()
        self.defaultValue = defaultValue
    }

    func resolve(in context: RequestContext) -> String? {
        if let values = context.values(forFoldedKey: foldedKey), values.count == 1 {
            return values[0]
        }
        return defaultValue
    }
}
