import AWSShapes
import ServiceKit
import Storage

/// Delegation requests and GetHumanReadableSummary: "This API is not
/// available for general use. In order to use this API, a caller first need
/// to go through an onboarding process described in the partner onboarding
/// documentation" (CreateDelegationRequest in the IAM API reference). No
/// Gatehouse account is an onboarded partner and none ever received a
/// delegation request, so:
/// - CreateDelegationRequest is refused with InvalidInput naming the
///   operation and the onboarding it needs;
/// - ListDelegationRequests lists the none there are;
/// - every operation on a request by id answers NoSuchEntity: there is no
///   such request; GetHumanReadableSummary likewise for a delegation request
///   ARN, and InvalidInput for any other ARN ("the only supported entity type
///   is delegation-request").
/// INFERRED: no recording of AWS's answers to a non-onboarded account was
/// found (docs/research/fidelity-issue18.md §16).
enum DelegationRequests {
    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateDelegationRequest.self,
            .transaction(.read, target: { _, context, _ in ResourceARN(resource(context, "*")) }, act: create))
        r.register(IAMOperation.ListDelegationRequests.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: list))
        r.register(IAMOperation.GetDelegationRequest.self, byId { $0.delegationRequestId })
        r.register(IAMOperation.AcceptDelegationRequest.self, byId { $0.delegationRequestId })
        r.register(IAMOperation.AssociateDelegationRequest.self, byId { $0.delegationRequestId })
        r.register(IAMOperation.RejectDelegationRequest.self, byId { $0.delegationRequestId })
        r.register(IAMOperation.UpdateDelegationRequest.self, byId { $0.delegationRequestId })
        r.register(IAMOperation.SendDelegationToken.self, byId { $0.delegationRequestId })
        r.register(
            IAMOperation.GetHumanReadableSummary.self, .transaction(.read, target: { input, _, _ in ResourceARN(input.entityArn) }, act: summary))
    }

    /// `arn:aws:iam::ACCOUNT:delegation-request/ID` (Service Authorization Reference).
    static func resource(_ context: OperationContext, _ id: String) -> String {
        "arn:aws:iam::\(context.accountId):delegation-request/\(id)"
    }

    static func noSuchRequest(_ id: String) -> AWSError {
        IAMShapes.Errors.noSuchEntity("The delegation request with id \(id) cannot be found.")
    }

    /// An operation on one delegation request, authorized on its ARN.
    static func byId<Input: Sendable, Output: Sendable>(_ id: @escaping @Sendable (Input) -> String) -> OperationBehaviour<Input, Output> {
        .transaction(.read, target: { input, context, _ in ResourceARN(resource(context, id(input))) }) { input, _, _, _ in
            throw noSuchRequest(id(input))
        }
    }

    static func create(
        _ input: IAMShapes.CreateDelegationRequestRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateDelegationRequestResponse {
        throw IAMShapes.Errors.invalidInput(
            "CreateDelegationRequest is not available to this account: delegation requests are made by partners who completed the IAM partner onboarding process.")
    }

    static func list(
        _ input: IAMShapes.ListDelegationRequestsRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListDelegationRequestsResponse {
        IAMShapes.ListDelegationRequestsResponse(delegationRequests: [], isTruncated: false)
    }

    static func summary(
        _ input: IAMShapes.GetHumanReadableSummaryRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetHumanReadableSummaryResponse {
        guard let arn = ARNParts(input.entityArn), arn.service == "iam", arn.resource.hasPrefix("delegation-request/") else {
            throw IAMShapes.Errors.invalidInput("The only supported entity type is delegation-request: \(input.entityArn) is not one.")
        }
        throw noSuchRequest(String(arn.resource.dropFirst("delegation-request/".count)))
    }
}
