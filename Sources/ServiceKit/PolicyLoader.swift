import Logging
import PolicyEngine
import Storage
import Synchronization

/// Loads what speaks for a principal — identity policies (its own and its
/// groups'), permissions boundary, session policies — and its tags, parsed
/// and compiled once.
///
/// Results are kept until a committed write touches what they were loaded
/// from (the principal, its groups, a managed policy it uses), so a detached
/// policy stops applying on the very next request while writes elsewhere
/// leave them warm. Parsed documents are kept for good where their text
/// cannot change: AWS managed policies and customer policy versions (a
/// version's document is immutable).
public final class PolicyLoader: Sendable {
    struct PrincipalPolicies: Sendable {
        var identity: IdentityPolicies
        /// User or role tags overlaid with session tags: `aws:PrincipalTag/*`.
        var tags: [String: String]
    }

    private struct Entry {
        var sequence: UInt64
        var dependencies: [Dependency]
        var policies: PrincipalPolicies
    }

    let store: Store
    let catalog: ManagedPolicyCatalog
    private let cache = Mutex<[String: Entry]>([:])
    private let documents = Mutex<[String: PolicyDocument]>([:])

    public init(store: Store, catalog: ManagedPolicyCatalog) {
        self.store = store
        self.catalog = catalog
    }

    func policies(for principal: Principal, in transaction: Transaction?) throws -> PrincipalPolicies {
        let key = principal.accessKeyId + "|" + principal.arn
        if let hit = cache.withLock({ $0[key] }), store.changes.isCurrent(since: hit.sequence, hit.dependencies) {
            return hit.policies
        }
        return try store.transaction(.read, within: transaction) { tx in
            var dependencies: [Dependency] = []
            let loaded = try load(principal, tx, &dependencies)
            // Only committed state is cached: not what a write transaction has changed so far.
            if !tx.hasChanges {
                cache.withLock { cache in
                    if cache.count > 10_000 { cache.removeAll() }
                    cache[key] = Entry(sequence: tx.sequence, dependencies: dependencies, policies: loaded)
                }
            }
            return loaded
        }
    }

    private func load(_ principal: Principal, _ tx: Transaction, _ dependencies: inout [Dependency]) throws -> PrincipalPolicies {
        let rootFederation = principal.kind == .federatedUser && principal.entityId == nil
        guard principal.kind != .root, principal.kind != .anonymous, principal.kind != .federatedIdentity,
            rootFederation || principal.entityId != nil
        else {
            return PrincipalPolicies(identity: IdentityPolicies(), tags: principal.session?.context.tags ?? [:])
        }
        let entityId = principal.entityId ?? ""
        var identity: [AttachedPolicy] = []
        var boundary: AttachedPolicy?
        if rootFederation {
            // The root user's federated session: root may do anything, so the session policy alone limits it.
            if let everything = parse(Self.grantsEverything, cacheKey: "gatehouse:grants-everything") {
                identity = [AttachedPolicy(id: "RootUser", source: .none, document: everything)]
            }
        } else {
            (identity, boundary) = try entityPolicies(
                entityId, principal.kind == .assumedRole ? .role : .user, tx, dependencies: &dependencies)
        }

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
                dependencies.append(.policy(arn))
                if let policy = try managedPolicy(arn, tx) { sessionPolicies.append(policy) }
            }
        }

        var tags: [String: String] = [:]
        if !rootFederation { for tag in try TagRecord.all(of: entityId, in: tx) { tags[tag.key] = tag.value } }
        for (key, value) in principal.session?.context.tags ?? [:] { tags[key] = value }
        return PrincipalPolicies(
            identity: IdentityPolicies(identityPolicies: identity, permissionsBoundary: boundary, sessionPolicies: sessionPolicies),
            tags: tags)
    }

    /// The identity-based policies of a user (its groups' included), role or
    /// group, and its permissions boundary; `dependencies` gets what they were read from.
    public func entityPolicies(
        _ entityId: String, _ type: PrincipalType, _ tx: Transaction, dependencies: inout [Dependency]
    ) throws -> (identity: [AttachedPolicy], boundary: AttachedPolicy?) {
        var identity: [AttachedPolicy] = []
        var boundaryArn: String?
        dependencies.append(.principal(entityId))
        switch type {
        case .role:
            let role = try tx.fetch(RoleRecord.self, key: entityId)
            boundaryArn = role?.permissionsBoundaryArn
            try appendPolicies(of: entityId, named: role?.name ?? "", source: .role, into: &identity, tx, &dependencies)
        case .user:
            let user = try tx.fetch(UserRecord.self, key: entityId)
            boundaryArn = user?.permissionsBoundaryArn
            try appendPolicies(of: entityId, named: user?.name ?? "", source: .user, into: &identity, tx, &dependencies)
            for group in try GroupMembershipRecord.groupIds(ofUser: entityId, in: tx) {
                dependencies.append(.principal(group))
                let name = try tx.fetch(GroupRecord.self, key: group)?.name ?? ""
                try appendPolicies(of: group, named: name, source: .group, into: &identity, tx, &dependencies)
            }
        case .group:
            let name = try tx.fetch(GroupRecord.self, key: entityId)?.name ?? ""
            try appendPolicies(of: entityId, named: name, source: .group, into: &identity, tx, &dependencies)
        }
        if let boundaryArn { dependencies.append(.policy(boundaryArn)) }
        return (identity, try boundaryArn.flatMap { try managedPolicy($0, tx) })
    }

    /// Inline policies are named as IAM's simulator names them in
    /// `SourcePolicyId`: `role_ROLE_POLICY` (recorded, CLI output in
    /// docs/research/fidelity-issue18.md §5), and by analogy `user_…`, `group_…`.
    private func appendPolicies(
        of principalId: String, named holder: String, source: AttachedPolicy.Source, into list: inout [AttachedPolicy],
        _ tx: Transaction, _ dependencies: inout [Dependency]
    ) throws {
        for arn in try PolicyAttachmentRecord.policyArns(attachedTo: principalId, in: tx) {
            dependencies.append(.policy(arn))
            if let policy = try managedPolicy(arn, tx) { list.append(policy) }
        }
        for inline in try InlinePolicyRecord.all(of: principalId, in: tx) {
            if let document = parse(inline.document, cacheKey: nil) {
                list.append(AttachedPolicy(id: "\(source.rawValue)_\(holder)_\(inline.name)", source: source, document: document))
            }
        }
    }

    /// A managed policy's default version, AWS managed or the account's own.
    public func managedPolicy(_ arn: String, _ tx: Transaction) throws -> AttachedPolicy? {
        if let aws = catalog.policy(arn: arn) {
            guard let document = parse(aws.document, cacheKey: arn + "#" + aws.defaultVersionId) else { return nil }
            return AttachedPolicy(id: arn, source: .awsManaged, document: document)
        }
        guard let found = try ManagedPolicyRecord.defaultDocument(of: arn, in: tx) else { return nil }
        guard let document = parse(found.document, cacheKey: found.id + "#" + found.versionId) else { return nil }
        return AttachedPolicy(id: arn, source: .userManaged, document: document)
    }

    /// A session policy that allows nothing (a statement whose NotAction covers every action).
    static let grantsEverything = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
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
