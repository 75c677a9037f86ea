import GatehouseTesting
import JSON
import Testing

/// Lifecycle policies and the registry's own configuration (policy,
/// replication, account settings, pull-through cache rules, creation
/// templates, signing, pull-time exclusions), in process.
@Suite("ECR registry configuration, in process")
struct ECRRegistryConfigurationTests {
    typealias W = ECRWorld

    static let keepOneUntagged = #"{"rules":[{"rulePriority":1,"description":"keep one untagged image","selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#

    @Test("put, get and delete a lifecycle policy; a malformed one is refused with ECR's schema message; each not-found")
    func lifecyclePolicy() async throws {
        let world = try TestWorld()
        try await W.createRepository("app", in: world)
        let app = W.body(["repositoryName": "app"])

        let missing = try await world.ecr("GetLifecyclePolicy", app)
        #expect(missing.errorCode == "LifecyclePolicyNotFoundException")
        #expect(missing.errorMessage == "Lifecycle policy does not exist for the repository with name 'app' in the registry with id '000000000000'")

        let malformed = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countUnit":"days","countNumber":3},"action":{"type":"expire"}}]}"#
        let refused = try await world.ecr("PutLifecyclePolicy", W.body(["repositoryName": "app", "lifecyclePolicyText": malformed]))
        #expect(refused.errorCode == "InvalidParameterException")
        #expect(refused.errorMessage?.hasPrefix(
            "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: instance failed to match exactly one schema (matched 0 out of 2)") == true,
            "\(refused)")
        #expect(try await world.ecr("GetLifecyclePolicy", app).errorCode == "LifecyclePolicyNotFoundException")

        let put = try await world.ecr("PutLifecyclePolicy", W.body(["repositoryName": "app", "lifecyclePolicyText": Self.keepOneUntagged]))
        #expect(put.json?["lifecyclePolicyText"]?.stringValue == Self.keepOneUntagged, "\(put)")
        #expect(put.json?["registryId"]?.stringValue == "000000000000")
        #expect(try await world.ecr("GetLifecyclePolicy", app).json?["lifecyclePolicyText"]?.stringValue == Self.keepOneUntagged)
        #expect(try await world.ecr("DeleteLifecyclePolicy", app).json?["lifecyclePolicyText"]?.stringValue == Self.keepOneUntagged)
        #expect(try await world.ecr("DeleteLifecyclePolicy", app).errorCode == "LifecyclePolicyNotFoundException")

        #expect(try await world.ecr("GetLifecyclePolicy", W.body(["repositoryName": "nope"])).errorCode == "RepositoryNotFoundException")
    }

    @Test("registry policy: put, get, delete; an invalid one is refused; not found when absent")
    func registryPolicy() async throws {
        let world = try TestWorld()
        let missing = try await world.ecr("GetRegistryPolicy")
        #expect(missing.errorCode == "RegistryPolicyNotFoundException")
        #expect(missing.errorMessage == "Registry policy does not exist in the registry with id '000000000000'")

        let invalid = try await world.ecr("PutRegistryPolicy", W.body(["policyText": #"{"Statement":"nope"}"#]))
        #expect(invalid.errorCode == "InvalidParameterException")
        #expect(invalid.errorMessage == "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'")

        let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"replicate","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:000000000000:repository/*"}]}"#
        let put = try await world.ecr("PutRegistryPolicy", W.body(["policyText": policy]))
        #expect(put.json?["registryId"]?.stringValue == "000000000000", "\(put)")
        #expect(try await world.ecr("GetRegistryPolicy").json?["policyText"]?.stringValue == policy)
        #expect(try await world.ecr("DeleteRegistryPolicy").json?["policyText"]?.stringValue == policy)
        #expect(try await world.ecr("DeleteRegistryPolicy").errorCode == "RegistryPolicyNotFoundException")
    }

    @Test("registry description, replication, account settings")
    func registrySettings() async throws {
        let world = try TestWorld()
        let registry = try await world.ecr("DescribeRegistry")
        #expect(registry.json?["registryId"]?.stringValue == "000000000000", "\(registry)")
        #expect(registry.json?["replicationConfiguration"]?["rules"] == .array([]))

        let configuration: [String: Any] = ["rules": [["destinations": [["region": "eu-west-1", "registryId": "000000000000"]]]]]
        #expect(try await world.ecr("PutReplicationConfiguration", W.body(["replicationConfiguration": configuration])).status == 200)
        let described = try await world.ecr("DescribeRegistry")
        #expect(described.json?["replicationConfiguration"]?["rules"]?.arrayValue?.first?["destinations"]?.arrayValue?.first?["region"]?.stringValue
            == "eu-west-1")
        let toItself: [String: Any] = ["rules": [["destinations": [["region": "us-east-1", "registryId": "000000000000"]]]]]
        let refused = try await world.ecr("PutReplicationConfiguration", W.body(["replicationConfiguration": toItself]))
        #expect(refused.errorCode == "InvalidParameterException")
        #expect(refused.errorMessage
            == "Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: 'Replication destination cannot be the same as the source registry and region'")

        let setting = try await world.ecr("GetAccountSetting", W.body(["name": "BASIC_SCAN_TYPE_VERSION"]))
        #expect(setting.json?["value"]?.stringValue == "AWS_NATIVE", "\(setting)")
        #expect(try await world.ecr("PutAccountSetting", W.body(["name": "BASIC_SCAN_TYPE_VERSION", "value": "CLAIR"])).json?["value"]?.stringValue
            == "CLAIR")
        #expect(try await world.ecr("GetAccountSetting", W.body(["name": "BASIC_SCAN_TYPE_VERSION"])).json?["value"]?.stringValue == "CLAIR")
        let wrong = try await world.ecr("PutAccountSetting", W.body(["name": "BASIC_SCAN_TYPE_VERSION", "value": "V2"]))
        #expect(wrong.errorCode == "InvalidParameterException")
        #expect(wrong.errorMessage == "Invalid parameter at 'value' failed to satisfy constraint: 'Member must satisfy enum value set: [CLAIR, AWS_NATIVE]'")
    }

    @Test("the registry policy grants another account what it names (scope V2, the default), and no longer with scope V1")
    func registryPolicyGrants() async throws {
        let world = try TestWorld()
        try world.addAccount("111111111111", rootKey: "other")
        try await W.createRepository("app", in: world)
        let pusher = try await W.Pusher(world, repository: "app")
        let digest = try await pusher.push("one", tag: "v1")
        let pull = W.body(["registryId": "000000000000", "repositoryName": "app", "imageIds": [["imageTag": "v1"]]])
        let refused = try await world.ecr("BatchGetImage", pull, as: "other")
        #expect(refused.errorCode == "AccessDeniedException", "\(refused)")

        let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:BatchGetImage"],"Resource":"arn:aws:ecr:us-east-1:000000000000:repository/*"}]}"#
        #expect(try await world.ecr("PutRegistryPolicy", W.body(["policyText": policy])).status == 200)
        let allowed = try await world.ecr("BatchGetImage", pull, as: "other")
        #expect(allowed.json?["images"]?.arrayValue?.first?["imageId"]?["imageDigest"]?.stringValue == digest, "\(allowed)")
        // Only what it names: listing is still refused.
        let list = try await world.ecr("ListImages", W.body(["registryId": "000000000000", "repositoryName": "app"]), as: "other")
        #expect(list.errorCode == "AccessDeniedException", "\(list)")

        // A repository policy's Deny still wins over the registry policy's Allow.
        let deny = #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:BatchGetImage"}]}"#
        #expect(try await world.ecr("SetRepositoryPolicy", W.body(["repositoryName": "app", "policyText": deny, "force": true])).status == 200)
        #expect(try await world.ecr("BatchGetImage", pull, as: "other").errorCode == "AccessDeniedException")
        #expect(try await world.ecr("DeleteRepositoryPolicy", W.body(["repositoryName": "app"])).status == 200)
        #expect(try await world.ecr("BatchGetImage", pull, as: "other").status == 200)

        #expect(try await world.ecr("PutAccountSetting", W.body(["name": "REGISTRY_POLICY_SCOPE", "value": "V1"])).status == 200)
        #expect(try await world.ecr("BatchGetImage", pull, as: "other").errorCode == "AccessDeniedException")
    }

    @Test("a replication rule copies each image pushed to a matching repository to the destination region, creating the repository there")
    func replicationAcrossRegions() async throws {
        let world = try TestWorld()
        let configuration: [String: Any] = ["rules": [[
            "destinations": [["region": "us-west-2", "registryId": "000000000000"]],
            "repositoryFilters": [["filter": "team-", "filterType": "PREFIX_MATCH"]],
        ]]]
        #expect(try await world.ecr("PutReplicationConfiguration", W.body(["replicationConfiguration": configuration])).status == 200)
        for name in ["team-app", "other"] { try await W.createRepository(name, in: world) }
        let digest = try await W.Pusher(world, repository: "team-app").push("one", tag: "v1")
        let status = try await world.ecr("DescribeImageReplicationStatus", W.body(["repositoryName": "team-app", "imageId": ["imageTag": "v1"]]))
        let statuses = status.json?["replicationStatuses"]?.arrayValue ?? []
        #expect(statuses.count == 1, "\(status)")
        #expect(statuses.first?["region"]?.stringValue == "us-west-2")
        #expect(statuses.first?["registryId"]?.stringValue == "000000000000")
        #expect(statuses.first?["status"]?.stringValue == "COMPLETE")
        #expect(statuses.first?["failureCode"] == nil)

        let there = try await world.ecr(
            "BatchGetImage", W.body(["repositoryName": "team-app", "imageIds": [["imageTag": "v1"]]]), region: "us-west-2")
        #expect(there.json?["images"]?.arrayValue?.first?["imageId"]?["imageDigest"]?.stringValue == digest, "\(there)")
        let layers = try await world.ecr("BatchCheckLayerAvailability", W.body([
            "repositoryName": "team-app", "layerDigests": [try #require(Self.layerDigest(there))],
        ]), region: "us-west-2")
        #expect(layers.json?["layers"]?.arrayValue?.first?["layerAvailability"]?.stringValue == "AVAILABLE", "\(layers)")

        // A repository no rule matches is not replicated, and has no statuses.
        let other = try await W.Pusher(world, repository: "other").push("two", tag: "v1")
        let none = try await world.ecr("DescribeImageReplicationStatus", W.body(["repositoryName": "other", "imageId": ["imageDigest": other]]))
        #expect(none.json?["replicationStatuses"] == .array([]), "\(none)")
        let missing = try await world.ecr("DescribeRepositories", W.body(["repositoryNames": ["other"]]), region: "us-west-2")
        #expect(missing.errorCode == "RepositoryNotFoundException")
    }

    /// The layer a BatchGetImage answer's first manifest names.
    static func layerDigest(_ answer: TestWorld.Answer) -> String? {
        guard let text = answer.json?["images"]?.arrayValue?.first?["imageManifest"]?.stringValue,
            let manifest = try? JSONParser.parse(text)
        else { return nil }
        return manifest["layers"]?.arrayValue?.first?["digest"]?.stringValue
    }

    @Test("replicating to another account needs its registry policy: ecr:ReplicateImage, and ecr:CreateRepository for a new repository")
    func replicationAcrossAccounts() async throws {
        let world = try TestWorld()
        try world.addAccount("111111111111", rootKey: "other")
        let configuration: [String: Any] = ["rules": [["destinations": [["region": "us-east-1", "registryId": "111111111111"]]]]]
        #expect(try await world.ecr("PutReplicationConfiguration", W.body(["replicationConfiguration": configuration])).status == 200)
        try await W.createRepository("app", in: world)
        let pusher = try await W.Pusher(world, repository: "app")
        func status(_ digest: String) async throws -> (String?, String?) {
            let answer = try await world.ecr("DescribeImageReplicationStatus", W.body(["repositoryName": "app", "imageId": ["imageDigest": digest]]))
            let first = answer.json?["replicationStatuses"]?.arrayValue?.first
            return (first?["status"]?.stringValue, first?["failureCode"]?.stringValue)
        }
        let first = try await pusher.push("one", tag: "v1")
        #expect(try await status(first) == ("FAILED", "REPLICATION_ACCESS_DENIED"))
        #expect(try await world.ecr("DescribeRepositories", as: "other").json?["repositories"] == .array([]))

        func allow(_ actions: [String]) async throws {
            let list = actions.map { "\"ecr:\($0)\"" }.joined(separator: ",")
            let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":[\#(list)],"Resource":"arn:aws:ecr:us-east-1:111111111111:repository/*"}]}"#
            #expect(try await world.ecr("PutRegistryPolicy", W.body(["policyText": policy]), as: "other").status == 200)
        }
        try await allow(["ReplicateImage"])
        let second = try await pusher.push("two", tag: "v2")
        #expect(try await status(second) == ("FAILED", "REPOSITORY_NOT_FOUND"))

        try await allow(["ReplicateImage", "CreateRepository"])
        let third = try await pusher.push("three", tag: "v3")
        #expect(try await status(third) == ("COMPLETE", nil))
        let listed = try await world.ecr("ListImages", W.body(["repositoryName": "app"]), as: "other")
        #expect(listed.strings("imageIds", "imageTag") == ["v3"], "\(listed)")
        #expect(listed.strings("imageIds", "imageDigest") == [third])
    }

    @Test("pull-through cache rules: created, refused twice or for an unknown upstream, described by page and by prefix, deleted")
    func pullThroughCacheRules() async throws {
        let world = try TestWorld()
        let missing = try await world.ecr("DescribePullThroughCacheRules", W.body(["ecrRepositoryPrefixes": ["quay"]]))
        #expect(missing.errorCode == "PullThroughCacheRuleNotFoundException")
        #expect(missing.errorMessage
            == "The pull through cache rule with the ecrRepositoryPrefix 'quay' does not exist in the registry with id '000000000000'")
        for prefix in ["quay", "k8s", "ecr-public"] {
            let url = ["quay": "quay.io", "k8s": "registry.k8s.io", "ecr-public": "public.ecr.aws"][prefix]!
            let created = try await world.ecr("CreatePullThroughCacheRule", W.body(["ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": url]))
            #expect(created.status == 200, "\(created)")
        }
        let again = try await world.ecr("CreatePullThroughCacheRule", W.body(["ecrRepositoryPrefix": "quay", "upstreamRegistryUrl": "quay.io"]))
        #expect(again.errorCode == "PullThroughCacheRuleAlreadyExistsException")
        let unknown = try await world.ecr("CreatePullThroughCacheRule", W.body(["ecrRepositoryPrefix": "hub", "upstreamRegistryUrl": "example.com"]))
        #expect(unknown.errorCode == "UnsupportedUpstreamRegistryException")
        #expect(unknown.errorMessage == "The upstream registry URL 'example.com' is not supported.")

        let first = try await world.ecr("DescribePullThroughCacheRules", W.body(["maxResults": 2]))
        #expect(first.strings("pullThroughCacheRules", "ecrRepositoryPrefix") == ["ecr-public", "k8s"])
        let rest = try await world.ecr(
            "DescribePullThroughCacheRules", W.body(["maxResults": 2, "nextToken": try #require(first.json?["nextToken"]?.stringValue)]))
        #expect(rest.strings("pullThroughCacheRules", "ecrRepositoryPrefix") == ["quay"])
        #expect(rest.json?["nextToken"] == nil)
        let named = try await world.ecr("DescribePullThroughCacheRules", W.body(["ecrRepositoryPrefixes": ["quay", "k8s"]]))
        #expect(named.strings("pullThroughCacheRules", "ecrRepositoryPrefix") == ["k8s", "quay"])

        let validated = try await world.ecr("ValidatePullThroughCacheRule", W.body(["ecrRepositoryPrefix": "quay"]))
        #expect(validated.json?["isValid"] == .bool(false), "\(validated)")
        #expect(try await world.ecr("DeletePullThroughCacheRule", W.body(["ecrRepositoryPrefix": "quay"])).status == 200)
        #expect(try await world.ecr("DeletePullThroughCacheRule", W.body(["ecrRepositoryPrefix": "quay"])).errorCode
            == "PullThroughCacheRuleNotFoundException")
    }

    @Test("creation templates, signing and pull-time exclusions: stored, returned by page, and not found when absent")
    func configurations() async throws {
        let world = try TestWorld()
        let absent = try await world.ecr("DeleteRepositoryCreationTemplate", W.body(["prefix": "team"]))
        #expect(absent.errorCode == "TemplateNotFoundException")
        #expect(absent.errorMessage == "The repository creation template with the prefix 'team' does not exist in the registry with id '000000000000'")
        for prefix in ["team", "apps", "ROOT"] {
            let template = try await world.ecr("CreateRepositoryCreationTemplate", W.body(["prefix": prefix, "appliedFor": ["PULL_THROUGH_CACHE"]]))
            #expect(template.json?["repositoryCreationTemplate"]?["prefix"]?.stringValue == prefix, "\(template)")
        }
        let templates = try await world.ecr("DescribeRepositoryCreationTemplates", W.body(["maxResults": 2]))
        #expect(templates.strings("repositoryCreationTemplates", "prefix") == ["ROOT", "apps"])
        let moreTemplates = try await world.ecr(
            "DescribeRepositoryCreationTemplates", W.body(["maxResults": 2, "nextToken": try #require(templates.json?["nextToken"]?.stringValue)]))
        #expect(moreTemplates.strings("repositoryCreationTemplates", "prefix") == ["team"])
        let named = try await world.ecr("DescribeRepositoryCreationTemplates", W.body(["prefixes": ["team", "nope", "apps", "team"]]))
        #expect(named.strings("repositoryCreationTemplates", "prefix") == ["apps", "team"])

        let signing = try await world.ecr("GetSigningConfiguration")
        #expect(signing.errorCode == "SigningConfigurationNotFoundException")
        #expect(signing.errorMessage == "Signing configuration does not exist in the registry with id '000000000000'")

        let scanner = "arn:aws:iam::000000000000:role/scanner"
        let none = try await world.ecr("DeregisterPullTimeUpdateExclusion", W.body(["principalArn": scanner]))
        #expect(none.errorCode == "ExclusionNotFoundException")
        #expect(none.errorMessage == "The principal '\(scanner)' is not excluded from pull time updates")
        for name in ["scanner", "auditor", "replicator"] {
            let registered = try await world.ecr("RegisterPullTimeUpdateExclusion", W.body(["principalArn": "arn:aws:iam::000000000000:role/\(name)"]))
            #expect(registered.status == 200, "\(registered)")
        }
        let first = try await world.ecr("ListPullTimeUpdateExclusions", W.body(["maxResults": 2]))
        let firstArns = first.json?["pullTimeUpdateExclusions"]?.arrayValue?.compactMap(\.stringValue)
        #expect(firstArns == ["arn:aws:iam::000000000000:role/auditor", "arn:aws:iam::000000000000:role/replicator"])
        let rest = try await world.ecr(
            "ListPullTimeUpdateExclusions", W.body(["maxResults": 2, "nextToken": try #require(first.json?["nextToken"]?.stringValue)]))
        #expect(rest.json?["pullTimeUpdateExclusions"]?.arrayValue?.compactMap(\.stringValue) == [scanner])
    }
}
