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
    /// listing order, after the one named `after` (`NameListing`). At most `limit` + 1 certificates.
    public static func page(
        account: String, pathPrefix: String, after: String?, limit: Int, in tx: Transaction
    ) throws -> [ServerCertificateRecord] {
        try NameListing.serverCertificates.page(account: account, pathPrefix: pathPrefix, after: after, limit: limit, in: tx)
    }
}
