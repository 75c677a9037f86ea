@testable import Storage
import Testing

/// The hand-written `init(row:)` of the hot records must read back exactly
/// what the (Codable) encoding wrote, optional columns set and unset.
@Suite("Record decoding")
struct RecordDecodingTests {
    @Test("a role reads back as written, through a cached statement")
    func role() throws {
        let store = try Store()
        let full = RoleRecord(
            id: "AROAFULL", accountId: "000000000000", name: "full", path: "/a/", trustPolicy: "{}", description: "d",
            maxSessionDuration: 7200, createdAt: 1.5, permissionsBoundaryArn: "arn:aws:iam::aws:policy/P", lastUsedAt: 2.5,
            lastUsedRegion: "eu-west-1")
        let bare = RoleRecord(
            id: "AROABARE", accountId: "000000000000", name: "bare", path: "/", trustPolicy: "{}", description: nil,
            maxSessionDuration: 3600, createdAt: 1)
        try store.write { db in
            try AccountRecord(id: "000000000000", alias: nil, createdAt: 0).insert(db)
            try full.insert(db)
            try bare.insert(db)
        }
        let read = try store.read { db in
            try RoleRecord.fetchAll(db, cached: "SELECT * FROM role ORDER BY name", arguments: [])
        }
        #expect(read == [bare, full])
        // The same statement again (now from the cache), with other arguments.
        let one = try store.read { db in try RoleRecord.fetchOne(db, cached: "SELECT * FROM role WHERE name = ?", arguments: ["full"]) }
        let other = try store.read { db in try RoleRecord.fetchOne(db, cached: "SELECT * FROM role WHERE name = ?", arguments: ["bare"]) }
        #expect(one == full && other == bare)
    }

    @Test("a role is read by position: the role table's columns are in the order RoleRecord reads them")
    func roleColumnOrder() throws {
        let store = try Store()
        let columns = try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('role') ORDER BY cid") }
        #expect(columns == RoleRecord.columns)
    }

    @Test("JSON columns written as text before they were typed read back as their values")
    func typedJSONColumns() throws {
        let store = try Store()
        try store.write { db in
            try AccountRecord(id: "000000000000", alias: nil, createdAt: 0).insert(db)
            // As the IAM target wrote them with JSONEncoder before the records held typed values.
            try db.execute(sql: """
                INSERT INTO passwordPolicy (accountId, document) VALUES ('000000000000', '{"minimumPasswordLength":12,"requireSymbols":true,"requireNumbers":false,"requireUppercaseCharacters":false,"requireLowercaseCharacters":false,"allowUsersToChangePassword":true,"passwordReusePrevention":3}');
                INSERT INTO oidcProvider (arn, accountId, url, clientIds, thumbprints, createdAt)
                VALUES ('arn:aws:iam::000000000000:oidc-provider/example.com', '000000000000', 'example.com', '["sts.amazonaws.com","a\\/b"]', '[]', 1);
                """)
        }
        let policy = try store.read { db in try PasswordPolicyRecord.fetchOne(db, key: "000000000000") }
        #expect(policy?.settings == PasswordPolicySettings(
            minimumPasswordLength: 12, requireSymbols: true, allowUsersToChangePassword: true, passwordReusePrevention: 3))
        let provider = try store.read { db in try OIDCProviderRecord.fetchOne(db, key: "arn:aws:iam::000000000000:oidc-provider/example.com") }
        #expect(provider?.clientIds == ["sts.amazonaws.com", "a/b"])
        #expect(provider?.thumbprints == [])
    }

    @Test("an access key and a tag read back as written")
    func accessKeyAndTag() throws {
        let store = try Store()
        let key = AccessKeyRecord(id: "AKIAX", secret: "s", accountId: "000000000000", userId: nil, status: "Active", createdAt: 3)
        try store.write { db in
            try AccountRecord(id: "000000000000", alias: nil, createdAt: 0).insert(db)
            try key.insert(db)
        }
        let read = try store.read { db in try AccessKeyRecord.fetchOne(db, cached: "SELECT * FROM accessKey WHERE id = ?", arguments: ["AKIAX"]) }
        #expect(read == key)
        #expect(try store.read { db in try Int.fetchOne(db, cached: "SELECT count(*) FROM accessKey", arguments: []) } == 1)
    }
}
