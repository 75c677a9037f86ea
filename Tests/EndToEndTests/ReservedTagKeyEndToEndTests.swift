import Foundation
import JSON
import Testing

/// Tag keys beginning with `aws:` (in any case) are AWS's own: every IAM
/// taggable kind and ECR repositories refuse them on create and on tag,
/// before anything is written.
@Suite("Reserved aws: tag keys, end to end")
struct ReservedTagKeyEndToEndTests {
    static let iamMessage = "Tag keys cannot begin with aws:. This tag prefix is reserved for AWS internal use."

    /// One IAM taggable kind, driven by the CLI.
    struct Kind {
        var name: String
        /// Creates the named entity with `--tags …` appended.
        var create: (String) -> [String]
        /// The option and value that name the entity to the tag operations.
        var identify: (String) -> [String]
        var tag: String
        var untag: String
        var listTags: String
        /// Reads the entity: NoSuchEntity when it is absent.
        var get: (String) -> [String]
    }

    static func kinds(_ directory: URL) throws -> [Kind] {
        let pair = try IAMTestMaterial.certificate(in: directory, name: "web")
        let metadataFile = directory.appendingPathComponent("metadata.xml")
        try IAMTestMaterial.samlMetadata(in: directory).write(to: metadataFile, atomically: true, encoding: .utf8)
        let metadata = "file://" + metadataFile.path
        let policyArn = { (name: String) in "arn:aws:iam::\(account):policy/\(name)" }
        let oidcArn = { (name: String) in "arn:aws:iam::\(account):oidc-provider/\(name).example.com" }
        let samlArn = { (name: String) in "arn:aws:iam::\(account):saml-provider/\(name)" }
        let serial = { (name: String) in "arn:aws:iam::\(account):mfa/\(name)" }
        return [
            Kind(
                name: "user", create: { ["iam", "create-user", "--user-name", $0] }, identify: { ["--user-name", $0] },
                tag: "tag-user", untag: "untag-user", listTags: "list-user-tags", get: { ["iam", "get-user", "--user-name", $0] }),
            Kind(
                name: "role", create: { ["iam", "create-role", "--role-name", $0, "--assume-role-policy-document", Doc.ec2Trust] },
                identify: { ["--role-name", $0] }, tag: "tag-role", untag: "untag-role", listTags: "list-role-tags",
                get: { ["iam", "get-role", "--role-name", $0] }),
            Kind(
                name: "policy", create: { ["iam", "create-policy", "--policy-name", $0, "--policy-document", Doc.allow()] },
                identify: { ["--policy-arn", policyArn($0)] }, tag: "tag-policy", untag: "untag-policy", listTags: "list-policy-tags",
                get: { ["iam", "get-policy", "--policy-arn", policyArn($0)] }),
            Kind(
                name: "instance profile", create: { ["iam", "create-instance-profile", "--instance-profile-name", $0] },
                identify: { ["--instance-profile-name", $0] }, tag: "tag-instance-profile", untag: "untag-instance-profile",
                listTags: "list-instance-profile-tags", get: { ["iam", "get-instance-profile", "--instance-profile-name", $0] }),
            Kind(
                name: "OIDC provider", create: { ["iam", "create-open-id-connect-provider", "--url", "https://\($0).example.com"] },
                identify: { ["--open-id-connect-provider-arn", oidcArn($0)] }, tag: "tag-open-id-connect-provider",
                untag: "untag-open-id-connect-provider", listTags: "list-open-id-connect-provider-tags",
                get: { ["iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", oidcArn($0)] }),
            Kind(
                name: "SAML provider", create: { ["iam", "create-saml-provider", "--name", $0, "--saml-metadata-document", metadata] },
                identify: { ["--saml-provider-arn", samlArn($0)] }, tag: "tag-saml-provider", untag: "untag-saml-provider",
                listTags: "list-saml-provider-tags", get: { ["iam", "get-saml-provider", "--saml-provider-arn", samlArn($0)] }),
            Kind(
                name: "server certificate",
                create: {
                    [
                        "iam", "upload-server-certificate", "--server-certificate-name", $0, "--certificate-body",
                        "file://" + pair.certificate.path, "--private-key", "file://" + pair.key.path,
                    ]
                },
                identify: { ["--server-certificate-name", $0] }, tag: "tag-server-certificate", untag: "untag-server-certificate",
                listTags: "list-server-certificate-tags", get: { ["iam", "get-server-certificate", "--server-certificate-name", $0] }),
            Kind(
                name: "MFA device",
                create: {
                    [
                        "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", $0, "--outfile",
                        directory.appendingPathComponent("\($0).seed").path, "--bootstrap-method", "Base32StringSeed",
                    ]
                },
                identify: { ["--serial-number", serial($0)] }, tag: "tag-mfa-device", untag: "untag-mfa-device",
                listTags: "list-mfa-device-tags", get: { ["iam", "list-mfa-device-tags", "--serial-number", serial($0)] }),
        ]
    }

    func expectReservedRefusal(_ result: GatehouseProcess.Result, _ what: String) {
        #expect(result.errorCode == "InvalidInput", "\(what): \(result.stderr)")
        #expect(result.errorMessage == Self.iamMessage, "\(what): \(result.stderr)")
    }

