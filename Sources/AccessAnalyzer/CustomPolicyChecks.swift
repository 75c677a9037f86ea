import AWSShapes
import JSON
import PolicyEngine
import ServiceCatalog
import ServiceKit

/// `AccessCheckPolicyType`: the custom checks take no SCP or RCP (§1.3, §4.4).
public enum AccessCheckPolicyType: String, Sendable, CaseIterable {
    case identity = "IDENTITY_POLICY"
    case resource = "RESOURCE_POLICY"

    var kind: PolicyKind { self == .identity ? .identity : .resource }
}

enum CustomPolicyChecks {
    /// The policy through the engine's grammar. A policy IAM's grammar refuses
    /// cannot be reasoned about; AWS's answer for one is not on record (§1.5
    /// mentions ValidationException and InvalidParameterException without
    /// texts), so this is a ValidationException carrying the grammar's message.
    static func parse(_ text: String, kind: PolicyKind, member: String) throws(AWSError) -> PolicyDocument {
        do {
            return try PolicyDocument.parse(text, kind: kind)
        } catch {
            throw AccessAnalyzerService.validationException(
                "Invalid \(member): \(error.message)", reason: "fieldValidationFailed", fields: [(member, error.message)])
        }
    }
}
