import AWSShapes
import PolicyEngine
import ServiceKit
import Storage

/// Inline policies embedded in roles, users and groups. Each operation is
/// written once for the three kinds: a request names its user, role or
/// group (`PolicyHolderRequest`) and is authorized on it.
enum InlinePolicies {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.PutRolePolicy.self, .transaction(.write, target: PolicyHolderTarget.of, act: put))
        r.register(IAMOperation.PutUserPolicy.self, .transaction(.write, target: PolicyHolderTarget.of, act: put))
        r.register(IAMOperation.PutGroupPolicy.self, .transaction(.write, target: PolicyHolderTarget.of, act: put))
        r.register(IAMOperation.GetRolePolicy.self, .transaction(.read, target: PolicyHolderTarget.of, act: get))
        r.register(IAMOperation.GetUserPolicy.self, .transaction(.read, target: PolicyHolderTarget.of, act: get))
        r.register(IAMOperation.GetGroupPolicy.self, .transaction(.read, target: PolicyHolderTarget.of, act: get))
        r.register(IAMOperation.ListRolePolicies.self, .transaction(.read, target: PolicyHolderTarget.of, act: list))
        r.register(IAMOperation.ListUserPolicies.self, .transaction(.read, target: PolicyHolderTarget.of, act: list))
        r.register(IAMOperation.ListGroupPolicies.self, .transaction(.read, target: PolicyHolderTarget.of, act: list))
        r.register(IAMOperation.DeleteRolePolicy.self, .transaction(.write, target: PolicyHolderTarget.of, act: delete))
        r.register(IAMOperation.DeleteUserPolicy.self, .transaction(.write, target: PolicyHolderTarget.of, act: delete))
        r.register(IAMOperation.DeleteGroupPolicy.self, .transaction(.write, target: PolicyHolderTarget.of, act: delete))
    }

    // MARK: - Operations

    /// Adds or replaces an inline policy; the identity's inline policies
    /// together must stay within its size quota.
    static func put<Input: PutInlinePolicyRequest>(
        _ input: Input, _ target: PolicyHolderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let holder = try target.changeable()
        let identity = holder.type.identity
        try PolicyValidation.inline(input.policyDocument)
        let others = try InlinePolicyRecord.documents(of: holder.id, except: input.policyName, in: tx)
        let total = others.reduce(PolicyDocument.size(of: input.policyDocument)) { $0 + PolicyDocument.size(of: $1) }
        if total > identity.inlineSizeLimit {
            throw IAMError.inlinePolicySize(identity.owner, holder.name, limit: identity.inlineSizeLimit)
        }
        try InlinePolicyRecord.put(
            InlinePolicyRecord(
                principalId: holder.id, principalType: holder.type, accountId: context.accountId, name: input.policyName,
                document: input.policyDocument),
            in: tx)
        return EmptyShape()
    }

    static func get<Input: GetInlinePolicyRequest>(
        _ input: Input, _ target: PolicyHolderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> Input.Response {
        let holder = try target.existing()
        guard let policy = try InlinePolicyRecord.named(input.policyName, of: holder.id, in: tx) else {
            throw IAMError.noSuchInlinePolicy(holder.type.identity.owner, input.policyName)
        }
        return Input.Response(holderName: holder.name, policyName: input.policyName, policyDocument: policy.document)
    }

    static func list<Input: ListInlinePoliciesRequest>(
        _ input: Input, _ target: PolicyHolderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> Input.Response {
        let holder = try target.existing()
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try InlinePolicyRecord.names(of: holder.id, after: after, limit: limit, in: tx)
        } position: { $0 }
        return Input.Response(isTruncated: page.isTruncated, marker: page.marker, policyNames: page.items)
    }

    static func delete<Input: DeleteInlinePolicyRequest>(
        _ input: Input, _ target: PolicyHolderTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let holder = try target.changeable()
        guard let policy = try InlinePolicyRecord.named(input.policyName, of: holder.id, in: tx) else {
            throw IAMError.noSuchInlinePolicy(holder.type.identity.owner, input.policyName)
        }
        try tx.delete(policy)
        return EmptyShape()
    }
}

