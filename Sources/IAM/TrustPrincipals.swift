import GRDB
import JSON
import ServiceKit
import Storage

/// IAM stores the users and roles a trust policy names by unique id, not by
/// ARN. Delete the user and the policy shows its id, because IAM "can no
/// longer map it back to an ARN"; create a user of the same name and the
/// policy still means the old one, so the newcomer cannot assume the role.
/// Gatehouse keeps the document as written plus the ids it named
/// (`role.trustPrincipalIds`), and shows and evaluates it through `document`.
enum TrustPrincipals {
    /// The ids to keep beside a trust policy (JSON, keys sorted), nil for none.
    static func record(_ ids: [String: String]) -> String? {
        guard !ids.isEmpty else { return nil }
        var w = JSONWriter()
        w.objectStart()
        for (arn, id) in ids.sorted(by: { $0.key < $1.key }) {
            w.key(arn)
            w.value(id)
        }
        w.objectEnd()
        return w.string
    }

    /// The trust policy as IAM shows and applies it now: each user or role it
    /// named that is gone (or is now someone else) appears as its old unique id.
    static func document(of role: RoleRecord, _ db: Database) throws -> String {
        guard let recorded = role.trustPrincipalIds, let ids = try? JSONParser.parse(recorded).objectValue else {
            return role.trustPolicy
        }
        var document = role.trustPolicy
        for (arn, value) in ids.members {
            guard let id = value.stringValue, let parts = ARNParts(arn) else { continue }
            if try PolicyValidation.uniqueId(of: parts, db) != id {
                document = document.replacingOccurrences(of: "\"\(arn)\"", with: "\"\(id)\"")
            }
        }
        return document
    }
}
