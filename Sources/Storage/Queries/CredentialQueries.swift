// The queries of what IAM users sign in and authenticate with: access keys,
// console passwords, SSH public keys, signing certificates and
// service-specific credentials. Lists ordered by age page on (time, id): the
// id breaks ties between credentials created in the same instant.

extension AccessKeyRecord {
    /// How many long-term keys the owner has: an IAM user, or the account's root user (`userId` nil).
    public static func count(owner userId: String?, account: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(
            tx.db, cached: "SELECT count(*) FROM accessKey INDEXED BY accessKeyByOwner WHERE accountId = ? AND userId IS ?",
            arguments: [account, userId]) ?? 0
    }

    /// One page of the owner's keys, oldest first, after the key created at
    /// `after.time` with id `after.id`. At most `limit` + 1 keys.
    public static func page(
        owner userId: String?, account: String, after position: (time: Double, id: String)?, limit: Int, in tx: Transaction
    ) throws -> [AccessKeyRecord] {
        guard let position else {
            return try AccessKeyRecord.fetchAll(tx.db, cached: """
                SELECT * FROM accessKey INDEXED BY accessKeyByOwner WHERE accountId = ? AND userId IS ?
                ORDER BY createdAt, id LIMIT ?
                """, arguments: [account, userId, limit + 1])
        }
        return try AccessKeyRecord.fetchAll(tx.db, cached: """
            SELECT * FROM accessKey INDEXED BY accessKeyByOwner WHERE accountId = ? AND userId IS ? AND (createdAt, id) > (?, ?)
            ORDER BY createdAt, id LIMIT ?
            """, arguments: [account, userId, position.time, position.id, limit + 1])
    }

    /// All of the owner's keys, oldest first (the credential report's columns).
    public static func all(owner userId: String?, account: String, in tx: Transaction) throws -> [AccessKeyRecord] {
        try AccessKeyRecord.fetchAll(tx.db, cached: """
            SELECT * FROM accessKey INDEXED BY accessKeyByOwner WHERE accountId = ? AND userId IS ? ORDER BY createdAt, id
            """, arguments: [account, userId])
    }

    // A key is also one of its user's credentials: its writes touch the user
    // as well as the key (the conformance names only the key).

    public func insert(in tx: Transaction) throws {
        try tx.insert(self)
        if let userId { tx.touch(.principal(userId)) }
    }

    public func update(in tx: Transaction) throws {
        try tx.update(self)
        if let userId { tx.touch(.principal(userId)) }
    }

    public func delete(in tx: Transaction) throws {
        try tx.delete(self)
        if let userId { tx.touch(.principal(userId)) }
    }
}

extension LoginProfileRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(userId)] }
}

extension PasswordHistoryRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(userId)] }

    /// Keeps a password hash in the user's history, and only the newest
    /// `generations` of them (PasswordReusePrevention looks back at most 24).
    public static func remember(_ record: PasswordHistoryRecord, keeping generations: Int, in tx: Transaction) throws {
        try tx.insert(record)
        try tx.db.execute(cached: """
            DELETE FROM passwordHistory WHERE userId = ? AND rowid NOT IN
              (SELECT rowid FROM passwordHistory WHERE userId = ? ORDER BY changedAt DESC LIMIT ?)
            """, arguments: [record.userId, record.userId, generations])
    }

    /// The user's last `limit` password hashes, newest first.
    public static func recentHashes(ofUser userId: String, limit: Int, in tx: Transaction) throws -> [String] {
        try String.fetchAll(
            tx.db, cached: "SELECT passwordHash FROM passwordHistory WHERE userId = ? ORDER BY changedAt DESC LIMIT ?",
            arguments: [userId, limit])
    }
}

extension SSHPublicKeyRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(userId)] }

    /// Every SSH public key of the user (to refuse a duplicate or a sixth).
    public static func all(ofUser userId: String, in tx: Transaction) throws -> [SSHPublicKeyRecord] {
        try SSHPublicKeyRecord.fetchAll(tx.db, cached: "SELECT * FROM sshPublicKey WHERE userId = ?", arguments: [userId])
    }

    /// One page of the user's keys, oldest first. At most `limit` + 1.
    public static func page(
        ofUser userId: String, after position: (time: Double, id: String)?, limit: Int, in tx: Transaction
    ) throws -> [SSHPublicKeyRecord] {
        guard let position else {
            return try SSHPublicKeyRecord.fetchAll(tx.db, cached: """
                SELECT * FROM sshPublicKey INDEXED BY sshPublicKeyByUser WHERE userId = ? ORDER BY uploadedAt, id LIMIT ?
                """, arguments: [userId, limit + 1])
        }
        return try SSHPublicKeyRecord.fetchAll(tx.db, cached: """
            SELECT * FROM sshPublicKey INDEXED BY sshPublicKeyByUser WHERE userId = ? AND (uploadedAt, id) > (?, ?)
            ORDER BY uploadedAt, id LIMIT ?
            """, arguments: [userId, position.time, position.id, limit + 1])
    }
}

