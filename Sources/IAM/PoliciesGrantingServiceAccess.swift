import AWSShapes
import PolicyEngine
import ServiceCatalog
import ServiceKit
import Storage

/// ListPoliciesGrantingServiceAccess: which of a user's (its groups'
/// included), role's or group's identity-based policies allow some action of
/// each service asked about. Like AWS's, it reads only Allow statements of
/// permissions policies ("Service last accessed data does not use other
/// policy types", GenerateServiceLastAccessedDetails in the IAM API
/// reference): no boundaries, resource policies or conditions.
enum PoliciesGrantingServiceAccess {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.ListPoliciesGrantingServiceAccess.self,
            .transaction(.read, target: { input, context, tx in try AccessReportSubject(input.arn, context, tx, allowPolicies: false) },
                act: list))
    }

    static func list(
        _ input: IAMShapes.ListPoliciesGrantingServiceAccessRequest, _ target: AccessReportSubject, _ context: OperationContext,
        _ tx: Transaction
    ) throws -> IAMShapes.ListPoliciesGrantingServiceAccessResponse {
        let policies = try GrantingPolicy.of(try target.existing(), context, tx).map { ($0, $0.services(context)) }
        // The shape of botocore's example: one entry per namespace asked, in
        // the order asked; managed policies before inline ones.
        return IAMShapes.ListPoliciesGrantingServiceAccessResponse(
            isTruncated: false,
            policiesGrantingServiceAccess: input.serviceNamespaces.map { namespace in
                IAMShapes.ListPoliciesGrantingServiceAccessEntry(
                    policies: policies.filter { $0.1.contains(namespace.lowercased()) }.map(\.0.shape), serviceNamespace: namespace)
            })
    }
}

/// One identity-based policy of a user, role, group or the managed policy a
/// report is about, as ListPoliciesGrantingServiceAccess names it.
struct GrantingPolicy {
    var document: PolicyDocument?
    var shape: IAMShapes.PolicyGrantingServiceAccess

    /// The subject's policies: managed ones first (the subject's, then its
    /// groups'), then inline ones, each policy once.
    static func of(_ subject: AccessReportSubject.Kind, _ context: OperationContext, _ tx: Transaction) throws -> [GrantingPolicy] {
        let loader = PolicyLoader(store: context.store, catalog: context.environment.managedPolicies)
        switch subject {
        case .policy(let arn, let document):
            return [GrantingPolicy(
                document: document.flatMap { loader.parse($0, cacheKey: nil) },
                shape: IAMShapes.PolicyGrantingServiceAccess(policyArn: arn, policyName: IAMArn.name(of: arn), policyType: "MANAGED"))]
        case .entity(let holder):
            var holders = [holder]
            if holder.type == .user {
                for groupId in try GroupMembershipRecord.groupIds(ofUser: holder.id, in: tx) {
                    if let group = try tx.fetch(GroupRecord.self, key: groupId) {
                        holders.append(PolicyHolder(type: .group, id: group.id, name: group.name, path: group.path))
                    }
                }
            }
            var managed: [GrantingPolicy] = []
            var inline: [GrantingPolicy] = []
            var seen: Set<String> = []
            for holder in holders {
                for arn in try PolicyAttachmentRecord.policyArns(attachedTo: holder.id, in: tx) where seen.insert(arn).inserted {
                    managed.append(GrantingPolicy(
                        document: try loader.managedPolicy(arn, tx)?.document,
                        shape: IAMShapes.PolicyGrantingServiceAccess(policyArn: arn, policyName: IAMArn.name(of: arn), policyType: "MANAGED")))
                }
                for policy in try InlinePolicyRecord.all(of: holder.id, in: tx) {
                    inline.append(GrantingPolicy(
                        document: loader.parse(policy.document, cacheKey: nil),
                        shape: IAMShapes.PolicyGrantingServiceAccess(
                            entityName: holder.name, entityType: holder.type.rawValue.uppercased(), policyName: policy.name,
                            policyType: "INLINE")))
                }
            }
            return managed + inline
        }
    }

    /// The namespaces of the services its Allow statements reach.
    func services(_ context: OperationContext) -> Set<String> {
        guard let document, let catalog = context.environment.services.catalog else { return [] }
        var reached: Set<String> = []
        for statement in document.statements where statement.effect == .allow {
            reached.formUnion(catalog.services(reachedBy: statement.actions.values, negated: statement.actions.isNegated))
        }
        return reached
    }

    /// Each service's name as the last accessed reports print it: the
    /// Service Authorization Reference's, without a trailing abbreviation in
    /// parentheses ("AWS Identity and Access Management", as AWS's own
    /// example in botocore's examples-1.json, where the reference says
    /// "… (IAM)").
    static func serviceNames(_ context: OperationContext) -> [String: String] {
        var names: [String: String] = [:]
        for (prefix, name) in context.environment.services.catalog?.services ?? [] {
            var display = name
            if display.hasSuffix(")"), let open = display.lastIndex(of: "(") {
                let inner = display[display.index(after: open)..<display.index(before: display.endIndex)]
                if !inner.isEmpty, inner.allSatisfy({ $0.isUppercase }), open > display.startIndex {
                    display = String(display[..<display.index(before: open)])
                }
            }
            names[prefix] = display
        }
        return names
    }
}
