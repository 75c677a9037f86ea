/// What a lifecycle policy does to a repository's images, by ECR's documented
/// evaluation rules (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html,
/// "Lifecycle policy evaluation rules"):
///
/// - an image is expired (or transitioned) by exactly one rule or none;
/// - an image that matches the tagging requirements of a rule cannot be
///   expired by a rule with a lower priority (a higher number);
/// - rules still *see* images that higher-priority rules marked, so those
///   count towards `imageCountMoreThan`;
/// - `imageCountMoreThan` keeps the newest images by push time and marks the
///   rest; the `since…` counts mark images older than `countNumber` days;
/// - an image that a manifest list of the repository refers to is not expired
///   while the list exists.
///
/// Pure: images and the time in, decisions out. The preview and the
/// background sweep share it.
extension LifecycleRules {
    public struct Image: Sendable, Equatable {
        public var digest: String
        public var tags: [String]
        /// Seconds since 1970.
        public var pushedAt: Double
        public var lastPulledAt: Double?
        /// `standard` or `archive`.
        public var storageClass: String
        public var transitionedAt: Double?
        /// A manifest list or index of the repository points at it.
        public var isReferenced: Bool

        public init(
            digest: String, tags: [String], pushedAt: Double, lastPulledAt: Double? = nil, storageClass: String = "standard",
            transitionedAt: Double? = nil, isReferenced: Bool = false
        ) {
            self.digest = digest
            self.tags = tags
            self.pushedAt = pushedAt
            self.lastPulledAt = lastPulledAt
            self.storageClass = storageClass
            self.transitionedAt = transitionedAt
            self.isReferenced = isReferenced
        }
    }

    public struct Decision: Sendable, Equatable {
        public var digest: String
        public var rulePriority: Int
        public var action: Action
    }

    static let day: Double = 86_400

    /// The images the policy acts on at `now`, oldest push first.
    public func evaluate(_ images: [Image], now: Double) -> [Decision] {
        var decided: [String: Decision] = [:]
        // Storage classes are evaluated independently: each has its own rule set.
        for storageClass in Set(rules.map(\.storageClass)) {
            var seen = Set<String>()
            for rule in rules where rule.storageClass == storageClass {
                let selected = images.filter { $0.storageClass == storageClass && rule.selects($0) }
                for image in rule.marks(selected, now: now) {
                    guard decided[image.digest] == nil, !seen.contains(image.digest), !image.isReferenced else { continue }
                    decided[image.digest] = Decision(digest: image.digest, rulePriority: rule.priority, action: rule.action)
                }
                seen.formUnion(selected.map(\.digest))
            }
        }
        let pushed = Dictionary(images.map { ($0.digest, $0.pushedAt) }, uniquingKeysWith: { a, _ in a })
        return decided.values.sorted { (pushed[$0.digest]!, $0.digest) < (pushed[$1.digest]!, $1.digest) }
    }
}

extension LifecycleRules.Rule {
    /// The rule's tagging requirements. With several prefixes or patterns an
    /// image must match every one of them (each with any of its tags).
    func selects(_ image: LifecycleRules.Image) -> Bool {
        switch tagStatus {
        case .any: return true
        case .untagged: return image.tags.isEmpty
        case .tagged:
            guard !image.tags.isEmpty else { return false }
            return tagPrefixes.allSatisfy { prefix in image.tags.contains { $0.hasPrefix(prefix) } }
                && tagPatterns.allSatisfy { pattern in image.tags.contains { Wildcard.matches(pattern, $0) } }
        }
    }

    /// Of the selected images, those the count criterion marks.
    func marks(_ selected: [LifecycleRules.Image], now: Double) -> [LifecycleRules.Image] {
        let newestFirst = selected.sorted { ($0.pushedAt, $0.digest) > ($1.pushedAt, $1.digest) }
        let limit = now - Double(countNumber) * LifecycleRules.day
        switch countType {
        case .imageCountMoreThan:
            return Array(newestFirst.dropFirst(countNumber))
        case .sinceImagePushed:
            return newestFirst.filter { $0.pushedAt < limit }
        case .sinceImagePulled:
            // An image never pulled counts from its push.
            return newestFirst.filter { ($0.lastPulledAt ?? $0.pushedAt) < limit }
        case .sinceImageTransitioned:
            return newestFirst.filter { ($0.transitionedAt ?? $0.pushedAt) < limit }
        }
    }
}
