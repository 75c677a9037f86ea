// What the docker registry API (/v2) reads beyond ECR's own queries.

extension ImageTagRecord {
    /// Every tag of a repository, in order (the tags/list endpoint).
    public static func all(repositoryArn: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: "SELECT tag FROM imageTag WHERE repositoryArn = ? ORDER BY tag", arguments: [repositoryArn])
    }
}

extension ImageRecord {
    /// The images of a repository whose `subject` is `digest`, by digest (the referrers API).
    public static func withSubject(_ digest: String, repositoryArn: String, in tx: Transaction) throws -> [ImageRecord] {
        try ImageRecord.fetchAll(
            tx.db, cached: "SELECT * FROM image WHERE repositoryArn = ? AND subjectDigest = ? ORDER BY digest",
            arguments: [repositoryArn, digest])
    }
}
