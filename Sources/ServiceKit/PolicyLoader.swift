import GRDB
import Logging
import PolicyEngine
import Storage
import Synchronization

/// Loads what speaks for a principal — identity policies (its own and its
/// groups'), permissions boundary, session policies — and its tags, parsed
/// and compiled once.
///
/// Results are kept until the store's write generation moves, so a detached
/// policy stops applying on the very next request. Parsed documents are kept
/// across generations where their text cannot change: AWS managed policies and
/// customer policy versions (a version's document is immutable).
public final class PolicyLoader: Sendable {
    struct PrincipalPolicies: Sendable {
        var identity: IdentityPolicies
        /// User or role tags overlaid with session tags: `aws:PrincipalTag/*`.
        var tags: [String: String]
    }

    private struct Cache {
        var generation: UInt64 = .max
        var principals: [String: PrincipalPolicies] = [:]
    }

    let store: Store
    let catalog: ManagedPolicyCatalog
    private let cache = Mutex(Cache())
    private let documents = Mutex<[String: PolicyDocument]>([:])

    public init(store: Store, catalog: ManagedPolicyCatalog) {
        self.store = store
        self.catalog = catalog
    }

    func policies(for principal: Principal) throws -> PrincipalPolicies {
        let generation = store.generation
        let key = principal.accessKeyId + "|" + principal.arn
        if let hit = cache.withLock({ $0.generation == generation ? $0.principals[key] : nil }) { return hit }
        let loaded = try store.read { db in try load(principal, db) }
        cache.withLock { cache in
            if cache.generation != generation { cache = Cache(generation: generation) }
            if cache.principals.count > 10_000 { cache.principals.removeAll() }
            cache.principals[key] = loaded
        }
        return loaded
    }

    private func load(_ principal: Principal, _ db: Database) throws -> PrincipalPolicies {
        guard principal.kind != .root, principal.kind != .anonymous, principal.kind != .federatedIdentity,
            let entityId = principal.entityId
        else {
            return PrincipalPolicies(identity: IdentityPolicies(), tags: principal.session?.context.tags ?? [:])
        }
        let (identity, boundary) = try entityPolicies(entityId, principal.kind == .assumedRole ? .role : .user, db)

        var sessionPolicies: [AttachedPolicy] = []
        if principal.kind == .federatedUser, let session = principal.session?.context, session.policy == nil, session.policyArns.isEmpty,
            let nothing = parse(Self.grantsNothing, cacheKey: "gatehouse:grants-nothing")
        {
            // "If you do not pass a policy, the resulting federated user session has no permissions." (GetFederationToken)
            sessionPolicies.append(AttachedPolicy(id: "SessionPolicy", source: .none, document: nothing))
        }
        if let session = principal.session?.context {
            if let text = session.policy, let document = parse(text, cacheKey: nil) {
                sessionPolicies.append(AttachedPolicy(id: "SessionPolicy", source: .none, document: document))
            }
            for arn in session.policyArns {
                if let policy = try managedPolicy(arn, db) { sessionPolicies.append(policy) }
            }
        }

        var tags: [String: String] = [:]
        for tag in try TagRecord.all(db, of: entityId) { tags[tag.key] = tag.value }
        for (key, value) in principal.session?.context.tags ?? [:] { tags[key] = value }
        return PrincipalPolicies(
            identity: IdentityPolicies(identityPolicies: identity, permissionsBoundary: boundary, sessionPolicies: sessionPolicies),
            tags: tags)
    }

    /// The identity-based policies of a user (its groups' included), role or
    /// group, and its permissions boundary.
    public func entityPolicies(_ entityId: String, _ type: PrincipalType, _ db: Database) throws -> (
        identity: [AttachedPolicy], boundary: AttachedPolicy?
    ) {
        var identity: [AttachedPolicy] = []
        var boundaryArn: String?
        switch type {
        case .role:
            boundaryArn = try String.fetchOne(db, cached: "SELECT permissionsBoundaryArn FROM role WHERE id = ?", arguments: [entityId])
            try appendPolicies(of: entityId, source: .role, into: &identity, db)
        case .user:
            boundaryArn = try String.fetchOne(db, cached: "SELECT permissionsBoundaryArn FROM user WHERE id = ?", arguments: [entityId])
            try appendPolicies(of: entityId, source: .user, into: &identity, db)
            let groups = try String.fetchAll(db, cached: "SELECT groupId FROM groupMembership WHERE userId = ?", arguments: [entityId])
            for group in groups { try appendPolicies(of: group, source: .group, into: &identity, db) }
        case .group:
            try appendPolicies(of: entityId, source: .group, into: &identity, db)
        }
        return (identity, try boundaryArn.flatMap { try managedPolicy($0, db) })
    }

    private func appendPolicies(of principalId: String, source: AttachedPolicy.Source, into list: inout [AttachedPolicy], _ db: Database) throws {
        let arns = try String.fetchAll(
            db, cached: "SELECT policyArn FROM policyAttachment WHERE principalId = ? ORDER BY policyArn", arguments: [principalId])
        for arn in arns {
            if let policy = try managedPolicy(arn, db) { list.append(policy) }
        }
        let inline = try Row.fetchAll(
            db, cached: "SELECT name, document FROM inlinePolicy WHERE principalId = ? ORDER BY name", arguments: [principalId])
        for row in inline {
            let name: String = row["name"]
            let text: String = row["document"]
            if let document = parse(text, cacheKey: nil) {
                list.append(AttachedPolicy(id: name, source: source, document: document))
            }
        }
    }

    /// A managed policy's default version, AWS managed or the account's own.
    public func managedPolicy(_ arn: String, _ db: Database) throws -> AttachedPolicy? {
        if let aws = catalog.policy(arn: arn) {
            guard let document = parse(aws.document, cacheKey: arn + "#" + aws.defaultVersionId) else { return nil }
            return AttachedPolicy(id: arn, source: .awsManaged, document: document)
        }
        guard let row = try Row.fetchOne(db, cached: """
            SELECT p.id, p.defaultVersionId, v.document FROM managedPolicy p
            JOIN policyVersion v ON v.policyArn = p.arn AND v.versionId = p.defaultVersionId
            WHERE p.arn = ?
            """, arguments: [arn])
        else { return nil }
        let id: String = row["id"]
        let version: String = row["defaultVersionId"]
        guard let document = parse(row["document"], cacheKey: id + "#" + version) else { return nil }
        return AttachedPolicy(id: arn, source: .userManaged, document: document)
    }

    /// A session policy that allows nothing (a statement whose NotAction covers every action).
    static let grantsNothing = #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"*","Resource":"*"}]}"#

    /// Parses a stored identity-based document; stored documents were
    /// validated when written, so a failure here is logged, not thrown.
    public func parse(_ text: String, cacheKey: String?, kind: PolicyKind = .identity) -> PolicyDocument? {
        if let cacheKey, let hit = documents.withLock({ $0[cacheKey] }) { return hit }
        do {
            let document = try PolicyDocument.parse(text, kind: kind)
            if let cacheKey {
                documents.withLock { cache in
                    if cache.count > 20_000 { cache.removeAll() }
                    cache[cacheKey] = document
                }
            }
            return document
        } catch {
            Logger(label: "gatehouse").warning("a stored policy does not parse: \(error.message)")
            return nil
        }
    }
}
