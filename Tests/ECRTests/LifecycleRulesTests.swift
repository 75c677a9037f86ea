import Testing

@testable import ECR

/// The lifecycle evaluator against the examples of the ECR user guide,
/// "Examples of lifecycle policies in Amazon ECR"
/// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html),
/// and the evaluation rules of "How lifecycle policies work" (LifecyclePolicies.html).
@Suite("Lifecycle rules")
struct LifecycleRulesTests {
    static let now = 1_700_000_000.0

    /// An image pushed `days` ago.
    static func image(_ name: String, _ tags: [String], pushed days: Double, referenced: Bool = false) -> LifecycleRules.Image {
        LifecycleRules.Image(
            digest: "sha256:" + name, tags: tags, pushedAt: now - days * 86_400, isReferenced: referenced)
    }

    static func expired(_ policy: String, _ images: [LifecycleRules.Image]) throws -> [String] {
        try LifecycleRules.parse(policy).evaluate(images, now: now).map { String($0.digest.dropFirst("sha256:".count)) }
    }

    static func rule(_ priority: Int, _ selection: String, action: String = #"{"type":"expire"}"#) -> String {
        #"{"rulePriority":\#(priority),"description":"rule \#(priority)","selection":{\#(selection)},"action":\#(action)}"#
    }

    static func policy(_ rules: String...) -> String {
        #"{"rules":[\#(rules.joined(separator: ","))]}"#
    }

    // MARK: - The guide's examples

