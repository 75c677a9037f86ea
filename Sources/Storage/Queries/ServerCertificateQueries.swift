import GRDB

// The queries of server certificates, beside their record.

extension ServerCertificateRecord: TrackedRecord {
    public var arn: String { "arn:aws:iam::\(accountId):server-certificate\(path)\(name)" }

    public var dependencies: [Dependency] { [.resource(arn)] }

    /// The account's certificate of this name (unique without regard to case, looked up exactly).
    public static func named(_ name: String, account: String, in tx: Transaction) throws -> ServerCertificateRecord? {
        try ServerCertificateRecord.fetchOne(
            tx.db, cached: "SELECT * FROM serverCertificate WHERE accountId = ? AND name = ?", arguments: [account, name])
    }

    public static func count(account: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: "SELECT count(*) FROM serverCertificate WHERE accountId = ?", arguments: [account]) ?? 0
    }

    /// Renames or moves a certificate: both its old and its new ARN change.
    public static func update(_ certificate: ServerCertificateRecord, from old: ServerCertificateRecord, in tx: Transaction) throws {
        tx.touch(.resource(old.arn))
        try tx.update(certificate)
    }

    /// One page of the account's certificates under a path prefix, in IAM's
    /// listing order, after the one named `after`. Keyset paging on
    /// `serverCertificateByListingName`, seeking as `InlinePolicyRecord.names` does; at most `limit` + 1 certificates.
    public static func page(
        account: String, pathPrefix: String, after: String?, limit: Int, in tx: Transaction
    ) throws -> [ServerCertificateRecord] {
        guard let after else {
            return try ServerCertificateRecord.fetchAll(tx.db, cached: pageSQL, arguments: [account, pathPrefix, limit + 1])
        }
        return try ServerCertificateRecord.fetchAll(tx.db, cached: pageAfterSQL, arguments: [account, pathPrefix, limit + 1, after])
    }

    static let pageSQL = """
        SELECT * FROM serverCertificate INDEXED BY serverCertificateByListingName
        WHERE accountId = ?1 AND substr(path, 1, length(?2)) = ?2
        ORDER BY lower(name), name LIMIT ?3
        """
    static let pageAfterSQL = """
        SELECT * FROM serverCertificate INDEXED BY serverCertificateByListingName
        WHERE accountId = ?1 AND lower(name) >= lower(?4) AND (lower(name), name) > (lower(?4), ?4) AND substr(path, 1, length(?2)) = ?2
        ORDER BY lower(name), name LIMIT ?3
        """
}