    @Test("every IAM taggable kind refuses an aws: key (any case) with InvalidInput on create and on tag, and nothing changes")
    func iam() throws {
        let server = try GatehouseProcess()
        let directory = try IAMTestMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for kind in try Self.kinds(directory) {
            let refusedName = "refused\(kind.name.filter(\.isLetter).lowercased())"
            let keptName = "kept\(kind.name.filter(\.isLetter).lowercased())"
            // Create with an aws: key: refused, and the entity does not exist.
            let created = try server.aws(kind.create(refusedName) + ["--tags", "Key=team,Value=blue", "Key=aws:team,Value=x"])
            expectReservedRefusal(created, "create \(kind.name)")
            #expect(try server.aws(kind.get(refusedName)).errorCode == "NoSuchEntity", "\(kind.name)")

            // Tag with aws:, AWS: or Aws:, alone or beside a good tag: refused, tags as they were.
            let kept = try server.aws(kind.create(keptName) + ["--tags", "Key=team,Value=blue"])
            #expect(kept.succeeded, "\(kind.name): \(kept.stderr)")
            let before = try server.aws(["iam", kind.listTags] + kind.identify(keptName)).json?["Tags"]
            #expect(before == json(#"[{"Key":"team","Value":"blue"}]"#), "\(kind.name)")
            for tags in [["Key=aws:team,Value=x"], ["Key=AWS:Team,Value=x"], ["Key=other,Value=y", "Key=Aws:cost,Value=z"]] {
                let tagged = try server.aws(["iam", kind.tag] + kind.identify(keptName) + ["--tags"] + tags)
                expectReservedRefusal(tagged, "\(kind.tag) \(tags)")
                #expect(try server.aws(["iam", kind.listTags] + kind.identify(keptName)).json?["Tags"] == before, "\(kind.name)")
            }
            // A key only looking like the prefix is fine.
            #expect(try server.aws(["iam", kind.tag] + kind.identify(keptName) + ["--tags", "Key=awsteam,Value=x"]).succeeded, "\(kind.name)")
            #expect(try server.aws(["iam", kind.untag] + kind.identify(keptName) + ["--tag-keys", "awsteam"]).succeeded, "\(kind.name)")
            // Untagging an aws: key is not refused (INFERRED): it removes nothing.
            let untagged = try server.aws(["iam", kind.untag] + kind.identify(keptName) + ["--tag-keys", "aws:team"])
            #expect(untagged.succeeded, "\(kind.untag): \(untagged.stderr)")
            #expect(try server.aws(["iam", kind.listTags] + kind.identify(keptName)).json?["Tags"] == before, "\(kind.name)")
        }
        // The wire answer is a 400.
        let raw = try server.iam("TagUser", ["UserName": "keptuser", "Tags.member.1.Key": "aws:team", "Tags.member.1.Value": "x"])
        #expect(raw.status == 400, "\(raw)")
        #expect(raw.errorCode == "InvalidInput")
    }

    @Test("ECR refuses an aws: key (any case) with InvalidTagParameterException on CreateRepository and TagResource, and nothing changes")
    func ecr() throws {
        let server = try GatehouseProcess()
        let refused = try server.aws(["ecr", "create-repository", "--repository-name", "refused", "--tags", "Key=team,Value=blue", "Key=aws:team,Value=x"])
        #expect(refused.errorCode == "InvalidTagParameterException", "\(refused.stderr)")
        #expect(refused.errorMessage == "Tag parameters are invalid", "\(refused.stderr)")
        #expect(try server.aws(["ecr", "describe-repositories", "--repository-names", "refused"]).errorCode == "RepositoryNotFoundException")

        let created = try server.aws(["ecr", "create-repository", "--repository-name", "kept", "--tags", "Key=team,Value=blue"])
        let arn = try #require(created.json?["repository"]?["repositoryArn"]?.stringValue, "\(created.stderr)")
        let before = try server.aws(["ecr", "list-tags-for-resource", "--resource-arn", arn]).json?["tags"]
        #expect(before == json(#"[{"Key":"team","Value":"blue"}]"#))
        for tags in [["Key=aws:team,Value=x"], ["Key=AWS:Team,Value=x"], ["Key=other,Value=y", "Key=Aws:cost,Value=z"]] {
            let tagged = try server.aws(["ecr", "tag-resource", "--resource-arn", arn, "--tags"] + tags)
            #expect(tagged.errorCode == "InvalidTagParameterException", "\(tags): \(tagged.stderr)")
            #expect(tagged.errorMessage == "Tag parameters are invalid", "\(tags): \(tagged.stderr)")
            #expect(try server.aws(["ecr", "list-tags-for-resource", "--resource-arn", arn]).json?["tags"] == before)
        }
        #expect(try server.aws(["ecr", "untag-resource", "--resource-arn", arn, "--tag-keys", "aws:team"]).succeeded)
        #expect(try server.aws(["ecr", "list-tags-for-resource", "--resource-arn", arn]).json?["tags"] == before)
    }
}