extension SigningCertificateRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(userId)] }

    /// The certificate bodies of every user of the account (a certificate may be uploaded once per account).
    public static func bodies(account: String, in tx: Transaction) throws -> [String] {
        try String.fetchAll(tx.db, cached: """
            SELECT c.body FROM signingCertificate c JOIN user u ON u.id = c.userId WHERE u.accountId = ?
            """, arguments: [account])
    }

    public static func count(ofUser userId: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: "SELECT count(*) FROM signingCertificate WHERE userId = ?", arguments: [userId]) ?? 0
    }

    /// One page of the user's certificates, oldest first. At most `limit` + 1.
    public static func page(
        ofUser userId: String, after position: (time: Double, id: String)?, limit: Int, in tx: Transaction
    ) throws -> [SigningCertificateRecord] {
        guard let position else {
            return try SigningCertificateRecord.fetchAll(tx.db, cached: """
                SELECT * FROM signingCertificate INDEXED BY signingCertificateByUser WHERE userId = ?
                ORDER BY uploadedAt, id LIMIT ?
                """, arguments: [userId, limit + 1])
        }
        return try SigningCertificateRecord.fetchAll(tx.db, cached: """
            SELECT * FROM signingCertificate INDEXED BY signingCertificateByUser WHERE userId = ? AND (uploadedAt, id) > (?, ?)
            ORDER BY uploadedAt, id LIMIT ?
            """, arguments: [userId, position.time, position.id, limit + 1])
    }

    /// All of the user's certificates, oldest first (the credential report's columns).
    public static func all(ofUser userId: String, in tx: Transaction) throws -> [SigningCertificateRecord] {
        try SigningCertificateRecord.fetchAll(tx.db, cached: """
            SELECT * FROM signingCertificate INDEXED BY signingCertificateByUser WHERE userId = ? ORDER BY uploadedAt, id
            """, arguments: [userId])
    }
}

extension ServiceSpecificCredentialRecord: TrackedRecord {
    public var dependencies: [Dependency] { [.principal(userId)] }

    /// How many credentials the user has for one service.
    public static func count(ofUser userId: String, service: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(
            tx.db, cached: "SELECT count(*) FROM serviceSpecificCredential WHERE userId = ? AND serviceName = ?",
            arguments: [userId, service]) ?? 0
    }

    /// One page of the account's credentials (or one user's), oldest first,
    /// optionally for one service only, each with its user's name. At most
    /// `limit` + 1.
    public static func page(
        account: String, user userId: String?, service: String?, after position: (time: Double, id: String)?, limit: Int,
        in tx: Transaction
    ) throws -> [(credential: ServiceSpecificCredentialRecord, userName: String)] {
        let rows: [Row]
        switch (userId, position) {
        case (nil, nil):
            rows = try Row.fetchAll(tx.db, cached: """
                SELECT c.*, u.name AS userName
                FROM serviceSpecificCredential c INDEXED BY serviceSpecificCredentialByAccount JOIN user u ON u.id = c.userId
                WHERE c.accountId = ? AND (? IS NULL OR c.serviceName = ?)
                ORDER BY c.createdAt, c.id LIMIT ?
                """, arguments: [account, service, service, limit + 1])
        case (nil, let position?):
            rows = try Row.fetchAll(tx.db, cached: """
                SELECT c.*, u.name AS userName
                FROM serviceSpecificCredential c INDEXED BY serviceSpecificCredentialByAccount JOIN user u ON u.id = c.userId
                WHERE c.accountId = ? AND (? IS NULL OR c.serviceName = ?) AND (c.createdAt, c.id) > (?, ?)
                ORDER BY c.createdAt, c.id LIMIT ?
                """, arguments: [account, service, service, position.time, position.id, limit + 1])
        case (let userId?, nil):
            rows = try Row.fetchAll(tx.db, cached: """
                SELECT c.*, u.name AS userName
                FROM serviceSpecificCredential c INDEXED BY serviceSpecificCredentialByUserAge JOIN user u ON u.id = c.userId
                WHERE c.userId = ? AND c.accountId = ? AND (? IS NULL OR c.serviceName = ?)
                ORDER BY c.createdAt, c.id LIMIT ?
                """, arguments: [userId, account, service, service, limit + 1])
        case (let userId?, let position?):
            rows = try Row.fetchAll(tx.db, cached: """
                SELECT c.*, u.name AS userName
                FROM serviceSpecificCredential c INDEXED BY serviceSpecificCredentialByUserAge JOIN user u ON u.id = c.userId
                WHERE c.userId = ? AND c.accountId = ? AND (? IS NULL OR c.serviceName = ?) AND (c.createdAt, c.id) > (?, ?)
                ORDER BY c.createdAt, c.id LIMIT ?
                """, arguments: [userId, account, service, service, position.time, position.id, limit + 1])
        }
        return try rows.map { (try ServiceSpecificCredentialRecord(row: $0), $0["userName"]) }
    }
}
