import AWSShapes
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
        if PolicyDocument.size(of: text) > trustPolicySizeLimit {
            throw IAMError.quota("ACLSizePerRole", trustPolicySizeLimit)
        }
        let document = try parse(text, kind: .trust, requiresCurrentVersion: false)
        return try checkPrincipalsExist(document, tx)
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
    static func checkPrincipalsExist(_ document: PolicyDocument, _ tx: Transaction) throws -> [String: String] {
        var ids: [String: String] = [:]
        for reference in document.principalReferences where reference.namesIAMIdentity {
            guard let arn = ARNParts(reference.value) else { continue }
            guard try tx.fetch(AccountRecord.self, key: arn.account) != nil else { continue }
            let exists: Bool
            if arn.resource.hasPrefix("user/") || arn.resource.hasPrefix("role/") {
                let id = try identityId(account: arn.account, resource: arn.resource, in: tx)
                ids[reference.value] = id
                exists = id != nil
            } else if arn.resource.hasPrefix("assumed-role/") {
                let parts = arn.resource.split(separator: "/")
                exists = parts.count >= 2 ? try RoleRecord.named(String(parts[1]), account: arn.account, in: tx) != nil : false
            } else {
                exists = true
            }
            if !exists {
                throw IAMError.malformedPolicy("Invalid principal in policy: \"AWS\":\"\(reference.value)\"")
            }
        }
        return ids
    }
}
