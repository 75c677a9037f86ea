#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An image manifest stored in a repository, addressed by the sha256 of its bytes.
public struct ImageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "image"

    public var repositoryArn: String
    public var digest: String
    /// The manifest exactly as pushed: its digest is the hash of these bytes.
    public var manifest: Data
    public var mediaType: String
    /// The config's media type (`artifactMediaType` in DescribeImages).
    public var artifactMediaType: String?
    /// Sum of the layer sizes; nil for manifest lists and indexes.
    public var size: Int64?
    public var subjectDigest: String?
    public var pushedAt: Double
    public var lastPulledAt: Double?
    /// `STANDARD` or `ARCHIVE`.
    public var storageClass: String
    public var archivedAt: Double?
    /// When it was last restored from the archive.
    public var activatedAt: Double?

    public init(
        repositoryArn: String, digest: String, manifest: Data, mediaType: String, artifactMediaType: String?, size: Int64?,
        subjectDigest: String?, pushedAt: Double, lastPulledAt: Double? = nil, storageClass: String = "STANDARD",
        archivedAt: Double? = nil, activatedAt: Double? = nil
    ) {
        self.repositoryArn = repositoryArn
        self.digest = digest
        self.manifest = manifest
        self.mediaType = mediaType
        self.artifactMediaType = artifactMediaType
        self.size = size
        self.subjectDigest = subjectDigest
        self.pushedAt = pushedAt
        self.lastPulledAt = lastPulledAt
        self.storageClass = storageClass
        self.archivedAt = archivedAt
        self.activatedAt = activatedAt
    }
}

public struct ImageTagRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "imageTag"

    public var repositoryArn: String
    public var tag: String
    public var digest: String

    public init(repositoryArn: String, tag: String, digest: String) {
        self.repositoryArn = repositoryArn
        self.tag = tag
        self.digest = digest
    }
}

/// A blob file known to the store, and which repositories hold it.
public struct BlobRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "blob"

    public var digest: String
    public var size: Int64
    public var createdAt: Double

    public init(digest: String, size: Int64, createdAt: Double) {
        self.digest = digest
        self.size = size
        self.createdAt = createdAt
    }
}

public struct RepositoryBlobRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "repositoryBlob"

    public var repositoryArn: String
    public var digest: String
    public var mediaType: String?
    public var addedAt: Double

    public init(repositoryArn: String, digest: String, mediaType: String?, addedAt: Double) {
        self.repositoryArn = repositoryArn
        self.digest = digest
        self.mediaType = mediaType
        self.addedAt = addedAt
    }
}

public struct LayerUploadRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "layerUpload"

    public var id: String
    public var repositoryArn: String
    /// Bytes received so far (the next part must start here).
    public var size: Int64
    public var createdAt: Double
    public var updatedAt: Double

    public init(id: String, repositoryArn: String, size: Int64, createdAt: Double, updatedAt: Double) {
        self.id = id
        self.repositoryArn = repositoryArn
        self.size = size
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension ImageRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        repositoryArn = row["repositoryArn"]
        digest = row["digest"]
        manifest = row["manifest"]
        mediaType = row["mediaType"]
        artifactMediaType = row["artifactMediaType"]
        size = row["size"]
        subjectDigest = row["subjectDigest"]
        pushedAt = row["pushedAt"]
        lastPulledAt = row["lastPulledAt"]
        storageClass = row["storageClass"]
        archivedAt = row["archivedAt"]
        activatedAt = row["activatedAt"]
    }
}

extension ImageTagRecord {
    /// Decoded by name without Codable: a Codable decoder was most of the time
    /// of list operations.
    public init(row: Row) throws {
        repositoryArn = row["repositoryArn"]
        tag = row["tag"]
        digest = row["digest"]
    }
}
