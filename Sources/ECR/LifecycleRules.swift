import JSON

/// A lifecycle policy, parsed and checked as ECR checks it before storing it
/// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html).
///
/// ECR validates the text against a JSON schema first (its refusals carry the
/// JSON-schema validator's wording: `object has missing required properties
/// (["rules"])`, `instance failed to match exactly one schema (matched 0 out
/// of 2)`), then checks the rules against each other.
public struct LifecycleRules: Sendable, Equatable {
    public enum TagStatus: String, Sendable, CaseIterable { case tagged, untagged, any }

    public enum CountType: String, Sendable, CaseIterable {
        case imageCountMoreThan, sinceImagePushed, sinceImagePulled, sinceImageTransitioned
    }

    public enum Action: Sendable, Equatable {
        case expire
        /// Move the image to another storage class (only `archive` exists).
        case transition(String)

        /// The preview's `action.type`.
        public var type: String {
            switch self {
            case .expire: "EXPIRE"
            case .transition: "TRANSITION"
            }
        }
    }

    public struct Rule: Sendable, Equatable {
        public var priority: Int
        public var description: String?
        public var tagStatus: TagStatus
        public var tagPrefixes: [String]
        public var tagPatterns: [String]
        /// `standard` (the default) or `archive`: the images the rule looks at.
        public var storageClass: String
        public var countType: CountType
        public var countNumber: Int
        public var action: Action

        public init(
            priority: Int, description: String? = nil, tagStatus: TagStatus, tagPrefixes: [String] = [], tagPatterns: [String] = [],
            storageClass: String = "standard", countType: CountType, countNumber: Int, action: Action = .expire
        ) {
            self.priority = priority
            self.description = description
            self.tagStatus = tagStatus
            self.tagPrefixes = tagPrefixes
            self.tagPatterns = tagPatterns
            self.storageClass = storageClass
            self.countType = countType
            self.countNumber = countNumber
            self.action = action
        }
    }

