import Storage

/// Layers a repository holds that none of its images references: ECR's part
/// of the one blob collection (`BlobCollector.collect(…, releasingLayers:)`),
/// since only ECR reads manifests. A released layer's blob goes too once no
/// repository holds it.
public enum UnreferencedLayers {
    /// Releases the layers added before `cutoff` that no manifest of their
    /// repository names, in the collection's transaction; returns how many.
    public static func release(_ tx: Transaction, before cutoff: Double, progress: ((BlobCollector.Progress) -> Void)?) throws -> Int {
        var released = 0
        let repositories = try RepositoryRecord.allArns(in: tx)
        for (index, repository) in repositories.enumerated() {
            progress?(BlobCollector.Progress(phase: "checking repositories", done: index, total: repositories.count))
            var referenced: Set<String> = []
            for stored in try ImageRecord.manifests(repositoryArn: repository, in: tx) {
                referenced.formUnion(Manifest.blobs(of: stored))
            }
            for held in try RepositoryBlobRecord.all(repositoryArn: repository, in: tx)
            where !referenced.contains(held.digest) && held.addedAt < cutoff {
                try RepositoryBlobRecord.delete(repositoryArn: repository, digest: held.digest, in: tx)
                released += 1
            }
        }
        return released
    }
}
