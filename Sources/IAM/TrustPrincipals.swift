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
    /// named that is gone (or is now someone else) appears as its old unique
    /// id, in its `Principal`/`NotPrincipal` blocks only (a condition naming
    /// the same ARN is a string, and stays as written).
    static func document(of role: RoleRecord, _ tx: Transaction) throws -> String {
        try document(of: role) { try identityId(account: $0.account, resource: $0.resource, in: tx) }
    }

    private static func document(of role: RoleRecord, uniqueId: (ARNParts) throws -> String?) throws -> String {
        guard let recorded = role.trustPrincipalIds, let ids = try? JSONParser.parse(recorded).objectValue else {
            return role.trustPolicy
        }
        var gone: [(arn: String, id: String)] = []
        for (arn, value) in ids.members {
            guard let id = value.stringValue, let parts = ARNParts(arn) else { continue }
            if try uniqueId(parts) != id { gone.append((arn, id)) }
        }
        var bytes = Array(role.trustPolicy.utf8)
        guard !gone.isEmpty, let root = try? JSONParser.parse(bytes) else { return role.trustPolicy }
        let statement = root["Statement"]
        let statements = statement?.arrayValue ?? (statement.map { [$0] } ?? [])
        let blocks = statements.flatMap { statement in
            ["Principal", "NotPrincipal"].compactMap { statement[$0]?.objectValue?.span }
        }
        // From the last block back, so that earlier offsets stay valid.
        for span in blocks.sorted(by: { $0.start.offset > $1.start.offset }) {
            let range = span.start.offset..<(span.end.offset + 1)
            var block = String(decoding: bytes[range], as: UTF8.self)
            for (arn, id) in gone {
                block = block.replacing("\"\(arn)\"", with: "\"\(id)\"")
            }
            bytes.replaceSubrange(range, with: Array(block.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