    /// In priority order, lowest number first.
    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules.sorted { $0.priority < $1.priority }
    }

    /// Why ECR refuses a policy: the text after `Lifecycle policy validation failure: `.
    public struct Invalid: Error, Sendable, Equatable {
        public var reason: String
        /// Whether AWS closes the constraint with `'`: its captured schema
        /// failures for `oneOf` and `minimum` end without one (cloudposse/terraform-aws-ecr#158).
        public var closed: Bool

        init(_ reason: String, closed: Bool = true) {
            self.reason = reason
            self.closed = closed
        }
    }

    /// Wildcards one tag pattern may hold (the user guide's "maximum limit of four wildcards per string").
    static let wildcardLimit = 4

    public static func parse(_ text: String) throws(Invalid) -> LifecycleRules {
        guard let document = try? JSONParser.parse(text), case .object(let root) = document else {
            throw Invalid("Could not map policyString into LifecyclePolicy.")
        }
        try Schema.required(root, ["rules"])
        try Schema.allowed(root, ["rules"])
        guard case .array(let items) = root["rules"]! else { throw Schema.typeMismatch(root["rules"]!, "array") }
        if items.isEmpty { throw Invalid("array is too short: must have at least 1 elements but instance has 0 elements") }
        let rules = try items.map { item throws(Invalid) in try rule(item) }
        try check(rules)
        return LifecycleRules(rules: rules)
    }

    private static func rule(_ value: JSONValue) throws(Invalid) -> Rule {
        guard case .object(let object) = value else { throw Schema.typeMismatch(value, "object") }
        try Schema.required(object, ["action", "rulePriority", "selection"])
        try Schema.allowed(object, ["action", "description", "rulePriority", "selection"])
        let priority = try Schema.integer(object["rulePriority"]!, minimum: 1)
        var description: String?
        if let text = object["description"] {
            guard case .string(let s) = text else { throw Schema.typeMismatch(text, "string") }
            description = s
        }
        guard case .object(let selection) = object["selection"]! else { throw Schema.typeMismatch(object["selection"]!, "object") }
        guard case .object(let action) = object["action"]! else { throw Schema.typeMismatch(object["action"]!, "object") }

        try Schema.required(selection, ["countNumber", "countType", "tagStatus"])
        try Schema.allowed(
            selection, ["countNumber", "countType", "countUnit", "storageClass", "tagPatternList", "tagPrefixList", "tagStatus"])
        let tagStatus = try Schema.enumeration(selection["tagStatus"]!, TagStatus.self)
        let prefixes = try selection["tagPrefixList"].map { v throws(Invalid) in try Schema.strings(v) } ?? []
        let patterns = try selection["tagPatternList"].map { v throws(Invalid) in try Schema.strings(v) } ?? []
        var storageClass = "standard"
        if let value = selection["storageClass"] {
            storageClass = try Schema.enumeration(value, ["standard", "archive"])
        }
        let countNumber = try Schema.integer(selection["countNumber"]!, minimum: 1)
        // Two schemas: a count (no countUnit) or an age (countUnit "days").
        let countType: CountType
        switch (selection["countType"]?.stringValue.flatMap(CountType.init(rawValue:)), selection["countUnit"]) {
        case (.imageCountMoreThan?, nil):
            countType = .imageCountMoreThan
        case (let type?, .string("days")?) where type != .imageCountMoreThan:
            countType = type
        default:
            throw Invalid("instance failed to match exactly one schema (matched 0 out of 2)", closed: false)
        }

        // Two schemas again: expire, or transition to a target storage class.
        let ruleAction: Action
        switch (action["type"], action.count) {
        case (.string("expire")?, 1):
            ruleAction = .expire
        case (.string("transition")?, 2) where action["targetStorageClass"] == .string("archive"):
            ruleAction = .transition("archive")
        default:
            if action["type"] == nil { try Schema.required(action, ["type"]) }
            throw Invalid("instance failed to match exactly one schema (matched 0 out of 2)", closed: false)
        }
        return Rule(
            priority: priority, description: description, tagStatus: tagStatus, tagPrefixes: prefixes, tagPatterns: patterns,
            storageClass: storageClass, countType: countType, countNumber: countNumber, action: ruleAction)
    }

    /// The checks across a rule's members and across rules, after the schema.
    private static func check(_ rules: [Rule]) throws(Invalid) {
        var priorities = Set<Int>()
        for rule in rules {
            guard priorities.insert(rule.priority).inserted else { throw Invalid("Rule priorities must be unique.") }
            let lists = !rule.tagPrefixes.isEmpty || !rule.tagPatterns.isEmpty
            switch rule.tagStatus {
            case .tagged where !lists:
                throw Invalid("Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.")
            case .untagged where lists, .any where lists:
                throw Invalid("tagPrefixList and tagPatternList may only be specified when tagStatus=TAGGED.")
            default: break
            }
            if !rule.tagPrefixes.isEmpty && !rule.tagPatterns.isEmpty {
                throw Invalid("Cannot specify both tagPrefixList and tagPatternList in the same rule.")
            }
            if rule.tagPatterns.contains(where: { $0.count(where: { $0 == "*" }) > wildcardLimit }) {
                throw Invalid("Tag patterns may contain at most \(wildcardLimit) wildcards.")
            }
            if rule.countType == .sinceImageTransitioned, rule.storageClass != "archive" {
                throw Invalid("countType sinceImageTransitioned requires storageClass=ARCHIVE.")
            }
            if case .transition = rule.action, rule.storageClass == "archive" {
                throw Invalid("Rules for storageClass=ARCHIVE can only expire images.")
            }
        }
        for storageClass in ["standard", "archive"] {
            let group = rules.filter { $0.storageClass == storageClass }.sorted { $0.priority < $1.priority }
            if group.count(where: { $0.tagStatus == .untagged }) > 1 {
                throw Invalid("Only one rule can select Untagged images per storage class")
            }
            if let any = group.firstIndex(where: { $0.tagStatus == .any }), any != group.count - 1 {
                throw Invalid("Rule for tagStatus=ANY must have the lowest priority per storage class")
            }
        }
    }

    /// The JSON-schema validator's wording for the few keywords the schema uses.
    private enum Schema {
        static func required(_ object: JSONObject, _ names: [String]) throws(Invalid) {
            let missing = names.filter { object[$0] == nil }.sorted()
            if !missing.isEmpty { throw Invalid("object has missing required properties (\(list(missing)))") }
        }

        static func allowed(_ object: JSONObject, _ names: Set<String>) throws(Invalid) {
            let extra = object.keys.filter { !names.contains($0) }
            if !extra.isEmpty {
                throw Invalid("object instance has properties which are not allowed by the schema: \(list(Array(Set(extra)).sorted()))")
            }
        }

        static func typeMismatch(_ value: JSONValue, _ allowed: String) -> Invalid {
            Invalid("instance type (\(typeName(value))) does not match any allowed primitive type (allowed: [\"\(allowed)\"])")
        }

        static func integer(_ value: JSONValue, minimum: Int) throws(Invalid) -> Int {
            guard case .number(let number) = value, let int = Int(number.text) else { throw typeMismatch(value, "integer") }
            if int < minimum {
                throw Invalid("numeric instance is lower than the required minimum (minimum: \(minimum), found: \(int))", closed: false)
            }
            return int
        }

        static func strings(_ value: JSONValue) throws(Invalid) -> [String] {
            guard case .array(let items) = value else { throw typeMismatch(value, "array") }
            return try items.map { item throws(Invalid) in
                guard case .string(let s) = item else { throw typeMismatch(item, "string") }
                return s
            }
        }

        static func enumeration<E: RawRepresentable & CaseIterable>(_ value: JSONValue, _ type: E.Type) throws(Invalid) -> E
        where E.RawValue == String {
            let raw = try enumeration(value, E.allCases.map(\.rawValue))
            return E(rawValue: raw)!
        }

        static func enumeration(_ value: JSONValue, _ values: [String]) throws(Invalid) -> String {
            if case .string(let s) = value, values.contains(s) { return s }
            var w = JSONWriter()
            w.value(value)
            throw Invalid("instance value (\(w.string)) not found in enum (possible values: \(list(values)))")
        }

        static func list(_ names: [String]) -> String {
            "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        }

        /// JSON Schema's type names: an integral number is an `integer`.
        static func typeName(_ value: JSONValue) -> String {
            if case .number(let n) = value { return Int(n.text) != nil ? "integer" : "number" }
            return value.kindName
        }
    }
}
