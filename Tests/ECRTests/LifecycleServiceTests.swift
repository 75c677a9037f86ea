import AWSShapes
import Foundation
import Logging
import ServiceKit
@testable import Storage
import Testing

@testable import ECR

/// The background sweep against a real (in-memory) store.
@Suite("Lifecycle service")
struct LifecycleServiceTests {
    struct FixedClock: ServiceKit.Clock {
        let time: Double
        func now() -> Timestamp { Timestamp(secondsSince1970: time) }
    }

    static let now = 1_700_000_000.0
    static let arn = "arn:aws:ecr:us-east-1:000000000000:repository/app"

    static func store(policy: String?) throws -> Store {
        let store = try Store()
        try store.write { db in
            try AccountRecord(id: "000000000000", createdAt: 0).insert(db)
            try RepositoryRecord(
                arn: arn, accountId: "000000000000", region: "us-east-1", name: "app", createdAt: 0, imageTagMutability: "MUTABLE",
                mutabilityExclusionFilters: "[]", scanOnPush: false, encryptionType: "AES256", kmsKey: nil, lifecyclePolicy: policy
            ).insert(db)
            for (name, days, tag) in [("old", 30.0, nil), ("new", 1.0, nil), ("tagged", 40.0, "v1")] as [(String, Double, String?)] {
                try ImageRecord(
                    repositoryArn: arn, digest: "sha256:" + name, manifest: Data("{}".utf8), mediaType: "application/vnd.oci.image.manifest.v1+json",
                    artifactMediaType: nil, size: 2, subjectDigest: nil, pushedAt: now - days * 86_400
                ).insert(db)
                if let tag { try ImageTagRecord(repositoryArn: arn, tag: tag, digest: "sha256:" + name).insert(db) }
            }
        }
        return store
    }

    static func digests(_ store: Store) throws -> [String] {
        try store.database.read { db in try String.fetchAll(db, sql: "SELECT digest FROM image ORDER BY digest") }
    }

    @Test("a sweep expires what the policy selects, records when it ran, and leaves other images")
    func sweepExpires() async throws {
        let policy = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}"#
        let store = try Self.store(policy: policy)
        let service = LifecycleService(store: store, clock: FixedClock(time: Self.now), interval: .seconds(3600), logger: Logger(label: "test"))
        #expect(try await service.sweep() == 1)
        #expect(try Self.digests(store) == ["sha256:new", "sha256:tagged"])
        let evaluated = try await store.read { db in try RepositoryRecord.fetchOne(db, key: Self.arn)?.lifecycleEvaluatedAt }
        #expect(evaluated == Self.now)
        #expect(try await service.sweep() == 0)
    }

    @Test("repositories without a policy are left alone")
    func noPolicy() async throws {
        let store = try Self.store(policy: nil)
        let service = LifecycleService(store: store, clock: FixedClock(time: Self.now), interval: .seconds(1), logger: Logger(label: "test"))
        #expect(try await service.sweep() == 0)
        #expect(try Self.digests(store).count == 3)
    }

    @Test("a transition rule archives old images instead of deleting them")
    func sweepArchives() async throws {
        let policy = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"transition","targetStorageClass":"archive"}}]}"#
        let store = try Self.store(policy: policy)
        let service = LifecycleService(store: store, clock: FixedClock(time: Self.now), interval: .seconds(1), logger: Logger(label: "test"))
        #expect(try await service.sweep() == 2)
        let archived = try await store.read { db in
            try String.fetchAll(db, sql: "SELECT digest FROM image WHERE storageClass = 'ARCHIVE' ORDER BY digest")
        }
        #expect(archived == ["sha256:old", "sha256:tagged"])
        #expect(try Self.digests(store).count == 3)
        #expect(try await service.sweep() == 0, "archived images are not selected by standard-storage rules again")
    }
}
