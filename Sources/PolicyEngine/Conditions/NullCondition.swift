/// `Null`: "true (the key doesn't exist — it is null) or false (the key exists
/// and its value is not null)" (IAM User Guide, "Condition operator to check
/// existence of condition keys"). Several values are ORed like any other
/// operator's; a key present with no values counts as null.
struct NullCondition: Sendable, Hashable {
    private let acceptsAbsent: Bool
    private let acceptsPresent: Bool

    init(values: [String]) {
        acceptsAbsent = values.contains { $0.asciiLowercased() == "true" }
        acceptsPresent = values.contains { $0.asciiLowercased() == "false" }
    }

    func evaluate(isPresent: Bool) -> Bool {
        isPresent ? acceptsPresent : acceptsAbsent
    }
}
