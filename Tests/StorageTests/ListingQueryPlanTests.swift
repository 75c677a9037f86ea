import Testing

@testable import Storage

/// The listing queries read their index in listing order and start at the
/// position: no sort of the whole list per page (a temporary B-tree), and a
/// seek to where the last page stopped rather than a scan from the first row.
@Suite("Listing query plans")
struct ListingQueryPlanTests {
    static func plan(_ sql: String) throws -> String {
        let store = try Store()
        return try store.read { db in
            // The plan does not depend on the values; the statement needs one for each parameter.
            let arguments = StatementArguments(Array(repeating: 1, count: parameterCount(sql)))
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                .map { $0["detail"] as String }.joined(separator: "\n")
        }
    }

    /// `?` parameters, or the highest `?N`.
    static func parameterCount(_ sql: String) -> Int {
        var bare = 0
        var highest = 0
        var characters = sql[...]
        while let mark = characters.firstIndex(of: "?") {
            let digits = characters[characters.index(after: mark)...].prefix { $0.isNumber }
            if let number = Int(digits) { highest = max(highest, number) } else { bare += 1 }
            characters = characters[characters.index(after: mark)...]
        }
        return max(bare, highest)
    }

    static let keysetQueries: [(name: String, sql: String, index: String, seeks: Bool)] = [
        ("managed policies", ManagedPolicyRecord.pageQuery(usage: nil, after: false), "managedPolicyByListingName", false),
        ("managed policies after", ManagedPolicyRecord.pageQuery(usage: nil, after: true), "managedPolicyByListingName", true),
        ("attached policies after", ManagedPolicyRecord.pageQuery(usage: .permissions, after: true), "managedPolicyByListingName", true),
        ("boundary policies after", ManagedPolicyRecord.pageQuery(usage: .boundary, after: true), "managedPolicyByListingName", true),
        ("used policies after", ManagedPolicyRecord.pageQuery(usage: .either, after: true), "managedPolicyByListingName", true),
        ("inline policies", InlinePolicyRecord.namesSQL, "inlinePolicyByListingName", false),
        ("inline policies after", InlinePolicyRecord.namesAfterSQL, "inlinePolicyByListingName", true),
        ("roles", NameListing.roles.firstPage, "roleByListingName", false),
        ("roles after", NameListing.roles.pageAfter, "roleByListingName", true),
        ("users", NameListing.users.firstPage, "userByListingName", false),
        ("users after", NameListing.users.pageAfter, "userByListingName", true),
        ("groups", NameListing.groups.firstPage, "groupByListingName", false),
        ("groups after", NameListing.groups.pageAfter, "groupByListingName", true),
        ("instance profiles", NameListing.instanceProfiles.firstPage, "instanceProfileByListingName", false),
        ("instance profiles after", NameListing.instanceProfiles.pageAfter, "instanceProfileByListingName", true),
        ("profiles of a role", InstanceProfileRecord.holdingSQL, "instanceProfileByListingName", false),
        ("profiles of a role after", InstanceProfileRecord.holdingAfterSQL, "instanceProfileByListingName", true),
        ("server certificates", NameListing.serverCertificates.firstPage, "serverCertificateByListingName", false),
        ("server certificates after", NameListing.serverCertificates.pageAfter, "serverCertificateByListingName", true),
        ("OIDC providers", OIDCProviderRecord.allSQL, "oidcProviderByAccount", false),
        ("SAML providers", SAMLProviderRecord.allSQL, "samlProviderByAccount", false),
    ]

    @Test("keyset listing queries read their listing index in order, seeking to the position", arguments: keysetQueries)
    func keysetQuery(name: String, sql: String, index: String, seeks: Bool) throws {
        let plan = try Self.plan(sql)
        #expect(!plan.contains("TEMP B-TREE"), "\(name): \(plan)")
        let first = plan.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains("USING INDEX \(index)") || first.contains("USING COVERING INDEX \(index)"), "\(name): \(plan)")
        if seeks { #expect(first.contains("<expr>>?"), "\(name): \(plan)") }
    }

    static let entityQueries: [(name: String, sql: String?, index: String)] = [
        ("groups using a policy", PolicyHolder.usingQuery(type: .group, attached: true, asBoundary: true, after: true), "sqlite_autoindex_iamGroup_2"),
        ("roles using a policy", PolicyHolder.usingQuery(type: .role, attached: true, asBoundary: true, after: true), "sqlite_autoindex_role_2"),
        ("users using a policy", PolicyHolder.usingQuery(type: .user, attached: true, asBoundary: true, after: false), "sqlite_autoindex_user_2"),
        ("users with a boundary", PolicyHolder.usingQuery(type: .user, attached: false, asBoundary: true, after: true), "sqlite_autoindex_user_2"),
    ]

    /// The entities a policy is used by are read along each table's unique
    /// (account, name) index, whose NOCASE order is IAM's for names unique
    /// without regard to case.
    @Test("entities using a policy are read along the unique name index, in order", arguments: entityQueries)
    func entityQuery(name: String, sql: String?, index: String) throws {
        let plan = try Self.plan(try #require(sql))
        #expect(!plan.contains("TEMP B-TREE"), "\(name): \(plan)")
        #expect(plan.split(separator: "\n").first?.contains(index) == true, "\(name): \(plan)")
    }

    @Test("groups have no permissions boundary: asking only for boundaries needs no query")
    func groupBoundaries() {
        #expect(PolicyHolder.usingQuery(type: .group, attached: false, asBoundary: true, after: false) == nil)
    }
}
