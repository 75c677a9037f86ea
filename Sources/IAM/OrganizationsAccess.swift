import AWSShapes
import ServiceKit
import Storage

/// The IAM operations that need an AWS Organizations organization: the
/// centralized root access features and the Organizations access report.
/// Every Gatehouse account is a standalone account, so each is authorized as
/// AWS authorizes it and then answered as for an account that belongs to no
/// organization: OrganizationNotFoundException (the model's code; a shape
/// without an `error` trait is answered under its own name, HTTP 400), with
/// the model's description of it as the message. INFERRED: no recording of a
/// standalone account's answer was found (docs/research/fidelity-issue18.md §1
/// and §16).
enum OrganizationsAccess {
    static let noOrganization = IAMShapes.Errors.organizationNotFound(
        "The request was rejected because no organization is associated with your account.")

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.ListOrganizationsFeatures.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: refuse))
        r.register(
            IAMOperation.EnableOrganizationsRootCredentialsManagement.self,
            .transaction(.read, target: { _, _, _ in NoTarget() }, act: refuse))
        r.register(
            IAMOperation.DisableOrganizationsRootCredentialsManagement.self,
            .transaction(.read, target: { _, _, _ in NoTarget() }, act: refuse))
        r.register(IAMOperation.EnableOrganizationsRootSessions.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: refuse))
        r.register(IAMOperation.DisableOrganizationsRootSessions.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: refuse))
        // On the access report of the entity path (Service Authorization Reference: `access-report/${EntityPath}`).
        r.register(
            IAMOperation.GenerateOrganizationsAccessReport.self,
            .transaction(
                .read, target: { input, context, _ in ResourceARN("arn:aws:iam::\(context.accountId):access-report/\(input.entityPath)") },
                act: refuse))
        r.register(IAMOperation.GetOrganizationsAccessReport.self, .transaction(.read, target: { _, _, _ in NoTarget() }, act: report))
    }

    static func refuse<Input, Output>(_ input: Input, _ target: some OperationTarget, _ context: OperationContext, _ tx: Transaction) throws
        -> Output
    {
        throw noOrganization
    }

    /// No report can have been generated here: the job id names nothing
    /// (NoSuchEntity, the one error the model lists; wording INFERRED).
    static func report(
        _ input: IAMShapes.GetOrganizationsAccessReportRequest, _ target: NoTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.GetOrganizationsAccessReportResponse {
        throw IAMShapes.Errors.noSuchEntity("No Organizations access report job with id \(input.jobId) exists.")
    }
}