/// `Put<Kind>Policy`.
protocol PutInlinePolicyRequest: PolicyHolderRequest {
    var policyName: String { get }
    var policyDocument: String { get }
}

/// `Get<Kind>Policy`, and the answer of its kind.
protocol GetInlinePolicyRequest: PolicyHolderRequest {
    associatedtype Response: GetInlinePolicyResponse
    var policyName: String { get }
}

protocol GetInlinePolicyResponse: Sendable {
    init(holderName: String, policyName: String, policyDocument: String)
}

/// `List<Kind>Policies`, and the answer of its kind.
protocol ListInlinePoliciesRequest: PolicyHolderRequest {
    associatedtype Response: ListInlinePoliciesResponse
    var marker: String? { get }
    var maxItems: Int? { get }
}

protocol ListInlinePoliciesResponse: Sendable {
    init(isTruncated: Bool?, marker: String?, policyNames: [String])
}

/// `Delete<Kind>Policy`.
protocol DeleteInlinePolicyRequest: PolicyHolderRequest {
    var policyName: String { get }
}

extension IAMShapes.PutRolePolicyRequest: PutInlinePolicyRequest {}
extension IAMShapes.PutUserPolicyRequest: PutInlinePolicyRequest {}
extension IAMShapes.PutGroupPolicyRequest: PutInlinePolicyRequest {}

extension IAMShapes.GetRolePolicyRequest: GetInlinePolicyRequest {
    typealias Response = IAMShapes.GetRolePolicyResponse
}
extension IAMShapes.GetUserPolicyRequest: GetInlinePolicyRequest {
    typealias Response = IAMShapes.GetUserPolicyResponse
}
extension IAMShapes.GetGroupPolicyRequest: GetInlinePolicyRequest {
    typealias Response = IAMShapes.GetGroupPolicyResponse
}
extension IAMShapes.GetRolePolicyResponse: GetInlinePolicyResponse {
    init(holderName: String, policyName: String, policyDocument: String) {
        self.init(policyDocument: policyDocument, policyName: policyName, roleName: holderName)
    }
}
extension IAMShapes.GetUserPolicyResponse: GetInlinePolicyResponse {
    init(holderName: String, policyName: String, policyDocument: String) {
        self.init(policyDocument: policyDocument, policyName: policyName, userName: holderName)
    }
}
extension IAMShapes.GetGroupPolicyResponse: GetInlinePolicyResponse {
    init(holderName: String, policyName: String, policyDocument: String) {
        self.init(groupName: holderName, policyDocument: policyDocument, policyName: policyName)
    }
}

extension IAMShapes.ListRolePoliciesRequest: ListInlinePoliciesRequest {
    typealias Response = IAMShapes.ListRolePoliciesResponse
}
extension IAMShapes.ListUserPoliciesRequest: ListInlinePoliciesRequest {
    typealias Response = IAMShapes.ListUserPoliciesResponse
}
extension IAMShapes.ListGroupPoliciesRequest: ListInlinePoliciesRequest {
    typealias Response = IAMShapes.ListGroupPoliciesResponse
}
extension IAMShapes.ListRolePoliciesResponse: ListInlinePoliciesResponse {}
extension IAMShapes.ListUserPoliciesResponse: ListInlinePoliciesResponse {}
extension IAMShapes.ListGroupPoliciesResponse: ListInlinePoliciesResponse {}

extension IAMShapes.DeleteRolePolicyRequest: DeleteInlinePolicyRequest {}
extension IAMShapes.DeleteUserPolicyRequest: DeleteInlinePolicyRequest {}
extension IAMShapes.DeleteGroupPolicyRequest: DeleteInlinePolicyRequest {}
