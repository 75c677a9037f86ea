// The queries of OpenID Connect and SAML identity providers, beside their records.

extension OIDCProviderRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.resource(arn)] }

    /// The account's providers by ARN, in ARN order (IAM lists them whole: at most 100, no paging).
    public static func all(account: String, in tx: Transaction) throws -> [OIDCProviderRecord] {
        try OIDCProviderRecord.fetchAll(tx.db, cached: allSQL, arguments: [account])
    }

    static let allSQL = "SELECT * FROM oidcProvider INDEXED BY oidcProviderByAccount WHERE accountId = ? ORDER BY arn"

    public static func count(account: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(
            tx.db, cached: "SELECT count(*) FROM oidcProvider INDEXED BY oidcProviderByAccount WHERE accountId = ?", arguments: [account]
        ) ?? 0
    }
}

extension SAMLProviderRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.resource(arn)] }

    /// The account's providers, in ARN order (IAM lists them whole: at most 100, no paging).
    public static func all(account: String, in tx: Transaction) throws -> [SAMLProviderRecord] {
        try SAMLProviderRecord.fetchAll(tx.db, cached: allSQL, arguments: [account])
    }

    static let allSQL = "SELECT * FROM samlProvider INDEXED BY samlProviderByAccount WHERE accountId = ? ORDER BY arn"

    public static func count(account: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(
            tx.db, cached: "SELECT count(*) FROM samlProvider INDEXED BY samlProviderByAccount WHERE accountId = ?", arguments: [account]
        ) ?? 0
    }
}
