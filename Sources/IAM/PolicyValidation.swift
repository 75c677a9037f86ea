import AWSShapes
import GRDB
import PolicyEngine
import ServiceKit
import Storage

/// The checks IAM runs on every policy document it stores: size quotas, the
/// policy grammar (shared with the evaluator) and, for trust policies, that
/// named users and roles exist.
enum PolicyValidation {
    static let managedPolicySizeLimit = 6144
    static let trustPolicySizeLimit = 2048

    /// A managed policy version (CreatePolicy, CreatePolicyVersion).
    @discardableResult
    static func managed(_ text: String) throws(AWSError) -> PolicyDocument {
        if PolicyDocument.size(of: text) > managedPolicySizeLimit {
            throw IAMError.quota("PolicySize", managedPolicySizeLimit)
        }
        return try parse(text, kind: .identity, requiresCurrentVersion: true)
    }

    /// An inline policy or permissions policy passed in a request.
    @discardableResult
    static func inline(_ text: String) throws(AWSError) -> PolicyDocument {
        try parse(text, kind: .identity, requiresCurrentVersion: false)
    }

    /// A role's trust policy: grammar, size, and principals that exist.
    /// Returns the unique ids of the users and roles it names, by ARN.
    @discardableResult
    static func trust(_ text: String, account: String, _ tx: Transaction) throws -> [String: String] {
        try trust(text, account: account, tx.database)
    }

    static func trust(_ text: String, account: String, _ db: Database) throws -> [String: String] {
        if PolicyDocument.size(of: text) > trustPolicySizeLimit {
            throw IAMError.quota("ACLSizePerRole", trustPolicySizeLimit)
        }
        let document = try parse(text, kind: .trust, requiresCurrentVersion: false)
        return try checkPrincipalsExist(document, db)
    }

    static func parse(_ text: String, kind: PolicyKind, requiresCurrentVersion: Bool) throws(AWSError) -> PolicyDocument {
        do {
            return try PolicyDocument.parse(text, kind: kind, requiresCurrentVersion: requiresCurrentVersion)
        } catch {
            throw IAMError.malformedPolicy(error.message)
        }
    }

    /// IAM resolves each user and role a trust policy names to its unique id
    /// and refuses one that does not exist; returns those ids by ARN. Accounts
    /// Gatehouse does not host cannot be checked and are accepted.
    static func checkPrincipalsExist(_ document: PolicyDocument, _ db: Database) throws -> [String: String] {
        var ids: [String: String] = [:]
        for reference in document.principalReferences where reference.namesIAMIdentity {
            guard let arn = ARNParts(reference.value) else { continue }
            let hosted = try AccountRecord.fetchOne(db, key: arn.account) != nil
            guard hosted else { continue }
            let exists: Bool
            if arn.resource.hasPrefix("user/") || arn.resource.hasPrefix("role/") {
                let id = try uniqueId(of: arn, db)
                ids[reference.value] = id
                exists = id != nil
            } else if arn.resource.hasPrefix("assumed-role/") {
                let parts = arn.resource.split(separator: "/")
                let role = parts.count >= 2
                    ? try String.fetchOne(db, cached: "SELECT id FROM role WHERE accountId = ? AND name = ?", arguments: [arn.account, String(parts[1])])
                    : nil
                exists = role != nil
            } else {
                exists = true
            }
            if !exists {
                throw IAMError.malformedPolicy("Invalid principal in policy: \"AWS\":\"\(reference.value)\"")
            }
        }
        return ids
    }

    /// The unique id of the user or role an ARN names now, if any.
    static func uniqueId(of arn: ARNParts, _ db: Database) throws -> String? {
        try identityId(account: arn.account, resource: arn.resource, in: .bridging(db))
    }
}
