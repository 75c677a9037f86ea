import GatehouseTesting
import JSON
import Testing

/// Repositories, their policies and tags, dispatched in process through the
/// real service and authorizer (GatehouseTesting).
@Suite("ECR repositories, in process")
struct ECRRepositoryTests {
    typealias W = ECRWorld

    /// Transactions `body` ran, counted by the store.
    static func transactions(in world: TestWorld, _ body: () async throws -> Void) async throws -> UInt64 {
        let before = world.store.transactionCount
        try await body()
        return world.store.transactionCount - before
    }

    @Test("a created repository is described; the same name again is RepositoryAlreadyExistsException (400); a missing one is named")
    func createAndDescribe() async throws {
        let world = try TestWorld()
        let created = try await world.ecr("CreateRepository", W.body(["repositoryName": "app", "imageTagMutability": "IMMUTABLE"]))
        #expect(created.status == 200, "\(created)")
        #expect(created.json?["repository"]?["repositoryArn"]?.stringValue == W.arn("app"))
        #expect(created.json?["repository"]?["repositoryUri"]?.stringValue == "127.0.0.1:4566/app")

        let again = try await world.ecr("CreateRepository", W.body(["repositoryName": "app"]))
        #expect(again.status == 400)
        #expect(again.errorCode == "RepositoryAlreadyExistsException")
        #expect(again.errorMessage == "The repository with name 'app' already exists in the registry with id '000000000000'")

        let described = try await world.ecr("DescribeRepositories", W.body(["repositoryNames": ["app"]]))
        #expect(described.json?["repositories"]?.arrayValue?.first?["imageTagMutability"]?.stringValue == "IMMUTABLE")
        let missing = try await world.ecr("DescribeRepositories", W.body(["repositoryNames": ["app", "nope"]]))
        #expect(missing.errorCode == "RepositoryNotFoundException")
        #expect(missing.errorMessage == "The repository with name 'nope' does not exist in the registry with id '000000000000'")
    }

