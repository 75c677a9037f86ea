import Storage

extension OperationContext {
    /// Notes that the caller was authenticated to `action` (`service:Action`):
    /// its user's or role's service last accessed data, RoleLastUsed and its
    /// long-term access key's last use (GetAccessKeyLastUsed reports the
    /// service namespace and the request's region). Every authenticated
    /// attempt counts, allowed or not: AWS reports "when an authenticated
    /// entity most recently attempted to access the service. AWS does not
    /// report unauthenticated requests." (IAM API reference, ServiceLastAccessed).
    /// Memory only: the store writes it later (`UsageLedger`).
    public func recordUse(of action: String) {
        let entity: (id: String, type: UsageLedger.EntityType, name: String)?
        switch principal.kind {
        case .user: entity = principal.entityId.map { ($0, .user, principal.entityName ?? "") }
        case .assumedRole: entity = principal.entityId.map { ($0, .role, principal.entityName ?? "") }
        case .root: entity = nil
        case .federatedUser, .anonymous, .federatedIdentity: return
        }
        // Session keys are not access keys; console sessions sign nothing.
        let key = principal.session == nil && !principal.accessKeyId.isEmpty ? principal.accessKeyId : nil
        guard entity != nil || key != nil, let colon = action.firstIndex(of: ":") else { return }
        store.usage.record(
            entity: entity, accountId: principal.accountId, accessKeyId: key, service: String(action[..<colon]),
            action: String(action[action.index(after: colon)...]), region: region, at: now.secondsSince1970)
    }
}

extension OperationBehaviour {
    /// The operation, after the usage noted so far is written: for operations
    /// that report it (GetRole's RoleLastUsed, GetAccessKeyLastUsed, …), so a
    /// caller sees its own earlier requests.
    ///
    /// - Parameter subjects: what it reports usage of; pending usage is then
    ///   written only when some concerns them. Nil: write whatever is pending.
    public func reportingUse(
        of subjects: @escaping @Sendable (Input, OperationContext) -> [UsageLedger.Subject]? = { _, _ in nil }
    ) -> OperationBehaviour {
        OperationBehaviour { input, context, action in
            try context.store.flushUsage(concerning: subjects(input, context))
            return try await perform(input, context, action)
        }
    }
}
