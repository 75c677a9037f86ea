@testable import Storage
import Testing

/// The listing queries of users, groups and credentials read a page in index
/// order from where the last one stopped: SQLite seeks to the position in the
/// index and sorts nothing, so a page costs what it holds however large the
/// account (the plans are what SQLite chose for the statements these
/// functions ran).
@Suite("Listing query plans")
struct ListingPlanTests {
    static let account = "000000000000"

    /// The query plan of every SELECT that `body` ran, in order.
    static func plans(_ body: (Transaction) throws -> Void) throws -> [String] {
        let store = try Store()
        let traced = Traced()
        try store.trace { sql in
            guard sql.hasPrefix("SELECT") else { return }
            traced.statements.append(sql)
        }
        try store.transaction(.read, body)
        try store.trace(nil)
        return try store.read { db in
            return try traced.statements.map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
    }

    /// The statements a traced connection ran (the in-memory store has one connection, used by one test).
    final class Traced: @unchecked Sendable {
        var statements: [String] = []
    }

    /// Each plan searches `index` and sorts nothing; a page after a position seeks to it (`seek`, as SQLite prints it).
    static func expect(_ plans: [String], index: String, seek: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(plans.count == 2, sourceLocation: sourceLocation)
        for plan in plans {
            #expect(plan.contains("USING INDEX \(index) ") || plan.contains("USING COVERING INDEX \(index) "), "\(plan)", sourceLocation: sourceLocation)
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)", sourceLocation: sourceLocation)
        }
        #expect(plans.last?.contains(seek) == true, "\(plans.last ?? "")", sourceLocation: sourceLocation)
    }

    @Test("users and groups page by name on their listing indexes, seeking to the marker")
    func names() throws {
        Self.expect(try Self.plans { tx in
            _ = try UserRecord.page(account: Self.account, pathPrefix: "/", after: nil, limit: 10, in: tx)
            _ = try UserRecord.page(account: Self.account, pathPrefix: "/", after: "m", limit: 10, in: tx)
        }, index: "userByListingName", seek: "accountId=? AND <expr>>?")
        Self.expect(try Self.plans { tx in
            _ = try GroupRecord.page(account: Self.account, pathPrefix: "/", after: nil, limit: 10, in: tx)
            _ = try GroupRecord.page(account: Self.account, pathPrefix: "/", after: "m", limit: 10, in: tx)
        }, index: "groupByListingName", seek: "accountId=? AND <expr>>?")
        Self.expect(try Self.plans { tx in
            _ = try MFADeviceRecord.virtualPage(account: Self.account, assigned: nil, after: nil, limit: 10, in: tx)
            _ = try MFADeviceRecord.virtualPage(account: Self.account, assigned: true, after: "arn:aws:iam::000000000000:mfa/m", limit: 10, in: tx)
        }, index: "mfaDeviceByListingSerial", seek: "accountId=? AND <expr>>?")
    }

    @Test("credentials page oldest first on their owner's index, seeking to (time, id)")
    func ages() throws {
        let position = (time: 1.5, id: "X")
        for owner in [nil, "AIDAUSER"] as [String?] {
            Self.expect(try Self.plans { tx in
                _ = try AccessKeyRecord.page(owner: owner, account: Self.account, after: nil, limit: 10, in: tx)
                _ = try AccessKeyRecord.page(owner: owner, account: Self.account, after: position, limit: 10, in: tx)
            }, index: "accessKeyByOwner", seek: "(createdAt,id)>(?,?)")
        }
        Self.expect(try Self.plans { tx in
            _ = try SSHPublicKeyRecord.page(ofUser: "AIDAUSER", after: nil, limit: 10, in: tx)
            _ = try SSHPublicKeyRecord.page(ofUser: "AIDAUSER", after: position, limit: 10, in: tx)
        }, index: "sshPublicKeyByUser", seek: "(uploadedAt,id)>(?,?)")
        Self.expect(try Self.plans { tx in
            _ = try SigningCertificateRecord.page(ofUser: "AIDAUSER", after: nil, limit: 10, in: tx)
            _ = try SigningCertificateRecord.page(ofUser: "AIDAUSER", after: position, limit: 10, in: tx)
        }, index: "signingCertificateByUser", seek: "(uploadedAt,id)>(?,?)")
        Self.expect(try Self.plans { tx in
            _ = try MFADeviceRecord.page(assignedTo: "AIDAUSER", after: nil, limit: 10, in: tx)
            _ = try MFADeviceRecord.page(assignedTo: "AIDAUSER", after: position, limit: 10, in: tx)
        }, index: "mfaDeviceByUser", seek: "(enabledAt,serialNumber)>(?,?)")
        Self.expect(try Self.plans { tx in
            _ = try ServiceSpecificCredentialRecord.page(account: Self.account, user: nil, service: nil, after: nil, limit: 10, in: tx)
            _ = try ServiceSpecificCredentialRecord.page(
                account: Self.account, user: nil, service: "codecommit.amazonaws.com", after: position, limit: 10, in: tx)
        }, index: "serviceSpecificCredentialByAccount", seek: "(createdAt,id)>(?,?)")
        Self.expect(try Self.plans { tx in
            _ = try ServiceSpecificCredentialRecord.page(account: Self.account, user: "AIDAUSER", service: nil, after: nil, limit: 10, in: tx)
            _ = try ServiceSpecificCredentialRecord.page(
                account: Self.account, user: "AIDAUSER", service: nil, after: position, limit: 10, in: tx)
        }, index: "serviceSpecificCredentialByUserAge", seek: "(createdAt,id)>(?,?)")
    }
}