    @Test("an unknown enum value lists the allowed values in ECR's order (a Java HashSet's), not the model's, and creates nothing")
    func enumValueOrder() async throws {
        let world = try TestWorld()
        let mutability = try await world.ecr("CreateRepository", W.body(["repositoryName": "app", "imageTagMutability": "SOMETIMES"]))
        #expect(mutability.status == 400)
        #expect(mutability.errorCode == "InvalidParameterException")
        #expect(mutability.errorMessage == "Invalid parameter at 'imageTagMutability' failed to satisfy constraint: "
            + "'Member must satisfy enum value set: [IMMUTABLE, MUTABLE, MUTABLE_WITH_EXCLUSION, IMMUTABLE_WITH_EXCLUSION]'")
        let encryption = try await world.ecr("CreateRepository", W.body([
            "repositoryName": "app", "encryptionConfiguration": ["encryptionType": "RSA"],
        ]))
        #expect(encryption.errorMessage == "Invalid parameter at 'encryptionConfiguration.encryptionType' failed to satisfy constraint: "
            + "'Member must satisfy enum value set: [KMS, AES256, KMS_DSSE]'")
        let described = try await world.ecr("DescribeRepositories")
        #expect(described.json?["repositories"] == .array([]), "\(described)")
    }

    @Test("KMS encryption without a key names the AWS managed key by key id, the same key for every repository of the registry")
    func awsManagedKey() async throws {
        let world = try TestWorld()
        var keys: [String] = []
        for (name, type) in [("one", "KMS"), ("two", "KMS"), ("three", "KMS_DSSE")] {
            let created = try await world.ecr("CreateRepository", W.body([
                "repositoryName": name, "encryptionConfiguration": ["encryptionType": type],
            ]))
            let key = try #require(created.json?["repository"]?["encryptionConfiguration"]?["kmsKey"]?.stringValue, "\(created)")
            keys.append(key)
        }
        #expect(keys[0].wholeMatch(of: /arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil,
            "\(keys[0])")
        #expect(Set(keys).count == 1, "\(keys)")
        let own = "arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555"
        let chosen = try await world.ecr("CreateRepository", W.body([
            "repositoryName": "mine", "encryptionConfiguration": ["encryptionType": "KMS", "kmsKey": own],
        ]))
        #expect(chosen.json?["repository"]?["encryptionConfiguration"]?["kmsKey"]?.stringValue == own)
        let plain = try await world.ecr("CreateRepository", W.body(["repositoryName": "plain"]))
        #expect(plain.json?["repository"]?["encryptionConfiguration"]?["encryptionType"]?.stringValue == "AES256", "\(plain)")
        #expect(plain.json?["repository"]?["encryptionConfiguration"]?["kmsKey"] == nil, "\(plain)")
    }

    @Test("repository and registry policies may repeat a Sid (ECR accepts it); an IAM identity policy may not")
    func repeatedSid() async throws {
        let world = try TestWorld()
        try await W.createRepository("app", in: world)
        let statement = #"{"Sid":"Same","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"ecr:BatchGetImage"}"#
        let twice = #"{"Version":"2012-10-17","Statement":[\#(statement),\#(statement)]}"#
        let set = try await world.ecr("SetRepositoryPolicy", W.body(["repositoryName": "app", "policyText": twice]))
        #expect(set.status == 200, "\(set)")
        let registry = twice.replacingOccurrences(of: "ecr:BatchGetImage", with: "ecr:ReplicateImage")
            .replacingOccurrences(of: #""Action""#, with: #""Resource":"*","Action""#)
        let put = try await world.ecr("PutRegistryPolicy", W.body(["policyText": registry]))
        #expect(put.status == 200, "\(put)")
        let identity = #"{"Version":"2012-10-17","Statement":[{"Sid":"Same","Effect":"Allow","Action":"ecr:*","Resource":"*"},{"Sid":"Same","Effect":"Allow","Action":"ecr:*","Resource":"*"}]}"#
        let iam = try await world.iam("CreatePolicy", ["PolicyName": "twice", "PolicyDocument": identity])
        #expect(iam.errorCode == "MalformedPolicyDocument", "\(iam)")
        #expect(iam.errorMessage == "Statement IDs (SID) in a single policy must be unique.")
    }

    @Test("a caller without permissions is refused with ECR's AccessDeniedException (400), before any not-found, and nothing changes")
    func refusedChangesNothing() async throws {
        let world = try TestWorld()
        let dev = try await W.user("dev", in: world)
        try await W.createRepository("app", in: world)

        let refused = try await world.ecr("CreateRepository", W.body(["repositoryName": "web"]), as: dev)
        #expect(refused.status == 400)
        #expect(refused.errorCode == "AccessDeniedException")
        #expect(refused.errorMessage
            == "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: ecr:CreateRepository on resource: \(W.arn("web")) because no identity-based policy allows the ecr:CreateRepository action")
        #expect(try await world.ecr("DeleteRepository", W.body(["repositoryName": "app"]), as: dev).errorCode == "AccessDeniedException")
        #expect(try await world.ecr("PutLifecyclePolicy", W.body([
            "repositoryName": "app", "lifecyclePolicyText": #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#,
        ]), as: dev).errorCode == "AccessDeniedException")
        #expect(try await world.ecr("GetRepositoryPolicy", W.body(["repositoryName": "nope"]), as: dev).errorCode == "AccessDeniedException")

        let listed = try await world.ecr("DescribeRepositories")
        #expect(listed.strings("repositories", "repositoryName") == ["app"])
        #expect(try await world.ecr("GetLifecyclePolicy", W.body(["repositoryName": "app"])).errorCode == "LifecyclePolicyNotFoundException")
    }

    @Test("a policy given to the caller applies to its next request, and so does its removal")
    func identityPolicyApplies() async throws {
        let world = try TestWorld()
        let dev = try await W.user("dev", in: world)
        try await W.createRepository("app", in: world)
        #expect(try await world.ecr("DescribeRepositories", as: dev).errorCode == "AccessDeniedException")
        try await W.allow("dev", ["ecr:DescribeRepositories"], in: world)
        #expect(try await world.ecr("DescribeRepositories", as: dev).strings("repositories", "repositoryName") == ["app"])
        #expect(try await world.iam("DeleteUserPolicy", ["UserName": "dev", "PolicyName": "ecr"]).status == 200)
        #expect(try await world.ecr("DescribeRepositories", as: dev).errorCode == "AccessDeniedException")
    }

    @Test("a repository policy grants on the very next request and stops granting once deleted, on every path to the repository")
    func repositoryPolicyApplies() async throws {
        let world = try TestWorld()
        let dev = try await W.user("dev", in: world)
        try await W.createRepository("app", in: world)
        let listImages = W.body(["repositoryName": "app"])
        #expect(try await world.ecr("ListImages", listImages, as: dev).errorCode == "AccessDeniedException")
        #expect(try await world.ecr("InitiateLayerUpload", listImages, as: dev).errorCode == "AccessDeniedException")

        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/dev"},"Action":["ecr:ListImages","ecr:InitiateLayerUpload"]}]}"#
        let set = try await world.ecr("SetRepositoryPolicy", W.body(["repositoryName": "app", "policyText": policy]))
        #expect(set.status == 200, "\(set)")
        #expect(try await world.ecr("ListImages", listImages, as: dev).status == 200)
        // InitiateLayerUpload is authorized outside its transactions, from the authorizer's cached facts.
        #expect(try await world.ecr("InitiateLayerUpload", listImages, as: dev).status == 200)

        #expect(try await world.ecr("DeleteRepositoryPolicy", W.body(["repositoryName": "app"])).json?["policyText"]?.stringValue == policy)
        #expect(try await world.ecr("ListImages", listImages, as: dev).errorCode == "AccessDeniedException")
        #expect(try await world.ecr("InitiateLayerUpload", listImages, as: dev).errorCode == "AccessDeniedException")
        let gone = try await world.ecr("GetRepositoryPolicy", W.body(["repositoryName": "app"]))
        #expect(gone.errorCode == "RepositoryPolicyNotFoundException")
        #expect(gone.errorMessage == "Repository policy does not exist for the repository with name 'app' in the registry with id '000000000000'")
    }

    @Test("a tag on the repository is a condition key of the very next request (aws:ResourceTag), and its removal too")
    func resourceTagIsCurrent() async throws {
        let world = try TestWorld()
        let dev = try await W.user("dev", in: world)
        try await W.createRepository("app", in: world)
        try await W.allow(
            "dev", ["ecr:ListImages", "ecr:InitiateLayerUpload"], condition: #"{"StringEquals":{"aws:ResourceTag/team":"a"}}"#, in: world)
        let app = W.body(["repositoryName": "app"])
        #expect(try await world.ecr("ListImages", app, as: dev).errorCode == "AccessDeniedException")
        #expect(try await world.ecr("InitiateLayerUpload", app, as: dev).errorCode == "AccessDeniedException")

        let tagged = try await world.ecr("TagResource", W.body(["resourceArn": W.arn("app"), "tags": [["Key": "team", "Value": "a"]]]))
        #expect(tagged.status == 200, "\(tagged)")
        #expect(try await world.ecr("ListImages", app, as: dev).status == 200)
        #expect(try await world.ecr("InitiateLayerUpload", app, as: dev).status == 200)

        let listed = try await world.ecr("ListTagsForResource", W.body(["resourceArn": W.arn("app")]))
        #expect(listed.strings("tags", "Key") == ["team"])
        #expect(try await world.ecr("UntagResource", W.body(["resourceArn": W.arn("app"), "tagKeys": ["team"]])).status == 200)
        #expect(try await world.ecr("ListImages", app, as: dev).errorCode == "AccessDeniedException")
        #expect(try await world.ecr("InitiateLayerUpload", app, as: dev).errorCode == "AccessDeniedException")
    }

    @Test("tagging names the repository by ARN: a malformed one is InvalidParameterException, a missing one RepositoryNotFoundException")
    func taggingByArn() async throws {
        let world = try TestWorld()
        let malformed = try await world.ecr("ListTagsForResource", W.body(["resourceArn": "arn:aws:iam::000000000000:user/dev"]))
        #expect(malformed.errorCode == "InvalidParameterException")
        #expect(malformed.errorMessage == "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'")
        let missing = try await world.ecr("TagResource", W.body(["resourceArn": W.arn("nope"), "tags": [["Key": "a", "Value": "b"]]]))
        #expect(missing.errorCode == "RepositoryNotFoundException")
        #expect(missing.errorMessage == "The repository with name 'nope' does not exist in the registry with id '000000000000'")
    }

    @Test("DescribeRepositories pages by name with nextToken; a repository deleted meanwhile shifts no page; a forged token is refused")
    func describeRepositoriesPages() async throws {
        let world = try TestWorld()
        for name in ["ee", "aa", "cc", "bb", "dd"] { try await W.createRepository(name, in: world) }
        let first = try await world.ecr("DescribeRepositories", W.body(["maxResults": 2]))
        #expect(first.strings("repositories", "repositoryName") == ["aa", "bb"])
        let token = try #require(first.json?["nextToken"]?.stringValue)
        #expect(try await world.ecr("DeleteRepository", W.body(["repositoryName": "bb"])).status == 200)
        let second = try await world.ecr("DescribeRepositories", W.body(["maxResults": 2, "nextToken": token]))
        #expect(second.strings("repositories", "repositoryName") == ["cc", "dd"])
        let third = try await world.ecr(
            "DescribeRepositories", W.body(["maxResults": 2, "nextToken": try #require(second.json?["nextToken"]?.stringValue)]))
        #expect(third.strings("repositories", "repositoryName") == ["ee"])
        #expect(third.json?["nextToken"] == nil)

        #expect(try await world.ecr("DescribeRepositories").strings("repositories", "repositoryName") == ["aa", "cc", "dd", "ee"])
        let forged = try await world.ecr("DescribeRepositories", W.body(["nextToken": "%%%"]))
        #expect(forged.errorCode == "InvalidParameterException", "\(forged)")
        #expect(forged.errorMessage == "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'")
    }

    @Test("a warm request by an IAM user on a repository is one transaction: loaded, authorized and answered from the same read")
    func oneTransaction() async throws {
        let world = try TestWorld()
        let dev = try await W.user("dev", in: world)
        try await W.createRepository("app", in: world)
        try await W.allow("dev", ["ecr:DescribeImages"], in: world)
        let app = W.body(["repositoryName": "app"])
        #expect(try await world.ecr("DescribeImages", app, as: dev).status == 200)
        let count = try await Self.transactions(in: world) { () async throws in
            #expect(try await world.ecr("DescribeImages", app, as: dev).status == 200)
        }
        #expect(count == 1)
    }

    @Test("a repository with images is deleted only with force; its images and tags go with it")
    func deleteRepository() async throws {
        let world = try TestWorld()
        try await W.createRepository("app", in: world)
        try await W.Pusher(world, repository: "app").push("one", tag: "v1")
        #expect(try await world.ecr("TagResource", W.body(["resourceArn": W.arn("app"), "tags": [["Key": "k", "Value": "v"]]])).status == 200)
        let refused = try await world.ecr("DeleteRepository", W.body(["repositoryName": "app"]))
        #expect(refused.errorCode == "RepositoryNotEmptyException")
        #expect(refused.errorMessage
            == "The repository with name 'app' in registry with id '000000000000' cannot be deleted because it still contains images")
        let deleted = try await world.ecr("DeleteRepository", W.body(["repositoryName": "app", "force": true]))
        #expect(deleted.json?["repository"]?["repositoryName"]?.stringValue == "app", "\(deleted)")

        try await W.createRepository("app", in: world)
        #expect(try await world.ecr("ListImages", W.body(["repositoryName": "app"])).strings("imageIds", "imageDigest").isEmpty)
        #expect(try await world.ecr("ListTagsForResource", W.body(["resourceArn": W.arn("app")])).json?["tags"] == .array([]))
    }
}
