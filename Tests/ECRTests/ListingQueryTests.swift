import Foundation
import ServiceKit
@testable import Storage
import Synchronization
import Testing

@testable import ECR

/// The list operations read a page from an index, in the list's order,
/// starting where the last page stopped: what SQLite plans for each query
/// they run, as the database saw it.
@Suite("Listing queries")
struct ListingQueryTests {
    typealias Harness = LayerUploadTests.Harness

    /// The statements a body ran, with their arguments spelled out.
    final class Statements: Sendable {
        private let all = Mutex<[String]>([])
        func append(_ sql: String) { all.withLock { $0.append(sql) } }
        var selects: [String] { all.withLock { $0 }.filter { $0.uppercased().hasPrefix("SELECT") } }
    }

    static func seed(_ store: Store) throws {
        let arn = Harness.arn
        try store.write { db in
            for name in ["b", "c"] {
                try RepositoryRecord(
                    arn: "arn:aws:ecr:us-east-1:000000000000:repository/\(name)", accountId: "000000000000", region: "us-east-1", name: name,
                    createdAt: 0, imageTagMutability: "MUTABLE", mutabilityExclusionFilters: "[]", scanOnPush: false,
                    encryptionType: "AES256", kmsKey: nil
                ).insert(db)
            }
            for index in 0..<6 {
                let digest = "sha256:" + String(repeating: String(index), count: 64)
                try ImageRecord(
                    repositoryArn: arn, digest: digest, manifest: Data("{}".utf8), mediaType: "application/vnd.oci.image.manifest.v1+json",
                    artifactMediaType: "application/vnd.example", size: 2, subjectDigest: index > 0 ? "sha256:" + String(repeating: "0", count: 64) : nil,
                    pushedAt: Double(index)
                ).insert(db)
                if index % 2 == 0 { try ImageTagRecord(repositoryArn: arn, tag: "v\(index)", digest: digest).insert(db) }
                if index == 2 { try ImageTagRecord(repositoryArn: arn, tag: "w\(index)", digest: digest).insert(db) }
            }
            for prefix in ["quay", "k8s", "ecr-public"] {
                try PullThroughCacheRuleRecord(
                    accountId: "000000000000", region: "us-east-1", ecrRepositoryPrefix: prefix, upstreamRegistryUrl: "quay.io",
                    upstreamRegistry: "quay", upstreamRepositoryPrefix: nil, credentialArn: nil, customRoleArn: nil, createdAt: 0, updatedAt: 0
                ).insert(db)
                try RepositoryCreationTemplateRecord(
                    accountId: "000000000000", region: "us-east-1", prefix: prefix, document: "{}", createdAt: 0, updatedAt: 0).insert(db)
                try PullTimeUpdateExclusionRecord(
                    accountId: "000000000000", region: "us-east-1", principalArn: "arn:aws:iam::000000000000:role/\(prefix)", createdAt: 0
                ).insert(db)
            }
        }
    }

    /// Every page of `operation` (one at a time), so that each query runs from the start and after a token.
    static func everyPage(_ harness: Harness, _ operation: String, _ body: String) async throws {
        var token: String?
        var pages = 0
        repeat {
            let members = [body, #""maxResults":1"#] + (token.map { [#""nextToken":"\#($0)""#] } ?? [])
            let answer = await harness.call(operation, "{" + members.filter { !$0.isEmpty }.joined(separator: ",") + "}")
            #expect(answer.status == 200, "\(operation) \(body): \(String(describing: answer.json))")
            token = answer.json?["nextToken"]?.stringValue
            pages += 1
        } while token != nil && pages < 20
        #expect(pages > 1, "\(operation) \(body) has more than one page")
    }

    @Test("every list reads its pages in index order: no table scanned, no temporary B-tree to sort")
    func listsUseIndexes() async throws {
        let harness = try Harness()
        try Self.seed(harness.store)
        let statements = Statements()
        try harness.store.trace { sql in statements.append(sql) }
        let subject = "sha256:" + String(repeating: "0", count: 64)
        for (operation, body) in [
            ("DescribeRepositories", ""),
            ("ListImages", #""repositoryName":"app""#),
            ("ListImages", #""repositoryName":"app","filter":{"tagStatus":"TAGGED"}"#),
            ("ListImages", #""repositoryName":"app","filter":{"tagStatus":"UNTAGGED"}"#),
            ("DescribeImages", #""repositoryName":"app""#),
            ("DescribeImages", #""repositoryName":"app","filter":{"tagStatus":"TAGGED","imageStatus":"ACTIVE"}"#),
            ("ListImageReferrers", #""repositoryName":"app","subjectId":{"imageDigest":"\#(subject)"}"#),
            ("ListImageReferrers", #""repositoryName":"app","subjectId":{"imageDigest":"\#(subject)"},"filter":{"artifactTypes":["application/vnd.example"]}"#),
            ("DescribePullThroughCacheRules", ""),
            ("DescribeRepositoryCreationTemplates", ""),
            ("ListPullTimeUpdateExclusions", ""),
        ] {
            try await Self.everyPage(harness, operation, body)
        }
        try harness.store.trace(nil)

        let selects = statements.selects
        #expect(selects.count > 20)
        for sql in selects {
            let plan = try await harness.store.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
            }
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "sorts: \(sql)\n\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN ") && !$0.contains("USING") && !$0.contains("json_each") }, "scans: \(sql)\n\(plan)")
        }
    }
}
