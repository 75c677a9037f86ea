import AWSShapes
import Hashing
import ServiceKit
import Storage

/// Credentials an IAM user has for one service (CodeCommit Git, Amazon
/// Keyspaces, Bedrock API keys): created and reset with their secret shown
/// once, listed, activated/deactivated, deleted. Two per user per service.
enum ServiceSpecificCredentials {
    static let perUserPerService = 2
    /// The services that take them; Bedrock's are API keys (alias and secret).
    static let services: Set<String> = ["codecommit.amazonaws.com", "cassandra.amazonaws.com", "bedrock.amazonaws.com"]
    static let bedrock = "bedrock.amazonaws.com"

    static func register(_ r: inout QueryService.Registrar) {
        r.register(
            IAMOperation.CreateServiceSpecificCredential.self,
            .prepared(target: UserTarget.named { $0.userName }, basis: room, work: { input, _, context in Secret(input.serviceName, context) },
                      act: create))
        r.register(
            IAMOperation.ResetServiceSpecificCredential.self,
            .prepared(target: UserTarget.orCaller { $0.userName }, basis: existing, work: { _, record, context in Secret(record.serviceName, context) },
                      act: reset))
        r.register(
            IAMOperation.ListServiceSpecificCredentials.self, .transaction(.read, target: UserTarget.orCaller { $0.userName }, act: list))
        r.register(
            IAMOperation.UpdateServiceSpecificCredential.self,
            .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: update))
        r.register(
            IAMOperation.DeleteServiceSpecificCredential.self,
            .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: delete))
    }

    // MARK: - Operations

    /// A new secret, shown once, and its hash (PBKDF2, derived outside any
    /// transaction, after authorization): only the hash is kept.
    struct Secret: Sendable {
        let text: String
        let hash: String

        init(_ serviceName: String, _ context: OperationContext) {
            text = newSecret(serviceName, context)
            hash = PasswordHash.make(text)
        }
    }

    /// The user who gets a new credential, if they have room for one for this service.
    static func room(
        _ input: IAMShapes.CreateServiceSpecificCredentialRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> UserRecord {
        let user = try target.existing()
        guard services.contains(input.serviceName) else { throw IAMError.serviceNotSupported(input.serviceName) }
        if try ServiceSpecificCredentialRecord.count(ofUser: user.id, service: input.serviceName, in: tx) >= perUserPerService {
            throw IAMError.tooManyServiceSpecificCredentials
        }
        return user
    }

    static func create(
        _ input: IAMShapes.CreateServiceSpecificCredentialRequest, _ target: UserTarget, _ user: UserRecord, _ secret: Secret,
        _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateServiceSpecificCredentialResponse {
        let id = context.ids.uniqueId(.serviceCredential)
        let now = context.now.secondsSince1970
        let name = "\(user.name)-at-\(context.accountId)"
        let isKey = input.serviceName == bedrock
        let record = ServiceSpecificCredentialRecord(
            id: id, accountId: context.accountId, userId: user.id, serviceName: input.serviceName,
            serviceUserName: isKey ? nil : name, credentialAlias: isKey ? name : nil, secretHash: secret.hash, status: "Active",
            createdAt: now, expiresAt: input.credentialAgeDays.map { now + Double($0) * 86_400 })
        try tx.insert(record)
        return IAMShapes.CreateServiceSpecificCredentialResponse(serviceSpecificCredential: shape(record, user.name, secret: secret.text))
    }

    /// The credential being reset.
    static func existing(
        _ input: IAMShapes.ResetServiceSpecificCredentialRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> ServiceSpecificCredentialRecord {
        try find(input.serviceSpecificCredentialId, try target.existing(), tx)
    }

    static func reset(
        _ input: IAMShapes.ResetServiceSpecificCredentialRequest, _ target: UserTarget, _ credential: ServiceSpecificCredentialRecord,
        _ secret: Secret, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ResetServiceSpecificCredentialResponse {
        var record = credential
        record.secretHash = secret.hash
        try tx.update(record)
        return IAMShapes.ResetServiceSpecificCredentialResponse(
            serviceSpecificCredential: shape(record, try target.existing().name, secret: secret.text))
    }

    /// The user's credentials (or, with AllUsers, the account's), oldest first.
    static func list(
        _ input: IAMShapes.ListServiceSpecificCredentialsRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListServiceSpecificCredentialsResponse {
        let userId = input.allUsers == true ? nil : try target.existing().id
        if let service = input.serviceName, !services.contains(service) { throw IAMError.serviceNotSupported(service) }
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try ServiceSpecificCredentialRecord.page(
                account: context.accountId, user: userId, service: input.serviceName, after: try after.map(AgePosition.init)?.key,
                limit: limit, in: tx)
        } position: { AgePosition($0.credential.createdAt, $0.credential.id).text }
        return IAMShapes.ListServiceSpecificCredentialsResponse(
            isTruncated: page.isTruncated, marker: page.marker,
            serviceSpecificCredentials: page.items.map { metadata($0.credential, $0.userName) })
    }

    static func update(
        _ input: IAMShapes.UpdateServiceSpecificCredentialRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        var record = try find(input.serviceSpecificCredentialId, try target.existing(), tx)
        record.status = input.status
        try tx.update(record)
        return EmptyShape()
    }

    static func delete(
        _ input: IAMShapes.DeleteServiceSpecificCredentialRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        try tx.delete(try find(input.serviceSpecificCredentialId, try target.existing(), tx))
        return EmptyShape()
    }

    /// A Git/Keyspaces password (44 characters), or a Bedrock API key (`ABSK…`).
    static func newSecret(_ service: String, _ context: OperationContext) -> String {
        let random = Base64.encode(context.ids.randomBytes(33))
        return service == bedrock ? "ABSK" + random : random
    }

    static func find(_ id: String, _ user: UserRecord, _ tx: Transaction) throws -> ServiceSpecificCredentialRecord {
        guard let record = try tx.fetch(ServiceSpecificCredentialRecord.self, key: id), record.userId == user.id else {
            throw IAMError.noSuchServiceSpecificCredential(id)
        }
        return record
    }

    static func shape(
        _ record: ServiceSpecificCredentialRecord, _ userName: String, secret: String
    ) -> IAMShapes.ServiceSpecificCredential {
        let isKey = record.serviceName == bedrock
        return IAMShapes.ServiceSpecificCredential(
            createDate: Timestamp(secondsSince1970: record.createdAt), expirationDate: record.expiresAt.map { Timestamp(secondsSince1970: $0) },
            serviceCredentialAlias: record.credentialAlias, serviceCredentialSecret: isKey ? secret : nil,
            serviceName: record.serviceName, servicePassword: isKey ? nil : secret, serviceSpecificCredentialId: record.id,
            serviceUserName: record.serviceUserName, status: record.status, userName: userName)
    }

    static func metadata(_ record: ServiceSpecificCredentialRecord, _ userName: String) -> IAMShapes.ServiceSpecificCredentialMetadata {
        IAMShapes.ServiceSpecificCredentialMetadata(
            createDate: Timestamp(secondsSince1970: record.createdAt), expirationDate: record.expiresAt.map { Timestamp(secondsSince1970: $0) },
            serviceCredentialAlias: record.credentialAlias, serviceName: record.serviceName, serviceSpecificCredentialId: record.id,
            serviceUserName: record.serviceUserName, status: record.status, userName: userName)
    }
}
