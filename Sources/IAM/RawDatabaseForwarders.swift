import AWSShapes
import GRDB
import ServiceKit
import Storage

// The raw-`Database` forms of shared helpers, for callers that do not hold a
// `Transaction` yet (Roles.create, Users, Groups, MFADevices,
// AccountAuthorizationDetails). Each bridges into the `Transaction` form;
// the enclosing `Store.write` counts as touching everything. Delete this
// file once no caller holds a raw connection.

extension IAMTags {
    static func load(_ db: Database, _ resourceId: String) throws -> [IAMShapes.Tag] { try load(.bridging(db), resourceId) }

    static func apply(_ db: Database, _ resourceId: String, _ tags: [IAMShapes.Tag], caseSensitive: Bool = false) throws {
        try apply(.bridging(db), resourceId, tags, caseSensitive: caseSensitive)
    }

    static func remove(_ db: Database, _ resourceId: String, keys: [String], caseSensitive: Bool = false) throws {
        try remove(.bridging(db), resourceId, keys: keys, caseSensitive: caseSensitive)
    }

    static func removeAll(_ db: Database, _ resourceId: String) throws { try removeAll(.bridging(db), resourceId) }
}

extension PolicyValidation {
    @discardableResult
    static func trust(_ text: String, account: String, _ db: Database) throws -> [String: String] {
        try trust(text, account: account, .bridging(db))
    }
}

extension TrustPrincipals {
    static func document(of role: RoleRecord, _ db: Database) throws -> String { try document(of: role, .bridging(db)) }
}

extension ManagedPolicies {
    static func find(_ arn: String, _ context: OperationContext, _ db: Database) throws -> Info? { try find(arn, context, .bridging(db)) }

    static func shape(_ info: Info, _ context: OperationContext, _ db: Database) throws -> IAMShapes.Policy {
        try shape(info, context, .bridging(db))
    }
}

extension InstanceProfiles {
    static func shape(_ profile: InstanceProfileRecord, _ db: Database) throws -> IAMShapes.InstanceProfile {
        try shape(profile, .bridging(db))
    }
}