    @Test("Filtering on image age: tagged prod* older than 14 days expire")
    func imageAge() throws {
        let policy = Self.policy(Self.rule(
            1, #""tagStatus":"tagged","tagPatternList":["prod*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":14"#))
        let images = [
            Self.image("a", ["prod-1"], pushed: 20), Self.image("b", ["prod-2"], pushed: 10), Self.image("c", ["dev-1"], pushed: 30),
            Self.image("d", [], pushed: 40),
        ]
        #expect(try Self.expired(policy, images) == ["a"])
    }

    @Test("Filtering on image count: keep only one untagged image, expire all others")
    func imageCount() throws {
        let policy = Self.policy(Self.rule(1, #""tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1"#))
        let images = [
            Self.image("a", [], pushed: 3), Self.image("b", [], pushed: 2), Self.image("c", [], pushed: 1),
            Self.image("t", ["v1"], pushed: 9),
        ]
        #expect(try Self.expired(policy, images) == ["a", "b"])
    }

    static let prodThenBeta = policy(
        rule(1, #""tagStatus":"tagged","tagPrefixList":["prod"],"countType":"imageCountMoreThan","countNumber":1"#),
        rule(2, #""tagStatus":"tagged","tagPrefixList":["beta"],"countType":"imageCountMoreThan","countNumber":1"#))

    @Test("Filtering on multiple rules, example A: an image seen by rule 1 is not expired by rule 2")
    func multipleRulesA() throws {
        let images = [
            Self.image("A", ["beta-1", "prod-1"], pushed: 10), Self.image("B", ["beta-2", "prod-2"], pushed: 9),
            Self.image("C", ["beta-3"], pushed: 8),
        ]
        #expect(try Self.expired(Self.prodThenBeta, images) == ["A"])
    }

    @Test("Filtering on multiple rules, example B: rule 2 may not expire what rule 1 kept")
    func multipleRulesB() throws {
        let images = [
            Self.image("A", ["beta-1", "prod-1"], pushed: 12), Self.image("B", ["beta-2", "prod-2"], pushed: 11),
            Self.image("C", ["beta-3", "prod-3"], pushed: 10), Self.image("D", ["beta-4"], pushed: 9),
        ]
        #expect(try Self.expired(Self.prodThenBeta, images) == ["A", "B"])
    }

    static let multipleTagImages = [
        image("A", ["alpha-1"], pushed: 12), image("B", ["beta-1"], pushed: 11), image("C", ["alpha-2", "beta-2"], pushed: 10),
        image("D", ["alpha-3"], pushed: 4), image("E", ["beta-3"], pushed: 3), image("F", ["alpha-4", "beta-4"], pushed: 2),
    ]

    @Test("Filtering on multiple tags in a single rule, by age: only images with every pattern are selected")
    func multipleTagsAge() throws {
        let policy = Self.policy(Self.rule(
            1, #""tagStatus":"tagged","tagPatternList":["alpha*","beta*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":5"#))
        #expect(try Self.expired(policy, Self.multipleTagImages) == ["C"])
    }

    @Test("Filtering on multiple tags in a single rule, by count")
    func multipleTagsCount() throws {
        let policy = Self.policy(Self.rule(
            1, #""tagStatus":"tagged","tagPrefixList":["alpha","beta"],"countType":"imageCountMoreThan","countNumber":1"#))
        #expect(try Self.expired(policy, Self.multipleTagImages) == ["C"])
    }

    @Test("Filtering on all images: tagStatus any keeps the newest image only")
    func allImages() throws {
        let policy = Self.policy(Self.rule(1, #""tagStatus":"any","countType":"imageCountMoreThan","countNumber":1"#))
        let images = [
            Self.image("A", ["alpha-1"], pushed: 4), Self.image("B", ["beta-1"], pushed: 3), Self.image("C", [], pushed: 2),
            Self.image("D", ["alpha-2"], pushed: 1),
        ]
        #expect(try Self.expired(policy, images) == ["A", "B", "C"])
    }

    @Test("Filtering on all images with a tagged rule first: rule 2 (any, older than 5 days) expires what rule 1 did not select")
    func allImagesAfterTagged() throws {
        let policy = Self.policy(
            Self.rule(1, #""tagStatus":"tagged","tagPrefixList":["alpha"],"countType":"imageCountMoreThan","countNumber":1"#),
            Self.rule(2, #""tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":5"#))
        let images = [
            Self.image("A", ["alpha-1"], pushed: 12), Self.image("B", ["beta-1"], pushed: 11), Self.image("C", [], pushed: 10),
            Self.image("D", ["alpha-2"], pushed: 4), Self.image("E", [], pushed: 3), Self.image("F", ["alpha-3"], pushed: 2),
        ]
        #expect(try Self.expired(policy, images) == ["A", "B", "C", "D"])
    }

    // MARK: - Evaluation rules

    @Test("each image is decided by the lowest-numbered rule that marks it, whatever the order in the text")
    func priorities() throws {
        let policy = Self.policy(
            Self.rule(20, #""tagStatus":"any","countType":"imageCountMoreThan","countNumber":1"#),
            Self.rule(5, #""tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1"#))
        let images = [Self.image("u1", [], pushed: 3), Self.image("u2", [], pushed: 2), Self.image("t", ["v"], pushed: 1)]
        let decisions = try LifecycleRules.parse(policy).evaluate(images, now: Self.now)
        #expect(decisions.map(\.digest) == ["sha256:u1"])
        #expect(decisions.map(\.rulePriority) == [5])
    }

    @Test("an image a manifest list refers to is not expired")
    func referencedImages() throws {
        let policy = Self.policy(Self.rule(1, #""tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1"#))
        let images = [Self.image("child", [], pushed: 5, referenced: true), Self.image("a", [], pushed: 4), Self.image("b", [], pushed: 1)]
        #expect(try Self.expired(policy, images) == ["a"])
    }

    @Test("sinceImagePulled counts from the last pull, or from the push for an image never pulled")
    func sincePulled() throws {
        let policy = Self.policy(Self.rule(1, #""tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":7"#))
        var pulledRecently = Self.image("a", ["x"], pushed: 30)
        pulledRecently.lastPulledAt = Self.now - 86_400
        let images = [pulledRecently, Self.image("b", ["y"], pushed: 30), Self.image("c", ["z"], pushed: 2)]
        #expect(try Self.expired(policy, images) == ["b"])
    }

    // MARK: - Validation

    static func refusal(_ policy: String) -> LifecycleRules.Invalid? {
        do {
            _ = try LifecycleRules.parse(policy)
            return nil
        } catch {
            return error
        }
    }

    @Test("a count rule with a countUnit matches neither count schema (the message of cloudposse/terraform-aws-ecr#158)")
    func countUnitOnCount() {
        let invalid = Self.refusal(Self.policy(Self.rule(
            1, #""tagStatus":"untagged","countType":"imageCountMoreThan","countUnit":"days","countNumber":5"#)))
        #expect(invalid?.reason == "instance failed to match exactly one schema (matched 0 out of 2)")
        #expect(invalid?.closed == false)
    }

    @Test("an expire action with a targetStorageClass matches neither action schema")
    func actionSchemas() {
        let invalid = Self.refusal(Self.policy(Self.rule(
            1, #""tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":5"#,
            action: #"{"type":"expire","targetStorageClass":null}"#)))
        #expect(invalid?.reason == "instance failed to match exactly one schema (matched 0 out of 2)")
    }

    @Test("schema refusals use the JSON-schema validator's words")
    func schemaWording() {
        #expect(Self.refusal("not json")?.reason == "Could not map policyString into LifecyclePolicy.")
        #expect(Self.refusal(#"{"rule":[]}"#)?.reason == #"object has missing required properties (["rules"])"#)
        #expect(Self.refusal(#"{"rules":[{"rulePriority":1}]}"#)?.reason == #"object has missing required properties (["action","selection"])"#)
        #expect(
            Self.refusal(Self.policy(Self.rule(1, #""tagStatus":"old","countType":"imageCountMoreThan","countNumber":1"#)))?.reason
                == #"instance value ("old") not found in enum (possible values: ["tagged","untagged","any"])"#)
        #expect(
            Self.refusal(Self.policy(Self.rule(0, #""tagStatus":"any","countType":"imageCountMoreThan","countNumber":1"#)))?.reason
                == "numeric instance is lower than the required minimum (minimum: 1, found: 0)")
        #expect(
            Self.refusal(Self.policy(Self.rule(1, #""tagStatus":"any","countType":"imageCountMoreThan","countNumber":"1""#)))?.reason
                == #"instance type (string) does not match any allowed primitive type (allowed: ["integer"])"#)
    }

    @Test("rules are checked against each other: unique priorities, one untagged rule, any last, tagged needs a list")
    func ruleChecks() {
        let untagged = #""tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1"#
        let any = #""tagStatus":"any","countType":"imageCountMoreThan","countNumber":1"#
        #expect(Self.refusal(Self.policy(Self.rule(1, untagged), Self.rule(1, any)))?.reason == "Rule priorities must be unique.")
        #expect(
            Self.refusal(Self.policy(Self.rule(1, untagged), Self.rule(2, untagged)))?.reason
                == "Only one rule can select Untagged images per storage class")
        #expect(
            Self.refusal(Self.policy(Self.rule(1, any), Self.rule(2, untagged)))?.reason
                == "Rule for tagStatus=ANY must have the lowest priority per storage class")
        #expect(
            Self.refusal(Self.policy(Self.rule(1, #""tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1"#)))?.reason
                == "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.")
        #expect(
            Self.refusal(Self.policy(Self.rule(
                1, #""tagStatus":"tagged","tagPatternList":["*a*b*c*d*e"],"countType":"imageCountMoreThan","countNumber":1"#)))?.reason
                == "Tag patterns may contain at most 4 wildcards.")
        #expect(Self.refusal(Self.policy(Self.rule(1, untagged), Self.rule(2, any))) == nil)
    }
}
