import AWSShapes
import ServiceKit
import Storage

/// Attaching managed policies to roles, users and groups, and listing them.
/// Each operation is written once for the three kinds: a request names its
/// user, role or group (`PolicyHolderRequest`), and is authorized on it with
/// `iam:PolicyARN` when it names a policy.
enum Attachments {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.AttachRolePolicy.self, .transaction(.write, target: PolicyHolderTarget.of, keys: policyKey, act: attach))
        r.register(IAMOperation.AttachUserPolicy.self, .transaction(.write, target: PolicyHolderTarget.of, keys: policyKey, act: attach))
        r.register(IAMOperation.AttachGroupPolicy.self, .transaction(.write, target: PolicyHolderTarget.of, keys: policyKey, act: attach))
        r.register(IAMOperation.DetachRolePolicy.self, .transaction(.write, target: PolicyHolderTarget.of, keys: policyKey, act: detach))
        r.register(IAMOperation.DetachUserPolicy.self, .transaction(.write, target: PolicyHolderTarget.of, keys: policyKey, act: detach))
        r.register(IAMOperation.DetachGroupPolicy.self, .transaction(.write, target: PolicyHolderTarget.of, keys: policyKey, act: detach))
        r.register(IAMOperation.ListAttachedRolePolicies.self, .transaction(.read, target: PolicyHolderTarget.of, act: list))
        r.register(IAMOperation.ListAttachedUserPolicies.self, .transaction(.read, target: PolicyHolderTarget.of, act: list))
        r.register(IAMOperation.ListAttachedGroupPolicies.self, .transaction(.read, target: PolicyHolderTarget.of, act: list))
    }

    /// `iam:PolicyARN`, the policy an attach or detach names.
    static func policyKey<Input: AttachmentRequest>(_ input: Input) -> [String: [String]] {
        ["iam:PolicyARN": [input.policyArn]]
    }

    // MARK: - Operations

    static func attach<Input: AttachmentRequest>(
        _ input: Input, _ target: PolicyHolderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let holder = try target.existing()
        let policyArn = input.policyArn
        guard policyArn.hasPrefix("arn:") else { throw IAMError.invalidARN(policyArn) }
        guard IAMArn.isPolicyArn(policyArn), let policy = try ManagedPolicies.find(policyArn, context, tx) else {
            throw IAMError.policyNotAttachable(policyArn)
        }
        if policy.isAWSManaged, policy.path.hasPrefix("/aws-service-role/"), holder.type == .role {
            throw IAMShapes.Errors.policyNotAttachable("Cannot attach a Service Role Policy to a Customer Role.")
        }
        let attached = try PolicyAttachmentRecord.policyArns(attachedTo: holder.id, in: tx)
        if attached.contains(policyArn) { return EmptyShape() }
        if attached.count >= Identity.attachedLimit { throw IAMError.quota(holder.type.identity.attachedQuotaName, Identity.attachedLimit) }
        try tx.insert(PolicyAttachmentRecord(
            principalId: holder.id, principalType: holder.type, accountId: context.accountId, policyArn: policyArn,
            attachedAt: context.now.secondsSince1970))
        return EmptyShape()
    }

    static func detach<Input: AttachmentRequest>(
        _ input: Input, _ target: PolicyHolderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let holder = try target.existing()
        guard input.policyArn.hasPrefix("arn:") else { throw IAMError.invalidARN(input.policyArn) }
        guard let attachment = try PolicyAttachmentRecord.find(principalId: holder.id, policyArn: input.policyArn, in: tx) else {
            throw IAMError.policyNotFound(input.policyArn)
        }
        try tx.delete(attachment)
        return EmptyShape()
    }

    static func list<Input: ListAttachedRequest>(
        _ input: Input, _ target: PolicyHolderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> Input.Response {
        let holder = try target.existing()
        let prefix = input.pathPrefix ?? "/"
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            // An identity holds at most ten managed policies (its quota): read
            // whole and put in IAM's order here, resumed after the position.
            let policies = try PolicyAttachmentRecord.policyArns(attachedTo: holder.id, in: tx)
                .compactMap { try ManagedPolicies.find($0, context, tx) }
                .filter { $0.path.hasPrefix(prefix) }
                .sorted { PolicyListing.key($0) < PolicyListing.key($1) }
            let start = after.map { PolicyListing.key(arn: $0) }
            return Array(policies.lazy.filter { start == nil || PolicyListing.key($0) > start! }.prefix(limit + 1))
        } position: { $0.arn }
        return Input.Response(
            attachedPolicies: page.items.map { IAMShapes.AttachedPolicy(policyArn: $0.arn, policyName: $0.name) },
            isTruncated: page.isTruncated, marker: page.marker)
    }
}

/// An attach or detach request: it names a user, role or group and a policy.
protocol AttachmentRequest: PolicyHolderRequest {
    var policyArn: String { get }
}

extension IAMShapes.AttachRolePolicyRequest: AttachmentRequest {}
extension IAMShapes.AttachUserPolicyRequest: AttachmentRequest {}
extension IAMShapes.AttachGroupPolicyRequest: AttachmentRequest {}
extension IAMShapes.DetachRolePolicyRequest: AttachmentRequest {}
extension IAMShapes.DetachUserPolicyRequest: AttachmentRequest {}
extension IAMShapes.DetachGroupPolicyRequest: AttachmentRequest {}

/// A `ListAttached<Kind>Policies` request, and the answer of its kind.
protocol ListAttachedRequest: PolicyHolderRequest {
    associatedtype Response: ListAttachedResponse
    var pathPrefix: String? { get }
    var marker: String? { get }
    var maxItems: Int? { get }
}

protocol ListAttachedResponse: Sendable {
    init(attachedPolicies: [IAMShapes.AttachedPolicy]?, isTruncated: Bool?, marker: String?)
}

extension IAMShapes.ListAttachedRolePoliciesRequest: ListAttachedRequest {
    typealias Response = IAMShapes.ListAttachedRolePoliciesResponse
}
extension IAMShapes.ListAttachedUserPoliciesRequest: ListAttachedRequest {
    typealias Response = IAMShapes.ListAttachedUserPoliciesResponse
}
extension IAMShapes.ListAttachedGroupPoliciesRequest: ListAttachedRequest {
    typealias Response = IAMShapes.ListAttachedGroupPoliciesResponse
}
extension IAMShapes.ListAttachedRolePoliciesResponse: ListAttachedResponse {}
extension IAMShapes.ListAttachedUserPoliciesResponse: ListAttachedResponse {}
extension IAMShapes.ListAttachedGroupPoliciesResponse: ListAttachedResponse {}
