import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SAML
import ServiceKit
import Storage

/// AssumeRoleWithSAML: a role session for a signed SAML assertion.
///
/// Served unsigned. The assertion is verified against the IAM SAML provider's
/// metadata (signature, issuer, times, audience); it must name this role and
/// provider; then the role's trust policy decides, with the assertion's
/// `SAML:*` condition keys.
enum AssumeRoleWithSAML {
    static let notAuthorized = STSError.accessDenied("Not authorized to perform sts:AssumeRoleWithSAML")

    static func register(_ r: inout QueryService.Registrar) {
        r.register(STSOperation.AssumeRoleWithSAML.self, access: .unsigned, handler: assume)
    }

    @Sendable
    static func assume(_ input: STSShapes.AssumeRoleWithSAMLRequest, _ context: OperationContext) async throws -> STSShapes.AssumeRoleWithSAMLResponse {
        guard let (account, _) = AssumeRole.roleArnParts(input.roleArn) else {
            throw STSError.validation("Request ARN is invalid")
        }
        // The assertion is verified outside any transaction: signature checks are the costly part.
        let metadataText = try context.store.transaction(.read) { tx in try SAMLProviderRecord.metadata(of: input.principalArn, in: tx) }
        let assertion: SAMLAssertion
        do {
            guard let metadataText else { throw SAMLError.providerNotFound(input.principalArn) }
            let metadata = try SAMLMetadata.parse(metadataText)
            assertion = try SAMLResponse.verify(
                base64Response: input.samlAssertion, metadata: metadata, now: Date(timeIntervalSince1970: context.now.secondsSince1970))
            _ = try assertion.role(roleArn: input.roleArn, principalArn: input.principalArn)
        } catch let error as SAMLError {
            // The caller gets AWS's terse text; the operator's log says why.
            Logger(label: "gatehouse").notice("AssumeRoleWithSAML refused: \(error.detail)", metadata: ["requestId": "\(context.requestId)"])
            throw AWSError(code: error.code, message: error.message, status: error.httpStatus)
        }
        let sessionPolicies = try SessionPolicies(policy: input.policy, policyArns: input.policyArns, tags: nil)
        let packed = try sessionPolicies.packedSize()
        let providerName = String(input.principalArn.split(separator: "/").last ?? "")
        let nameQualifier = assertion.nameQualifier(accountID: account, providerName: providerName)

        var keys: [String: [String]] = [
            "SAML:aud": [assertion.audience], "SAML:iss": [assertion.issuer], "SAML:sub": [assertion.subject],
            "SAML:sub_type": [assertion.subjectType], "SAML:namequalifier": [nameQualifier],
            "SAML:doc": [input.principalArn.replacing("arn:aws:iam::", with: "").replacing(":saml-provider", with: "")],
        ]
        for attribute in assertion.attributes {
            if let short = attribute.name.split(separator: ":").last, attribute.name.hasPrefix("urn:oid:") == false {
                keys["SAML:\(short)"] = attribute.values
            }
        }
        if !assertion.principalTags.isEmpty {
            keys["aws:TagKeys"] = assertion.principalTags.map(\.key)
            for tag in assertion.principalTags { keys["aws:RequestTag/\(tag.key)"] = [tag.value] }
        }
        let federated = Principal(
            kind: .federatedIdentity, accountId: account, arn: input.principalArn, userId: assertion.subject,
            entityArn: input.principalArn, accessKeyId: "")
        let trustContext = OperationContext(
            requestId: context.requestId, principal: federated, region: context.region, now: context.now, sourceIp: context.sourceIp,
            secureTransport: context.secureTransport, userAgent: context.userAgent, environment: context.environment)
        var requests = [AccessRequest(action: "sts:AssumeRoleWithSAML", resource: input.roleArn, keys: keys, resourceAccount: account)]
        if !assertion.principalTags.isEmpty {
            requests.append(AccessRequest(action: "sts:TagSession", resource: input.roleArn, keys: keys, resourceAccount: account))
        }

        return try context.store.transaction(.write) { tx in
            do {
                try context.environment.authorizer.authorize(requests, context: trustContext, in: tx)
            } catch is AccessDenied {
                throw notAuthorized
            }
            guard let role = try AssumeRole.role(input.roleArn, tx) else { throw notAuthorized }
            // The assertion's SessionDuration caps the session when the request does not ask for one.
            let duration = input.durationSeconds ?? assertion.sessionDuration.map { min($0, role.maxSessionDuration) } ?? AssumeRole.defaultDuration
            if duration > role.maxSessionDuration { throw STSError.durationOverRoleMaximum }
            var tags: [String: String] = [:]
            for tag in assertion.principalTags { tags[tag.key] = tag.value }
            let credentials = try SessionIssuer.issue(
                kind: .assumedRole, accountId: role.accountId, roleId: role.id, sessionName: assertion.roleSessionName,
                duration: duration,
                sessionContext: SessionContext(
                    policy: sessionPolicies.policy, policyArns: sessionPolicies.policyArns, tags: tags,
                    transitiveTagKeys: assertion.transitiveTagKeys, sourceIdentity: assertion.sourceIdentity,
                    federatedProvider: input.principalArn),
                context: context, tx)
            return STSShapes.AssumeRoleWithSAMLResponse(
                assumedRoleUser: STSShapes.AssumedRoleUser(
                    arn: "arn:aws:sts::\(role.accountId):assumed-role/\(role.name)/\(assertion.roleSessionName)",
                    assumedRoleId: "\(role.id):\(assertion.roleSessionName)"),
                audience: assertion.audience, credentials: credentials, issuer: assertion.issuer, nameQualifier: nameQualifier,
                packedPolicySize: packed, sourceIdentity: assertion.sourceIdentity, subject: assertion.subject,
                subjectType: assertion.subjectType)
        }
    }
}
