// The queries of service-linked role deletion tasks, beside their record.

extension ServiceLinkedRoleDeletionRecord: TrackedRecord {
    /// A finished task's record: nothing in memory is derived from it.
    public var dependencies: [Dependency] { [] }
}

extension RoleRecord {
    /// Releases everything a role holds — managed and inline policies,
    /// instance profile places — as a service does when it gives up its
    /// service-linked role.
    public static func release(_ roleId: String, in tx: Transaction) throws {
        try PolicyAttachmentRecord.removeAll(from: roleId, in: tx)
        try InlinePolicyRecord.removeAll(of: roleId, in: tx)
        try InstanceProfileRoleRecord.removeAll(role: roleId, in: tx)
    }
}
